package dev.callflux.spring.autoconfigure;

import static dev.callflux.spring.autoconfigure.Fixtures.ACCOUNT;
import static dev.callflux.spring.autoconfigure.Fixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Nothing listens at the endpoint: /actuator/health says OUT_OF_SERVICE with the reason. */
class UnreachableEndpointHealthTest extends ActuatorTestSupport {

    /** The port of a simulator that was started and closed again: nothing listens there now. */
    static final String CLOSED;

    static {
        TwilioSimulator sim = TwilioSimulator.builder().account(ACCOUNT, TOKEN).start();
        CLOSED = sim.baseUrl();
        sim.close();
    }

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        credentials(registry, CLOSED, TOKEN);
        registry.add("callflux.connect-timeout", () -> "2s");
    }

    @Test
    void outOfServiceOnceAConnectionFails() {
        assertThat(hangup(TestSids.newCallSid())).isEqualTo(500);
        String health = get("/actuator/health/callflux", 503);
        assertThat(health).contains("\"status\":\"OUT_OF_SERVICE\"", "could not be reached", "CONNECT");
        assertThat(get("/actuator/prometheus", 200)).containsPattern(
                "callflux_update_seconds_count\\{[^}]*outcome=\"transport_error\"[^}]*transport_error=\"CONNECT\"[^}]*} 1");
    }
}
