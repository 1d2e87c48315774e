package dev.callflux.reactor.security;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

/**
 * A real Reactor Netty server on a free loopback port, plain or TLS, on an event loop of its own, that
 * records the requests whose headers it saw (before any body is read) and answers as the test scripts it.
 */
final class TestServer implements AutoCloseable {

    /** What the server saw of one request. */
    record Seen(String method, String uri, HttpHeaders headers) {
    }


    private final LoopResources loops = LoopResources.create("security-server", 1, true);
    private final DisposableServer server;
    private final String host;
    private final boolean tls;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    /**
     * @param host the address to bind ({@code 127.0.0.1} or {@code ::1})
     * @param keys the server's certificate and key for TLS, or {@code null} for plain HTTP
     */
    TestServer(String host, KeyManagerFactory keys,
               BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> script) {
        this.host = host;
        this.tls = keys != null;
        HttpServer s = HttpServer.create().host(host).port(0).runOn(loops)
                .handle((req, res) -> {
                    seen.add(new Seen(req.method().name(), req.uri(), req.requestHeaders().copy()));
                    // Read the request body to its end, then answer.
                    return req.receive().then(Mono.defer(() -> Mono.from(script.apply(req, res))));
                });
        if (keys != null) {
            s = s.secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(keys)));
        }
        server = s.bindNow();
    }

    /** A plain HTTP server on 127.0.0.1 answering every request with a Call in JSON. */
    static TestServer answeringACall() {
        return new TestServer("127.0.0.1", null, TestServer::call);
    }

    /** Answers 200 with a minimal Call (any property may be missing from Twilio's JSON). */
    static Publisher<Void> call(HttpServerRequest req, HttpServerResponse res) {
        String uri = req.uri();
        String sid = uri.substring(uri.lastIndexOf('/') + 1, uri.length() - ".json".length());
        return res.status(200).header("Content-Type", "application/json")
                .sendString(Mono.just("{\"sid\":\"" + sid + "\",\"status\":\"completed\"}"));
    }

    /** The base URL with {@code name} as the host, e.g. {@code localhost}. */
    String baseUrl(String name) {
        return (tls ? "https://" : "http://") + name + ":" + server.port();
    }

    String baseUrl() {
        return baseUrl(host.contains(":") ? "[" + host + "]" : host);
    }

    int port() {
        return server.port();
    }

    List<Seen> seen() {
        return seen;
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }

    /** A new, unique call SID. */
    static String callSid() {
        return dev.callflux.testkit.TestSids.newCallSid();
    }
}
