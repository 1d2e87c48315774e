package dev.callflux.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.TwilioSimulator;
import org.junit.jupiter.api.Test;

class DemoTest {

    @Test
    void theDemoHangsUpEveryCallOnceAndSaysSo() {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            Demo.Summary summary = Demo.run(sim, 300, 25);
            assertThat(summary.succeeded()).isEqualTo(300);
            assertThat(summary.failed()).isZero();
            assertThat(sim.ledger().callSids()).hasSize(300);
            assertThat(sim.ledger().callSids()).allSatisfy(sid -> assertThat(sim.ledger().call(sid).hangupsApplied()).isEqualTo(1));
            assertThat(summary.toString()).startsWith("hung up 300 calls: 300 succeeded, 0 failed in ");
        }
    }
}
