package dev.callflux.examples.webflux;

import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** No answer within {@code callflux.response-timeout}: 504. */
class TransportFailureTest extends AppTestSupport {

    static final TwilioSimulator SIM = TwilioSimulator.builder().latency(Duration.ofSeconds(2)).start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useSimulator(registry, SIM);
        registry.add("callflux.response-timeout", () -> "300ms");
    }


    @AfterAll
    static void stopSimulator() {
        SIM.close();
    }

    @Test
    void responseTimeoutIs504() {
        web.post().uri("/calls/{sid}/hangup", newSid())
                .exchange()
                .expectStatus().isEqualTo(504)
                .expectBody()
                .jsonPath("$.status").isEqualTo(504)
                .jsonPath("$.transport_error").isEqualTo("RESPONSE_TIMEOUT")
                .jsonPath("$.twilio_status").doesNotExist()
                .jsonPath("$.may_have_been_applied").isEqualTo(true);
    }
}
