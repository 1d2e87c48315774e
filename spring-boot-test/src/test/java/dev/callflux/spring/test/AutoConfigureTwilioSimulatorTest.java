package dev.callflux.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.reactor.CallFluxClient;
import dev.callflux.testkit.Ledger;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import reactor.test.StepVerifier;

/**
 * A user's {@code @SpringBootTest} with the annotation: the auto-configured client talks to the simulator, whose
 * ledger is injected. Credentials of the machine (here given as properties that would otherwise win) are hidden.
 */
@SpringBootTest(properties = {"TWILIO_API_KEY=SK0123456789abcdef0123456789abcdef", "TWILIO_API_SECRET=machine-secret",
        "callflux.auth-token=machine-token"})
@AutoConfigureTwilioSimulator
class AutoConfigureTwilioSimulatorTest {

    @SpringBootApplication
    static class App {
    }

    @Autowired
    CallFluxClient client;

    @Autowired
    Ledger ledger;

    @Autowired
    TwilioSimulator simulator;

    @Autowired
    Environment environment;

    @Test
    void theClientTalksToTheSimulatorAndTheLedgerSeesIt() {
        String sid = TestSids.newCallSid();
        StepVerifier.create(client.hangup(sid))
                .assertNext(call -> assertThat(call.statusValue()).isEqualTo("completed"))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(ledger.call(sid).hangupsApplied()).isEqualTo(1);
        assertThat(ledger).isSameAs(simulator.ledger());
        assertThat(client.endpoint().baseUrl()).isEqualTo(simulator.baseUrl());
        assertThat(client.accountSid().value()).isEqualTo(simulator.accountSid());
        assertThat(environment.getProperty("callflux.base-url")).isEqualTo(simulator.baseUrl());
        assertThat(client.toString()).doesNotContain(simulator.authToken()).doesNotContain("SK0123456789");
    }

    /** Given attributes: a fixed account, and only known calls exist. */
    @Nested
    @AutoConfigureTwilioSimulator(accountSid = "ACfedcba9876543210fedcba9876543210", knownCallsOnly = true,
            liveCalls = "CA00000000000000000000000000000042")
    class WithAttributes {

        @Autowired
        CallFluxClient nestedClient;

        @Autowired
        Ledger nestedLedger;

        @Test
        void knownCallsOnly() {
            assertThat(nestedClient.accountSid().value()).isEqualTo("ACfedcba9876543210fedcba9876543210");
            StepVerifier.create(nestedClient.hangup("CA00000000000000000000000000000042")).expectNextCount(1)
                    .expectComplete().verify(Duration.ofSeconds(10));
            StepVerifier.create(nestedClient.hangup(TestSids.newCallSid()))
                    .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("404"))
                    .verify(Duration.ofSeconds(10));
            assertThat(nestedLedger.totalHangupsApplied()).isEqualTo(1);
        }
    }
}
