package dev.callflux.reactor.reliability;

import static dev.callflux.reactor.reliability.Scenario.HANGUPS;
import static dev.callflux.reactor.reliability.Scenario.REDIRECTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.callflux.reactor.bulk.BulkResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Twilio's 429s: storms of random 429s (with and without {@code Retry-After}) and a per-account concurrency
 * limit far below the client's. A 429 was never processed, so every command, redirects included, must
 * end SUCCEEDED, each 429 retried exactly once, and the waits must be the server's when it gives one.
 */
class RateLimitReliabilityTest {

    /** Every 429'd attempt was followed by exactly one more, and the storm had its size. */
    private static void everyRateLimitedAttemptRetriedOnce(Scenario.Run run, double fraction) {
        assertThat(run.retries()).as("retries = 429s").isEqualTo(run.ledger.statusCount(429));
        assertThat(run.tally.rateLimitedRetries.sum()).isEqualTo(run.ledger.statusCount(429));
        assertThat((double) run.ledger.statusCount(429) / run.ledger.totalRequests())
                .as("share of requests answered 429").isCloseTo(fraction, within(0.03));
        assertThat(run.ledger.statusCounts().keySet()).containsOnly(200, 429);
    }

    /**
     * @param adaptive the default adaptive concurrency, or fixed at 100: random 429s (not caused by the
     *                 client's concurrency) keep the adaptive limit at its floor, so a 90 % storm would take
     *                 a minute with it
     */
    private static void storm(double fraction, Duration retryAfter, boolean adaptive) {
        String label = String.format("429 storm, %d %% of requests, %s, %s", Math.round(fraction * 100),
                retryAfter == null ? "no Retry-After" : "Retry-After: " + retryAfter.toSeconds() + " s",
                adaptive ? "adaptive concurrency" : "fixed concurrency 100");
        int hangups = HANGUPS;
        Scenario s = Scenario.of(label, b -> b.rateLimitedFraction(fraction).retryAfter(retryAfter).seed(429))
                .options(o -> o.adaptive(adaptive))
                .onlyCertainRefusals()
                .tally(t -> t.expectRetryAfter(retryAfter));
        Scenario.Run h = s.hangups(hangups, run -> {
            everyRateLimitedAttemptRetriedOnce(run, fraction);
            if (retryAfter == null) {
                assertThat(run.tally.rateLimitedRetriesWithoutWait.sum()).as("waits drawn from the backoff")
                        .isLessThan(run.tally.rateLimitedRetries.sum() / 10);
            } else {
                assertThat(run.tally.rateLimitedRetriesWaitingRetryAfter.sum()).as("every 429 retry waits the Retry-After")
                        .isEqualTo(run.tally.rateLimitedRetries.sum());
            }
        });
        s.redirects(REDIRECTS, run -> everyRateLimitedAttemptRetriedOnce(run, fraction));
        assertThat(h.retries()).isPositive();
    }

    @Test
    void stormOfHalfTheRequestsWithoutRetryAfter() {
        storm(0.5, null, true);
    }

    @Test
    void stormOfNinetyPercentOfTheRequestsWithoutRetryAfter() {
        storm(0.9, null, false);
    }

    @Test
    void stormOfHalfTheRequestsWithRetryAfterZero() {
        storm(0.5, Duration.ZERO, false);
    }

    @Test
    void stormOfNinetyPercentOfTheRequestsWithRetryAfterZero() {
        storm(0.9, Duration.ZERO, false);
    }

    /**
     * A real wait: Retry-After: 1 (Twilio sends whole seconds), honoured for every retry of a 429. Every command
     * may wait out its 429s at the same time (maxInFlight 5,000), so the run lasts about as long as the
     * unluckiest command's run of 429s: at 20 % of the requests about 5 in a row among 5,000 commands (at
     * 50 % it would be about 12, at 90 % about 80: 80 seconds).
     */
    @Test
    void rateLimitedFifthOfTheRequestsWithRetryAfterOneSecond() {
        Duration retryAfter = Duration.ofSeconds(1);
        Scenario s = Scenario.of("429s at 20 % of requests, Retry-After: 1 s, maxInFlight 5,000",
                        b -> b.rateLimitedFraction(0.2).retryAfter(retryAfter).seed(4291))
                .client(c -> c.maxConnections(HANGUPS))
                .options(o -> o.maxInFlight(HANGUPS))
                .onlyCertainRefusals()
                .tally(t -> t.expectRetryAfter(retryAfter));
        s.hangups(HANGUPS, run -> {
            everyRateLimitedAttemptRetriedOnce(run, 0.2);
            assertThat(run.tally.rateLimitedRetriesWaitingRetryAfter.sum()).as("every 429 retry waits the Retry-After")
                    .isEqualTo(run.tally.rateLimitedRetries.sum());
            for (BulkResult<Integer> r : run.results) {
                assertThat(r.elapsed()).as("waited a second per 429: %s", r)
                        .isGreaterThanOrEqualTo(retryAfter.multipliedBy(r.attempts() - 1L));
            }
            run.note("each command waited ≥ 1 s per 429");
        });
    }

    /** Twilio's concurrency limit far below the client's: the adaptive limit finds it. */
    @Test
    void perAccountConcurrencyLimitFarBelowTheClientsWithAdaptiveConcurrency() {
        Scenario s = Scenario.of("per-account concurrency limit 5, client maxInFlight 100 (adaptive)",
                        b -> b.concurrencyLimit(5).latency(Duration.ofMillis(2)))
                .onlyCertainRefusals();
        s.hangups(HANGUPS, run -> {
            assertThat(run.retries()).isEqualTo(run.ledger.statusCount(429));
            assertThat(run.ledger.statusCount(429)).as("the limit was hit").isPositive()
                    .as("adaptive: far fewer 429s than requests").isLessThan(HANGUPS);
            run.note("peak " + run.ledger.peakConcurrency() + " in flight at the server");
        });
        s.redirects(REDIRECTS, run -> assertThat(run.retries()).isEqualTo(run.ledger.statusCount(429)));
    }

    /** The same limit against a fixed concurrency of 100: a 429 storm of the client's own making. */
    @Test
    void perAccountConcurrencyLimitFarBelowTheClientsFixedConcurrency() {
        Scenario s = Scenario.of("per-account concurrency limit 5, client fixed at 100",
                        b -> b.concurrencyLimit(5).latency(Duration.ofMillis(2)))
                .options(o -> o.adaptive(false))
                .onlyCertainRefusals();
        s.hangups(HANGUPS, run -> {
            assertThat(run.retries()).isEqualTo(run.ledger.statusCount(429));
            assertThat(run.ledger.statusCount(429)).as("most requests refused").isGreaterThan(HANGUPS);
            run.note("peak " + run.ledger.peakConcurrency() + " in flight at the server");
        });
        s.redirects(REDIRECTS, run -> assertThat(run.retries()).isEqualTo(run.ledger.statusCount(429)));
    }
}
