package dev.callflux.reactor.reliability;

import static dev.callflux.reactor.reliability.Scenario.HANGUPS;
import static dev.callflux.reactor.reliability.Scenario.REDIRECTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.Fault;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Complete answers that are not what Twilio sends, at 10 % of the requests: a 200 whose body is not JSON,
 * and a proxy's HTML error page (502/503/504, text/html, no Twilio JSON or headers).
 */
class ForeignResponseReliabilityTest {

    @Test
    void twoHundredWhoseBodyIsNotJson() {
        Scenario s = Scenario.of("200 whose body is not JSON at 10 %, after the update is applied",
                b -> b.fault(Fault.NON_JSON_BODY, 0.1).seed(200));
        Set<String> reasons = Set.of("MALFORMED_RESPONSE");
        s.hangups(HANGUPS, run -> {
            // The broken 200s are answers too: a 200 per fault and per SUCCEEDED hang-up; a hang-up whose
            // broken 200 hid the applied update is resent and ends on a 400/21220 (ALREADY_ENDED).
            assertThat(run.ledger.statusCount(200)).as("the broken 200s are answers too")
                    .isEqualTo(run.succeeded() + run.faults(Fault.NON_JSON_BODY));
            assertThat(run.ledger.statusCount(400)).as("a 400/21220 per ALREADY_ENDED hang-up")
                    .isEqualTo(run.alreadyEnded());
            assertThat(run.ledger.statusCount(200) + run.ledger.statusCount(400)).as("one complete answer per attempt")
                    .isEqualTo(HANGUPS + run.faults(Fault.NON_JSON_BODY));
            Checks.oneRetryPerFault(run, true, reasons);
        });
        s.redirects(REDIRECTS, run -> Checks.unknownExactlyWhereFaulted(run, true, reasons));
    }

    private static void proxyErrors(boolean afterApply) {
        Scenario s = Scenario.of("HTML error page from a proxy (502/503/504 text/html) at 10 %, "
                        + (afterApply ? "after Twilio applied the update" : "Twilio never reached"),
                b -> b.fault(Fault.PROXY_ERROR, 0.1).faultsAfterApply(afterApply).seed(502));
        Set<String> reasons = Set.of("502 (no Twilio JSON)", "503 (no Twilio JSON)", "504 (no Twilio JSON)");
        s.hangups(HANGUPS, run -> {
            assertThat(run.statuses(502, 503, 504)).isEqualTo(run.faults(Fault.PROXY_ERROR));
            Checks.oneRetryPerFault(run, afterApply, reasons);
        });
        s.redirects(REDIRECTS, run -> Checks.unknownExactlyWhereFaulted(run, afterApply, reasons));
    }

    @Test
    void proxyErrorPageWhenTwilioWasNeverReached() {
        proxyErrors(false);
    }

    @Test
    void proxyErrorPageAfterTwilioAppliedTheUpdate() {
        proxyErrors(true);
    }
}
