package dev.callflux.reactor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.reactor.bulk.BulkResult.Outcome;
import dev.callflux.testkit.CallRecord;
import java.util.Set;

/**
 * Checks of the runs whose fault is injected at a fraction of the requests, call by call from the ledger
 * (which counts each call's injected faults, 429s and applied updates).
 *
 * <p>Runs with a response timeout may also see timeouts the fault did not cause: an answer the simulator
 * gave in time that waited in the queue of a loaded machine longer than the timeout. The ledger shows each
 * of them as an update applied (the simulator answered it); they are counted and reported, and everything
 * else stays exact.
 */
final class Checks {

    private Checks() {
    }

    /** The harmless repeats of hang-ups: updates applied to a call after its first. */
    static long repeats(Scenario.Run run) {
        long n = 0;
        for (BulkResult<Integer> r : run.results) {
            CallRecord c = run.ledger.call(r.callSid());
            n += Math.max(0, c.updatesApplied() - 1);
        }
        return n;
    }

    static long faults(Scenario.Run run) {
        return run.results.stream().mapToLong(r -> run.ledger.call(r.callSid()).faultsInjected()).sum();
    }

    /** {@link #oneRetryPerFault(Scenario.Run, boolean, Set, boolean)} without response timeouts. */
    static void oneRetryPerFault(Scenario.Run run, boolean afterApply, Set<String> reasons) {
        oneRetryPerFault(run, afterApply, reasons, false);
    }

    /**
     * Hang-ups through a fault, call by call: each injected fault cost exactly one retry, every retry was for
     * one of the expected reasons, and the ledger shows a harmless repeat per fault that struck after the
     * update was applied (none when it struck before). With {@code timeouts}, a retry may also follow a
     * timeout of an answer the simulator gave (and applied): the ledger must then show that answer.
     */
    static void oneRetryPerFault(Scenario.Run run, boolean afterApply, Set<String> reasons, boolean timeouts) {
        long faults = faults(run);
        assertThat(faults).as("faults injected").isPositive().isEqualTo(run.ledger.faultCounts().values().stream()
                .mapToLong(Long::longValue).sum());
        assertThat(run.tally.retryReasons().keySet()).as("why the client retried").isSubsetOf(reasons);
        long unexplained = 0;
        for (BulkResult<Integer> r : run.results) {
            CallRecord c = run.ledger.call(r.callSid());
            int retries = r.attempts() - 1 - c.rateLimitedAnswers();
            int f = c.faultsInjected();
            String what = r + " / " + c;
            if (!timeouts) {
                assertThat(retries).as("one retry per fault: %s", what).isEqualTo(f);
                assertThat(c.updatesApplied() - 1).as("repeats: %s", what).isEqualTo(afterApply ? f : 0);
            } else if (afterApply) {
                // Every attempt reached the call (faulted ones too, before their fault).
                assertThat(c.updatesApplied()).as("every attempt applied: %s", what).isEqualTo(r.attempts());
                assertThat(retries).as("a retry per fault at least: %s", what).isGreaterThanOrEqualTo(f);
                unexplained += retries - f;
            } else {
                // A retry is a fault's, or follows an answer given (and applied) but too late for the client.
                assertThat(retries).as("one retry per fault or per late answer: %s", what).isEqualTo(f + c.updatesApplied() - 1);
                unexplained += c.updatesApplied() - 1;
            }
        }
        long late = unexplained;
        if (!timeouts) {
            assertThat(run.retries()).as("retries = faults injected").isEqualTo(faults);
            run.note("retries = faults injected; " + repeats(run) + " harmless repeats");
        } else {
            run.note("a retry per fault" + (late > 0 ? " + " + late + " answers applied but later than the timeout"
                    + " (queueing on a loaded machine; the hang-up resent harmlessly)" : "") + "; " + repeats(run)
                    + " harmless repeats");
        }
    }

    /** {@link #unknownExactlyWhereFaulted(Scenario.Run, boolean, Set, boolean)} without response timeouts. */
    static void unknownExactlyWhereFaulted(Scenario.Run run, boolean afterApply, Set<String> reasons) {
        unknownExactlyWhereFaulted(run, afterApply, reasons, false);
    }

    /**
     * Redirects through a fault, call by call: UNKNOWN exactly where the fault struck (each sent once, never
     * resent), for one of the expected reasons, applied exactly when the fault struck after applying; every
     * other redirect SUCCEEDED. With {@code timeouts}, an unfaulted redirect may also come back UNKNOWN after a
     * response timeout if the simulator did answer it (and applied it).
     */
    static void unknownExactlyWhereFaulted(Scenario.Run run, boolean afterApply, Set<String> reasons, boolean timeouts) {
        long faults = faults(run);
        assertThat(faults).as("faults injected").isPositive();
        assertThat(run.failed()).isZero();
        assertThat(run.retries()).as("a redirect is never resent").isZero();
        long late = 0;
        for (BulkResult<Integer> r : run.results) {
            CallRecord c = run.ledger.call(r.callSid());
            String what = r + " / " + c;
            if (r.outcome() == Outcome.UNKNOWN) {
                assertThat(Tally.reason(r.error().orElseThrow())).as("why %s", what).isIn(reasons);
                if (c.faultsInjected() == 1) {
                    assertThat(c.redirectsApplied()).as("applied before the fault? %s", what).isEqualTo(afterApply ? 1 : 0);
                } else {
                    assertThat(timeouts).as("UNKNOWN without a fault: %s", what).isTrue();
                    assertThat(Tally.reason(r.error().orElseThrow())).isEqualTo("RESPONSE_TIMEOUT");
                    assertThat(c.redirectsApplied()).as("answered, but later than the timeout: %s", what).isEqualTo(1);
                    late++;
                }
            } else {
                assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
                assertThat(c.faultsInjected()).as("SUCCEEDED through a fault? %s", what).isZero();
            }
        }
        assertThat(run.unknown()).as("UNKNOWN = faults injected + late answers; final errors " + run.finalErrors())
                .isEqualTo(faults + late);
        if (late > 0) {
            run.note(late + " UNKNOWN for answers applied but later than the timeout (queueing on a loaded machine)");
        }
    }
}
