package dev.callflux.reactor.reliability;

import static dev.callflux.reactor.reliability.Scenario.HANGUPS;
import static dev.callflux.reactor.reliability.Scenario.REDIRECTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.reactor.bulk.BulkResult.Outcome;
import dev.callflux.reactor.retry.RetryPolicy;
import dev.callflux.testkit.Fault;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Answers that come too late or never: responses slower than the client's response timeout, a server that
 * reads some requests and never answers them, and one that answers none.
 *
 * <p>The response timeouts are 1 s, well above the few hundred milliseconds 100 requests in flight can queue
 * for on a loaded 2-core machine: a shorter timeout also times out answers that are merely queued, and the
 * counts below would no longer say which timeouts the fault caused.
 */
class SlowServerReliabilityTest {

    static final Set<String> TIMEOUT = Set.of("RESPONSE_TIMEOUT");
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);

    /** 5 % of the answers delayed by 1.5 s against a response timeout of 1 s; the rest at once. */
    @Test
    void responsesSlowerThanTheResponseTimeout() {
        Scenario s = Scenario.of("5 % of responses 1.5 s late, client response timeout 1 s",
                        b -> b.slowResponses(0.05, Duration.ofMillis(1500)).seed(100))
                .client(c -> c.responseTimeout(RESPONSE_TIMEOUT));
        // The client gave up during the delay: the simulator never applied those requests.
        s.hangups(HANGUPS, run -> Checks.oneRetryPerFault(run, false, TIMEOUT, true));
        s.redirects(REDIRECTS, run -> Checks.unknownExactlyWhereFaulted(run, false, TIMEOUT, true));
    }

    private static void hangs(boolean afterApply) {
        Scenario s = Scenario.of("accepts, reads, never answers 5 % of requests, " + (afterApply ? "after" : "before")
                        + " the update is applied (response timeout 1 s)",
                        b -> b.fault(Fault.HANG, 0.05).faultsAfterApply(afterApply).seed(408))
                .client(c -> c.responseTimeout(RESPONSE_TIMEOUT));
        s.hangups(HANGUPS, run -> Checks.oneRetryPerFault(run, afterApply, TIMEOUT, true));
        s.redirects(REDIRECTS, run -> Checks.unknownExactlyWhereFaulted(run, afterApply, TIMEOUT, true));
    }

    @Test
    void serverThatNeverAnswersSomeRequestsAfterApplying() {
        hangs(true);
    }

    @Test
    void serverThatNeverAnswersSomeRequestsBeforeApplying() {
        hangs(false);
    }

    /**
     * Not transient: a server that accepts every connection, reads every request and answers none. Every
     * command ends UNKNOWN after its attempts (2 here: each costs a 50 ms timeout), nothing is lost, and every
     * silent connection is given up (no attempt left in flight). With so short a timeout a request may be
     * given up before the simulator has read it: the ledger may count fewer requests than attempts.
     */
    @Test
    void serverThatAcceptsConnectionsAndNeverAnswersAnything() {
        RetryPolicy twoAttempts = Scenario.FAST_RETRIES.mutate().maxAttempts(2).build();
        Scenario s = Scenario.of("accepts every connection, never answers (timeout 50 ms, 2 attempts, fixed concurrency 100)",
                        b -> b.fault(Fault.HANG, 1.0).faultsAfterApply(false))
                .client(c -> c.responseTimeout(Duration.ofMillis(50)))
                .options(o -> o.adaptive(false).retryPolicy(twoAttempts))
                .requestsMayBeLostOnTheWire()
                .permanent();
        s.hangups(HANGUPS, run -> {
            assertThat(run.unknown()).isEqualTo(HANGUPS);
            assertThat(run.results).allSatisfy(r -> {
                assertThat(r.attempts()).isEqualTo(2);
                assertThat(((CallFluxTransportException) r.error().orElseThrow()).kind())
                        .isEqualTo(CallFluxTransportException.Kind.RESPONSE_TIMEOUT);
            });
            assertThat(run.ledger.faultCount(Fault.HANG)).isEqualTo(run.ledger.totalRequests());
            assertThat(run.ledger.totalUpdatesApplied()).isZero();
            assertThat(run.ledger.totalNotInProgressAnswers()).as("nothing applied, so no resend found a call ended").isZero();
        });
        s.redirects(REDIRECTS, run -> {
            assertThat(run.unknown()).isEqualTo(REDIRECTS);
            assertThat(run.results).allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));
            assertThat(run.finalErrors()).isEqualTo(Map.of("UNKNOWN RESPONSE_TIMEOUT", (long) REDIRECTS));
            assertThat(run.results.stream().map(BulkResult::outcome)).containsOnly(Outcome.UNKNOWN);
        });
    }
}
