package dev.callflux.reactor.reliability;

import static dev.callflux.reactor.reliability.Scenario.HANGUPS;
import static dev.callflux.reactor.reliability.Scenario.REDIRECTS;

import dev.callflux.testkit.Fault;
import dev.callflux.testkit.TwilioSimulator;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * A connection that breaks under a request at 10 % of the requests: reset before any byte of the response,
 * reset after the response headers, a body cut short (Content-Length larger than what came, then a close).
 * Each after or before the update is applied (hang-ups before applying only for the reset before the
 * response). The client cannot know whether the update was applied: hang-ups are resent, redirects come back
 * UNKNOWN, sent once.
 */
class ConnectionFaultReliabilityTest {

    private static void connectionFault(String label, Fault fault, BiConsumer<TwilioSimulator.Builder, Double> knob,
            boolean afterApply, Set<String> reasons) {
        Scenario s = Scenario.of(label + " at 10 %, " + (afterApply ? "after" : "before") + " the update is applied",
                b -> {
                    knob.accept(b, 0.1);
                    b.faultsAfterApply(afterApply).seed(fault.ordinal() + 7);
                });
        if (afterApply || fault == Fault.RESET) {
            // Before applying, only the reset before the response runs hang-ups too: the other two cost as
            // much (a new connection per fault) and show nothing more, which the 5xx and proxy runs show.
            s.hangups(HANGUPS, run -> Checks.oneRetryPerFault(run, afterApply, reasons));
        }
        s.redirects(REDIRECTS, run -> Checks.unknownExactlyWhereFaulted(run, afterApply, reasons));
    }

    @Test
    void resetBeforeTheResponseAfterApplying() {
        connectionFault("reset before the response", Fault.RESET, (b, p) -> b.fault(Fault.RESET, p), true,
                Set.of("CONNECTION_CLOSED"));
    }

    @Test
    void resetBeforeTheResponseBeforeApplying() {
        connectionFault("reset before the response", Fault.RESET, (b, p) -> b.fault(Fault.RESET, p), false,
                Set.of("CONNECTION_CLOSED"));
    }

    @Test
    void resetAfterTheResponseHeadersAfterApplying() {
        connectionFault("reset after the response headers", Fault.RESET_AFTER_HEADERS,
                (b, p) -> b.fault(Fault.RESET_AFTER_HEADERS, p), true, Set.of("CONNECTION_CLOSED"));
    }

    @Test
    void resetAfterTheResponseHeadersBeforeApplying() {
        connectionFault("reset after the response headers", Fault.RESET_AFTER_HEADERS,
                (b, p) -> b.fault(Fault.RESET_AFTER_HEADERS, p), false, Set.of("CONNECTION_CLOSED"));
    }

    @Test
    void truncatedBodyAfterApplying() {
        connectionFault("truncated body (Content-Length > bytes sent, then close)", Fault.TRUNCATED_BODY,
                (b, p) -> b.fault(Fault.TRUNCATED_BODY, p), true, Set.of("CONNECTION_CLOSED", "MALFORMED_RESPONSE"));
    }

    @Test
    void truncatedBodyBeforeApplying() {
        connectionFault("truncated body (Content-Length > bytes sent, then close)", Fault.TRUNCATED_BODY,
                (b, p) -> b.fault(Fault.TRUNCATED_BODY, p), false, Set.of("CONNECTION_CLOSED", "MALFORMED_RESPONSE"));
    }
}
