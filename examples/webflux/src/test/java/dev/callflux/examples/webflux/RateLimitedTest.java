package dev.callflux.examples.webflux;

import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Twilio's 429 (every request refused, with Retry-After): 503 with Retry-After. */
class RateLimitedTest extends AppTestSupport {

    static final TwilioSimulator SIM = TwilioSimulator.builder()
            .rateLimitedFraction(1.0)
            .retryAfter(Duration.ofMillis(2500))
            .start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useSimulator(registry, SIM);
    }


    @AfterAll
    static void stopSimulator() {
        SIM.close();
    }

    @Test
    void rateLimitedIs503WithRetryAfter() {
        web.post().uri("/calls/{sid}/hangup", newSid())
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "3")
                .expectBody()
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.twilio_status").isEqualTo(429)
                .jsonPath("$.twilio_code").isEqualTo(20429)
                .jsonPath("$.may_have_been_applied").isEqualTo(false);
    }
}
