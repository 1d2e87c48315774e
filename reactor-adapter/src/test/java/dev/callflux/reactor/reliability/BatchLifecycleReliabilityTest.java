package dev.callflux.reactor.reliability;

import static dev.callflux.reactor.reliability.Scenario.HANGUPS;
import static dev.callflux.reactor.reliability.Scenario.REDIRECTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The batch's own life under faults (20 % 429s, 5 % 5xx after applying, 2 ms latency, so that commands are
 * being retried when it happens): the subscriber cancelling half-way, and a source that fails half-way.
 */
class BatchLifecycleReliabilityTest {

    static Scenario faulty(String label) {
        return Scenario.of(label, b -> b.rateLimitedFraction(0.2).fault(Fault.SERVER_ERROR, 0.05).latency(Duration.ofMillis(2)).seed(77));
    }

    /**
     * The half of the hang-ups with a result all reached their goal: SUCCEEDED, or ALREADY_ENDED where a 5xx
     * (after applying) hid the answer and the resend was told the call had ended (the common checks prove each
     * call hung up exactly once). With 5 % of the attempts past the 429 gate struck after applying, some are.
     */
    private static void halfTheHangupsReachTheirGoal(Scenario.Run run) {
        assertThat(run.succeeded() + run.alreadyEnded()).as("SUCCEEDED + ALREADY_ENDED").isEqualTo(HANGUPS / 2);
        assertThat(run.alreadyEnded()).as("hang-ups whose applied attempt's answer was a 5xx").isPositive()
                .isLessThanOrEqualTo(run.faults(Fault.SERVER_ERROR));
    }

    /**
     * The subscriber takes half the results and cancels: the commands in flight are cancelled without a result,
     * nothing more is taken from the source or sent, and the same client serves later batches.
     */
    @Test
    void subscriberCancelsMidBatch() {
        faulty("subscriber cancels mid-batch (takes half the results; 20 % 429, 5 % 5xx)")
                .cancelAfter(HANGUPS / 2)
                .hangups(HANGUPS, BatchLifecycleReliabilityTest::halfTheHangupsReachTheirGoal);
        faulty("subscriber cancels mid-batch (takes half the results; 20 % 429, 5 % 5xx)")
                .cancelAfter(REDIRECTS / 2)
                .redirects(REDIRECTS, run -> assertThat(run.results).hasSize(REDIRECTS / 2));
    }

    /**
     * The source fails after half the commands: those already taken still complete and are delivered, every
     * one, then the source's error ends the batch; nothing after it is sent.
     */
    @Test
    void sourcePublisherErrorsHalfWay() {
        IllegalStateException boom = new IllegalStateException("the SID file could not be read further");
        faulty("source Publisher errors half-way (20 % 429, 5 % 5xx)")
                .sourceFailsAfter(HANGUPS / 2, boom)
                .hangups(HANGUPS, BatchLifecycleReliabilityTest::halfTheHangupsReachTheirGoal);
        faulty("source Publisher errors half-way (20 % 429, 5 % 5xx)")
                .sourceFailsAfter(REDIRECTS / 2, boom)
                .redirects(REDIRECTS, run -> assertThat(run.results).hasSize(REDIRECTS / 2));
    }
}
