package dev.callflux.reactor.lifecycle;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A loopback HTTP server that knows which of its connections are open, to see from the other end of the wire
 * whether a client closed its pooled connections. It answers every request with a completed call, except
 * that it can hold the first one unanswered.
 */
final class ConnectionCountingServer implements AutoCloseable {

    private final LoopResources loops = LoopResources.create("lifecycle-server", 1, true);
    private final DisposableServer server;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch firstRequest = new CountDownLatch(1);

    ConnectionCountingServer(boolean holdFirstRequest) {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops)
                .doOnChannelInit((observer, channel, remote) -> {
                    accepted.incrementAndGet();
                    open.add(channel);
                    channel.closeFuture().addListener(f -> closed(channel));
                })
                .handle((req, res) -> req.receive().then(Mono.defer(() -> {
                    firstRequest.countDown();
                    if (requests.getAndIncrement() == 0 && holdFirstRequest) {
                        return Mono.never();
                    }
                    String sid = req.uri().replaceAll(".*/(CA[0-9a-f]{32})\\.json$", "$1");
                    return res.header("Content-Type", "application/json")
                            .sendString(Mono.just("{\"sid\":\"" + sid + "\",\"status\":\"completed\"}"))
                            .then();
                })))
                .bindNow();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    int accepted() {
        return accepted.get();
    }

    int open() {
        return open.size();
    }

    boolean awaitFirstRequest(Duration timeout) throws InterruptedException {
        return firstRequest.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until every connection ever accepted is closed; whether that happened in time. */
    synchronized boolean awaitAllClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private synchronized void closed(Channel channel) {
        open.remove(channel);
        notifyAll();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }
}
