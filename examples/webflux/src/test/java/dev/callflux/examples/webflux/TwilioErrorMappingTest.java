package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.model.CallStatus;
import dev.callflux.testkit.TwilioSimulator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Twilio's 404 and 400/21220 against a simulator that knows only the calls it was given. */
class TwilioErrorMappingTest extends AppTestSupport {

    static final String ENDED = newSid();
    static final String LIVE = newSid();
    static final TwilioSimulator SIM = TwilioSimulator.builder()
            .knownCallsOnly(true)
            .call(ENDED, CallStatus.COMPLETED)
            .call(LIVE, CallStatus.IN_PROGRESS)
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
    void unknownCallIs404WithTwilioCode() {
        web.post().uri("/calls/{sid}/hangup", newSid())
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.twilio_status").isEqualTo(404)
                .jsonPath("$.twilio_code").isEqualTo(20404)
                .jsonPath("$.message").isNotEmpty()
                .jsonPath("$.more_info").isEqualTo("https://www.twilio.com/docs/errors/20404")
                .jsonPath("$.request_id").isNotEmpty()
                .jsonPath("$.may_have_been_applied").isEqualTo(false);
    }

    @Test
    void redirectingAnEndedCallIs409Conflict() {
        web.post().uri("/calls/{sid}", ENDED)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"url\": \"https://example.com/next.xml\"}")
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.twilio_status").isEqualTo(400)
                .jsonPath("$.twilio_code").isEqualTo(CallFluxErrorHandler.CALL_NOT_IN_PROGRESS)
                .jsonPath("$.more_info").isEqualTo("https://www.twilio.com/docs/errors/21220");
        assertThat(SIM.ledger().call(ENDED).redirectsApplied()).isZero();
    }

    /**
     * Twilio refuses any update of an ended call, a hang-up included (400, code 21220): there is nothing left to
     * hang up, but no Call came back either, so the single-call endpoint says so with a 409 that carries
     * Twilio's code and a clear message; it is not a failure of the service (not a 5xx), and nothing was applied.
     */
    @Test
    void hangingUpAnEndedCallIs409SayingItHasAlreadyEnded() {
        int refusedBefore = SIM.ledger().call(ENDED).notInProgressAnswers();
        web.post().uri("/calls/{sid}/hangup", ENDED)
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.twilio_status").isEqualTo(400)
                .jsonPath("$.twilio_code").isEqualTo(CallFluxErrorHandler.CALL_NOT_IN_PROGRESS)
                .jsonPath("$.message").isEqualTo("the call has already ended: nothing to hang up")
                .jsonPath("$.more_info").isEqualTo("https://www.twilio.com/docs/errors/21220")
                .jsonPath("$.request_id").isNotEmpty()
                .jsonPath("$.may_have_been_applied").isEqualTo(false);
        assertThat(SIM.ledger().call(ENDED).notInProgressAnswers()).as("one request, refused").isEqualTo(refusedBefore + 1);
        assertThat(SIM.ledger().call(ENDED).hangupsApplied()).isZero();
        assertThat(SIM.ledger().call(ENDED).updatesApplied()).isZero();
        assertThat(SIM.ledger().call(ENDED).status()).isEqualTo(CallStatus.COMPLETED);
    }

    /** The bulk endpoint: a hang-up of an ended call has reached its goal, a line of its own, not a failure. */
    @Test
    void bulkHangupOfAnEndedCallIsAlreadyEnded() {
        List<JsonNode> results = bulk(ENDED + "\n");
        assertThat(results).singleElement().satisfies(line -> {
            assertThat(line.path("sid").asString()).isEqualTo(ENDED);
            assertThat(line.path("outcome").asString()).isEqualTo("ALREADY_ENDED");
            assertThat(line.path("http_status").asInt()).isEqualTo(400);
            assertThat(line.path("twilio_code").asInt()).isEqualTo(CallFluxErrorHandler.CALL_NOT_IN_PROGRESS);
            assertThat(line.path("attempts").asInt()).isEqualTo(1);
            assertThat(line.path("message").asString()).isEqualTo(BulkLine.ALREADY_ENDED_MESSAGE);
            assertThat(line.has("status")).as("no Call came back").isFalse();
        });
        assertThat(SIM.ledger().call(ENDED).hangupsApplied()).isZero();
    }

    @Test
    void bulkReportsTwilioErrorsPerSid() {
        String unknown = newSid();
        List<JsonNode> results = bulk(LIVE + "\n" + unknown + "\n");
        assertThat(results).hasSize(2);
        JsonNode live = results.stream().filter(r -> r.path("sid").asString().equals(LIVE)).findFirst().orElseThrow();
        JsonNode missing = results.stream().filter(r -> r.path("sid").asString().equals(unknown)).findFirst().orElseThrow();
        assertThat(live.path("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(missing.path("outcome").asString()).isEqualTo("FAILED");
        assertThat(missing.path("http_status").asInt()).isEqualTo(404);
        assertThat(missing.path("twilio_code").asInt()).isEqualTo(20404);
        assertThat(missing.path("attempts").asInt()).isEqualTo(1);
        assertThat(missing.path("message").asString()).startsWith("Twilio answered HTTP 404, error 20404");
        assertThat(SIM.ledger().call(LIVE).status()).isEqualTo(CallStatus.COMPLETED);
    }
}
