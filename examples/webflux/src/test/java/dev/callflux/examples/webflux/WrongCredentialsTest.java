package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.TwilioSimulator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Twilio's 401 for the service's own credentials: a 502, and the token appears nowhere. */
class WrongCredentialsTest extends AppTestSupport {

    static final String WRONG_TOKEN = "wrong-token-" + newSid().substring(2);
    static final TwilioSimulator SIM = TwilioSimulator.builder().start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        register(registry, SIM::baseUrl, authToken(SIM.accountSid(), WRONG_TOKEN));
    }


    @AfterAll
    static void stopSimulator() {
        SIM.close();
    }

    @Test
    void refusedCredentialsAre502WithoutTheToken(CapturedOutput output) {
        String sid = newSid();
        byte[] body = web.post().uri("/calls/{sid}/hangup", sid)
                .exchange()
                .expectStatus().isEqualTo(502)
                .expectBody()
                .jsonPath("$.status").isEqualTo(502)
                .jsonPath("$.twilio_status").isEqualTo(401)
                .jsonPath("$.twilio_code").isEqualTo(20003)
                .jsonPath("$.message").isEqualTo("Twilio refused this service's credentials (HTTP 401)")
                .returnResult().getResponseBody();
        assertThat(new String(body)).doesNotContain(WRONG_TOKEN).doesNotContain(SIM.authToken());
        assertThat(SIM.ledger().call(sid).updatesApplied()).isZero();
        assertThat(output.getAll())
                .contains("Twilio refused the service's credentials")
                .doesNotContain(WRONG_TOKEN)
                .doesNotContain(SIM.authToken());
        // The starter's health indicator saw the 401: the service reports itself DOWN (details stay hidden as shipped).
        web.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.status").isEqualTo("DOWN");
        String scrape = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape).contains("callflux_update_seconds_count{", "http_status=\"401\"", "twilio_code=\"20003\"")
                .contains("callflux_bulk_retries_total{reason=\"rate_limited\"}")
                .doesNotContain(WRONG_TOKEN);
    }

    @Test
    void bulkResultsDoNotCarryTheTokenEither(CapturedOutput output) {
        List<JsonNode> results = bulk(newSid() + "\n");
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.path("outcome").asString()).isEqualTo("FAILED");
            assertThat(r.path("http_status").asInt()).isEqualTo(401);
            assertThat(r.toString()).doesNotContain(WRONG_TOKEN);
        });
        assertThat(output.getAll()).doesNotContain(WRONG_TOKEN);
    }
}
