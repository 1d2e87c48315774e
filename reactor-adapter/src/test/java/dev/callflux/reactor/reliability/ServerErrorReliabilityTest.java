package dev.callflux.reactor.reliability;

import static dev.callflux.reactor.reliability.Scenario.HANGUPS;
import static dev.callflux.reactor.reliability.Scenario.REDIRECTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.Fault;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Twilio's own 5xx (500, 502, 503, 504 with its error JSON) at 10 % of the requests, after or before the
 * update is applied: hang-ups are resent until they succeed, redirects come back UNKNOWN, sent once.
 */
class ServerErrorReliabilityTest {

    static final Set<String> REASONS = Set.of("500", "502", "503", "504");

    private static void serverErrors(boolean afterApply) {
        Scenario s = Scenario.of("500/502/503/504 at 10 %, " + (afterApply ? "after" : "before") + " the update is applied",
                b -> b.fault(Fault.SERVER_ERROR, 0.1).faultsAfterApply(afterApply).seed(500));
        s.hangups(HANGUPS, run -> {
            long errors = run.statuses(500, 502, 503, 504);
            assertThat(errors).isEqualTo(run.ledger.faultCount(Fault.SERVER_ERROR));
            for (int status : new int[] {500, 502, 503, 504}) {
                assertThat(run.ledger.statusCount(status)).as("%s injected", status).isPositive();
            }
            Checks.oneRetryPerFault(run, afterApply, REASONS);
        });
        s.redirects(REDIRECTS, run -> Checks.unknownExactlyWhereFaulted(run, afterApply, REASONS));
    }

    @Test
    void serverErrorsAfterTheUpdateIsApplied() {
        serverErrors(true);
    }

    @Test
    void serverErrorsBeforeTheUpdateIsApplied() {
        serverErrors(false);
    }
}
