package dev.callflux.reactor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.reactor.bulk.BulkResult.Outcome;
import dev.callflux.testkit.CallRecord;
import java.util.Set;

/**
 * Checks of the runs whose fault is injected at a fraction of the requests, call by call from the ledger
 * (which counts each call's injected faults, 429s, applied updates and updates refused with 400/21220
 * because the call had already ended).
 *
 * <p>Runs with a response timeout may also see timeouts the fault did not cause: an answer the simulator
 * gave in time that waited in the queue of a loaded machine longer than the timeout. The ledger shows each
 * of them as an update that reached the call (the simulator answered it): the hang-up applied, or, for a
 * resend, refused because the call had ended; they are counted and reported, and everything else stays
 * exact.
 */
final class Checks {

    private Checks() {
    }

    /**
     * Resent hang-ups that found their call already ended: answered 400/21220 (or a fault in its place) and
     * not applied, because an earlier attempt of the same command had ended the call and its answer was lost.
     */
    static long alreadyEndedOnResend(Scenario.Run run) {
        long n = 0;
        for (BulkResult<Integer> r : run.results) {
            n += run.ledger.call(r.callSid()).notInProgressAnswers();
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
     * one of the expected reasons, every call was hung up exactly once, and the ledger shows a resend refused
     * as "not in progress" (400/21220) per fault that struck after the update was applied (none when it
     * struck before); a hang-up ends ALREADY_ENDED exactly when such a resend happened, SUCCEEDED otherwise.
     * With {@code timeouts}, a retry may also follow a timeout of an answer the simulator gave (the hang-up
     * applied, or a resend refused): the ledger must then show that answer.
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
            int ended = c.notInProgressAnswers();
            // Applied exactly once, whatever the faults: every later attempt that reached the call was refused.
            assertThat(c.updatesApplied()).as("applied once: %s", what).isEqualTo(1);
            assertThat(c.hangupsApplied()).as("hung up once: %s", what).isEqualTo(1);
            // ALREADY_ENDED exactly when a resend reached the ended call, and its 400 was the final answer.
            assertThat(r.outcome()).as("outcome after %s resends refused as already ended: %s", ended, what)
                    .isEqualTo(ended > 0 ? Outcome.ALREADY_ENDED : Outcome.SUCCEEDED);
            if (!timeouts) {
                assertThat(retries).as("one retry per fault: %s", what).isEqualTo(f);
                // After applying, every fault was followed by a resend that found the call ended; before, by the
                // resend that applied it.
                assertThat(ended).as("resends refused as already ended: %s", what).isEqualTo(afterApply ? f : 0);
            } else if (afterApply) {
                // Every attempt reached the call (faulted ones too, before their fault): the first applied, the
                // others refused.
                assertThat(c.updatesApplied() + ended).as("every attempt reached the call: %s", what).isEqualTo(r.attempts());
                assertThat(retries).as("a retry per fault at least: %s", what).isGreaterThanOrEqualTo(f);
                unexplained += retries - f;
            } else {
                // A retry is a fault's, or follows an answer given (the hang-up applied, or a resend refused) but
                // too late for the client: each such answer is followed by a resend that finds the call ended.
                assertThat(retries).as("one retry per fault or per late answer: %s", what).isEqualTo(f + ended);
                unexplained += ended;
            }
        }
        long late = unexplained;
        if (!timeouts) {
            assertThat(run.retries()).as("retries = faults injected").isEqualTo(faults);
            if (afterApply) {
                // A 400 per ALREADY_ENDED result and none else: each resend's refusal is either that final
                // answer or was replaced by a fault (and resent again).
                assertThat(run.ledger.statusCount(400)).as("400/21220 answers = ALREADY_ENDED results")
                        .isEqualTo(run.alreadyEnded());
                assertThat(run.alreadyEnded()).as("hang-ups applied whose answer was lost").isPositive();
            } else {
                assertThat(run.alreadyEnded()).as("ALREADY_ENDED with faults before applying").isZero();
                assertThat(run.ledger.statusCount(400)).as("400s with faults before applying").isZero();
            }
            run.note("retries = faults injected; " + alreadyEndedOnResend(run) + " already ended on resend (400/21220)");
        } else {
            run.note("a retry per fault" + (late > 0 ? " + " + late + " answers given but later than the timeout"
                    + " (queueing on a loaded machine; the hang-up resent, found the call ended)" : "") + "; "
                    + alreadyEndedOnResend(run) + " already ended on resend (400/21220)");
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
