package dev.callflux.reactor;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A real HTTP server on a free loopback port that answers as a test scripts it: for responses the
 * {@code TwilioSimulator} does not give (an HTML page, an empty body, a huge body, silence). It records
 * every request it receives.
 */
public final class ScriptedServer implements AutoCloseable {

    /** What the server saw of one request. */
    public record Received(String method, String uri, HttpHeaders headers, String body) {
    }

    private final LoopResources loops = LoopResources.create("scripted", 1, true);
    private final DisposableServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public ScriptedServer(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> script) {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops)
                .handle((req, res) -> req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .flatMap(body -> {
                            received.add(new Received(req.method().name(), req.uri(), req.requestHeaders().copy(), body));
                            return Mono.from(script.apply(req, res));
                        }))
                .bindNow();
    }

    /** A server that answers every request with this status, content type and body. */
    public static ScriptedServer answering(int status, String contentType, String body) {
        return new ScriptedServer((req, res) -> {
            res.status(status);
            if (contentType != null) {
                res.header("Content-Type", contentType);
            }
            return res.sendString(Mono.just(body));
        });
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater().block(Duration.ofSeconds(5));
    }
}
