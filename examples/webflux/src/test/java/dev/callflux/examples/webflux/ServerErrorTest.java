package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.Fault;
import dev.callflux.testkit.TwilioSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Twilio's 5xx: 502, flagged as possibly applied (the simulator applies the update, then fails). */
class ServerErrorTest extends AppTestSupport {

    static final TwilioSimulator SIM = TwilioSimulator.builder()
            .fault(Fault.SERVER_ERROR, 1.0)
            .serverErrorStatuses(500, 503)
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
    void serverErrorIs502AndSentOnce() {
        String sid = newSid();
        web.post().uri("/calls/{sid}", sid)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"url\": \"https://example.com/next.xml\"}")
                .exchange()
                .expectStatus().isEqualTo(502)
                .expectBody()
                .jsonPath("$.status").isEqualTo(502)
                .jsonPath("$.twilio_status").value(s -> assertThat((Integer) s).isIn(500, 503))
                .jsonPath("$.twilio_code").isEqualTo(20500)
                .jsonPath("$.may_have_been_applied").isEqualTo(true);
        // A single update is never resent by the service: the caller decides.
        assertThat(SIM.ledger().call(sid).requestsReceived()).isEqualTo(1);
    }
}
