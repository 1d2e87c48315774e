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

    public CallFluxDriver(String baseUrl, String accountSid, String authToken, int concurrency) {
        this.client = CallFluxClient.builder()
                .credentials(Credentials.authToken(accountSid, authToken))
                .baseUrl(baseUrl)
                .maxConnections(concurrency)
                .build();
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
    }
}
