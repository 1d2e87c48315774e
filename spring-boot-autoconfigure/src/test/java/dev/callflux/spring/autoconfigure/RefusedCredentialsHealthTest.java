package dev.callflux.spring.autoconfigure;

import static dev.callflux.spring.autoconfigure.Fixtures.ACCOUNT;
import static dev.callflux.spring.autoconfigure.Fixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Twilio refuses the application's token: /actuator/health says DOWN with the reason, and why. */
class RefusedCredentialsHealthTest extends ActuatorTestSupport {

    static final TwilioSimulator SIM = TwilioSimulator.builder().account(ACCOUNT, "the-right-token-0123").start();

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        credentials(registry, SIM.baseUrl(), TOKEN);
    }

    @AfterAll
    static void stop() {
        SIM.close();
    }

    @Test
    void unknownWithoutTrafficThenDownOnceTwilioRefusesTheCredentials() {
        String before = get("/actuator/health/callflux", 200);
        assertThat(before).contains("\"status\":\"UNKNOWN\"", "no request sent yet");
        assertThat(SIM.ledger().totalRequests()).as("the health check sends nothing").isZero();

        assertThat(hangup(TestSids.newCallSid())).isEqualTo(500);
        String after = get("/actuator/health/callflux", 503);
        assertThat(after).contains("\"status\":\"DOWN\"", "Twilio refused the credentials", "HTTP 401")
                .doesNotContain(TOKEN);
        assertThat(get("/actuator/health", 503)).contains("\"status\":\"DOWN\"");
        assertThat(get("/actuator/prometheus", 200)).containsPattern(
                "callflux_update_seconds_count\\{[^}]*http_status=\"401\"[^}]*outcome=\"twilio_error\"[^}]*"
                        + "twilio_code=\"20003\"[^}]*} 1");
        assertThat(SIM.ledger().totalRequests()).isEqualTo(1);
    }
}
