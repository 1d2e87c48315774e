package dev.callflux.benchmarks;

import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkOptions;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;

/**
 * Drives CallFlux in a load run: one client per JVM, pointed at the simulator, with a connection pool the
 * size of the concurrency.
 */
public final class CallFluxDriver implements AutoCloseable {

    /** How {@link #hangupAll} drives the client, for the report: keep it in step with that method. */
    public static final String DESCRIPTION = "`client.hangupAll(Flux.fromStream(sids), BulkOptions.fixed(C))` (the bulk API, concurrency fixed at C)";

    private final CallFluxClient client;

    private final reactor.netty.resources.LoopResources loops;
    private final reactor.netty.resources.ConnectionProvider pool;

    public CallFluxDriver(String baseUrl, String accountSid, String authToken, int concurrency) {
        this(baseUrl, accountSid, authToken, concurrency, false);
    }

    /**
     * With {@code prewarm}, the client is built on a Reactor Netty {@code HttpClient} of the driver's own (a pool
     * of {@code concurrency}, one event loop per core, as the builder makes) on which {@code warmup()} has run:
     * the event loops, the native transport and, over HTTPS, the TLS provider and context are ready before the
     * first request (no connection is opened). The public way to warm CallFlux up, through
     * {@code CallFluxClientBuilder.httpClient(HttpClient)}.
     */
    public CallFluxDriver(String baseUrl, String accountSid, String authToken, int concurrency, boolean prewarm) {
        dev.callflux.reactor.CallFluxClientBuilder b = CallFluxClient.builder()
                .credentials(Credentials.authToken(accountSid, authToken))
                .baseUrl(baseUrl)
                .maxConnections(concurrency);
        if (prewarm) {
            loops = reactor.netty.resources.LoopResources.create("callflux", Runtime.getRuntime().availableProcessors(), true);
            pool = reactor.netty.resources.ConnectionProvider.builder("callflux").maxConnections(concurrency)
                    .pendingAcquireMaxCount(dev.callflux.reactor.CallFluxClientBuilder.DEFAULT_MAX_PENDING_ACQUIRES)
                    .maxIdleTime(dev.callflux.reactor.CallFluxClientBuilder.DEFAULT_MAX_IDLE_TIME).build();
            reactor.netty.http.client.HttpClient http = reactor.netty.http.client.HttpClient.create(pool).runOn(loops);
            if (baseUrl.startsWith("https:")) {
                http = http.secure();
            }
            http.warmup().block();
            b.httpClient(http);
        } else {
            loops = null;
            pool = null;
        }
        this.client = b.build();
    }

    /**
     * Hangs up every call in {@code sids}, at most {@code concurrency} at a time, and waits until all
     * are done; each success and failure is counted in {@code tally}.
     */
    public void hangupAll(Stream<String> sids, int concurrency, Tally tally) {
        client.hangupAll(Flux.fromStream(sids), BulkOptions.fixed(concurrency))
                .doOnNext(result -> {
                    if (result.isSuccess()) {
                        tally.ok();
                    } else {
                        tally.failure(result.error().orElseThrow());
                    }
                })
                .blockLast();
    }

    @Override
    public void close() {
        client.close();
        if (pool != null) {
            pool.dispose();
            loops.dispose();
        }
    }
}
