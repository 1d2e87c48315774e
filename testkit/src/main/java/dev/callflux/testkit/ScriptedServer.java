package dev.callflux.testkit;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManagerFactory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.SslProvider.GenericSslContextSpec;

/**
 * A real HTTP server on a free loopback port that answers as a test scripts it: for what the
 * {@link TwilioSimulator} does not say (an HTML page, an empty or huge body, silence, a redirect, a TLS
 * certificate of another name). It records every request (after reading its body) and knows which of its
 * connections are open, to see from the other end of the wire whether a client closed them.
 *
 * <pre>{@code
 * try (ScriptedServer server = ScriptedServer.answering(502, "text/html", "<html>Bad Gateway</html>")) {
 *     // point a client at server.baseUrl(), then look at server.received()
 * }
 * }</pre>
 */
public final class ScriptedServer implements AutoCloseable {

    /**
     * What the server received of one request.
     *
     * @param method  the HTTP method
     * @param uri     the request target as sent
     * @param headers the request headers (a copy)
     * @param body    the request body, decoded as UTF-8; empty when there was none
     */
    public record Received(String method, String uri, HttpHeaders headers, String body) {
    }

    /** What a script is: Reactor Netty's handler, called once the request's body has been read. */
    public interface Script extends BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {
    }

    private final LoopResources loops = LoopResources.create("scripted-server", 1, true);
    private final DisposableServer server;
    private final String host;
    private final boolean tls;
    private final List<Received> received = new ArrayList<>();
    private final Set<Channel> open = new HashSet<>();
    private int accepted;

    private ScriptedServer(Builder b) {
        this.host = b.host;
        this.tls = b.keys != null;
        Script script = b.script;
        HttpServer s = HttpServer.create().host(host).port(0).runOn(loops)
                .doOnChannelInit((observer, channel, remote) -> opened(channel))
                .handle((req, res) -> req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .flatMap(body -> {
                            received(new Received(req.method().name(), req.uri(), req.requestHeaders().copy(), body));
                            return Mono.from(script.apply(req, res));
                        }));
        if (b.keys != null) {
            KeyManagerFactory keys = b.keys;
            // Typed as the generic spec: the ProtocolSslContextSpec overload is deprecated.
            GenericSslContextSpec<?> tls = Http11SslContextSpec.forServer(keys);
            s = s.secure(spec -> spec.sslContext(tls));
        }
        server = s.bindNow();
    }

    /**
     * Starts a builder: plain HTTP on {@code 127.0.0.1}, answering every request with {@link #call}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A plain HTTP server on {@code 127.0.0.1} that answers as {@code script} says.
     *
     * @param script the answer to each request
     * @return the started server
     */
    public static ScriptedServer start(Script script) {
        return builder().script(script).start();
    }

    /**
     * A plain HTTP server on {@code 127.0.0.1} that answers every request with this status, content type and body.
     *
     * @param status      the HTTP status
     * @param contentType the {@code Content-Type}, or {@code null} for none
     * @param body        the body
     * @return the started server
     */
    public static ScriptedServer answering(int status, String contentType, String body) {
        return start((req, res) -> {
            res.status(status);
            if (contentType != null) {
                res.header("Content-Type", contentType);
            }
            return res.sendString(Mono.just(body));
        });
    }

    /**
     * A script that answers 200 with a minimal Call in JSON, the SID taken from the request path ({@code
     * .../Calls/CA....json}): any property may be missing from Twilio's JSON.
     *
     * @param req the request
     * @param res the response
     * @return the answer
     */
    public static Publisher<Void> call(HttpServerRequest req, HttpServerResponse res) {
        String uri = req.uri();
        int slash = uri.lastIndexOf('/');
        String sid = uri.endsWith(".json") && slash >= 0 ? uri.substring(slash + 1, uri.length() - ".json".length()) : "";
        return res.status(200).header("Content-Type", "application/json")
                .sendString(Mono.just("{\"sid\":\"" + sid + "\",\"status\":\"completed\"}"));
    }

    /**
     * The base URL, with the host as bound.
     *
     * @return {@code http://127.0.0.1:port}, {@code https://[::1]:port}, ...
     */
    public String baseUrl() {
        return baseUrl(host.contains(":") ? "[" + host + "]" : host);
    }

    /**
     * The base URL with another name for the host, e.g. {@code localhost}.
     *
     * @param name the host part of the URL
     * @return {@code http://name:port} or {@code https://name:port}
     */
    public String baseUrl(String name) {
        return (tls ? "https://" : "http://") + name + ":" + server.port();
    }

    /**
     * The port it listens on.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * Every request received so far, in order.
     *
     * @return a copy
     */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /**
     * Connections accepted so far.
     *
     * @return the count
     */
    public synchronized int accepted() {
        return accepted;
    }

    /**
     * Connections open now.
     *
     * @return the count
     */
    public synchronized int open() {
        return open.size();
    }

    /**
     * Waits until at least {@code n} requests were received.
     *
     * @param n       how many
     * @param timeout how long to wait at most
     * @return whether they were, in time
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized boolean awaitReceived(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < n) {
            if (!waitUntil(deadline)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until every connection ever accepted is closed.
     *
     * @param timeout how long to wait at most
     * @return whether they were, in time
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized boolean awaitAllClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty()) {
            if (!waitUntil(deadline)) {
                return false;
            }
        }
        return true;
    }

    /** Stops the server and its event loop, waiting up to 10 seconds. */
    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }

    private boolean waitUntil(long deadline) throws InterruptedException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            return false;
        }
        wait(left);
        return true;
    }

    private synchronized void opened(Channel channel) {
        accepted++;
        open.add(channel);
        channel.closeFuture().addListener(f -> closed(channel));
    }

    private synchronized void closed(Channel channel) {
        open.remove(channel);
        notifyAll();
    }

    private synchronized void received(Received r) {
        received.add(r);
        notifyAll();
    }

    /** How a {@link ScriptedServer} listens and answers. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private KeyManagerFactory keys;
        private Script script = ScriptedServer::call;

        private Builder() {
        }

        /**
         * The address to bind.
         *
         * @param host {@code 127.0.0.1} (the default) or {@code ::1}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host is required");
            return this;
        }

        /**
         * Serves HTTPS with this certificate and key.
         *
         * @param keys the server's key material
         * @return this builder
         */
        public Builder tls(KeyManagerFactory keys) {
            this.keys = Objects.requireNonNull(keys, "keys are required");
            return this;
        }

        /**
         * The answer to each request; {@link ScriptedServer#call} by default.
         *
         * @param script called once each request's body has been read
         * @return this builder
         */
        public Builder script(Script script) {
            this.script = Objects.requireNonNull(script, "script is required");
            return this;
        }

        /**
         * Binds a free port and starts answering.
         *
         * @return the started server
         */
        public ScriptedServer start() {
            return new ScriptedServer(this);
        }
    }
}
