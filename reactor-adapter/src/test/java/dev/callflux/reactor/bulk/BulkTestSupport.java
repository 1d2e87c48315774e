package dev.callflux.reactor.bulk;

import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.retry.Backoff;
import dev.callflux.reactor.retry.RetryPolicy;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.List;

/** Shared pieces of the bulk tests. */
final class BulkTestSupport {

    /** Retries that keep tests fast: full jitter from 1 ms, capped at 20 ms. */
    static final RetryPolicy FAST_RETRIES = RetryPolicy.builder()
            .backoff(Backoff.fullJitter(Duration.ofMillis(1), Duration.ofMillis(20)))
            .maxAttempts(10)
            .maxTotalTime(Duration.ofMinutes(2))
            .build();

    private BulkTestSupport() {
    }

    static CallFluxClient client(TwilioSimulator sim, int maxConnections) {
        return CallFluxClient.builder()
                .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                .baseUrl(sim.baseUrl())
                .maxConnections(maxConnections)
                .build();
    }

    /** {@code n} distinct call SIDs of a batch named by {@code batch} (0-65535). */
    static List<String> sids(int batch, int n) {
        return dev.callflux.testkit.TestSids.callSids(batch, n);
    }

    static String sid(int batch, long i) {
        return dev.callflux.testkit.TestSids.callSid(batch, i);
    }
}
