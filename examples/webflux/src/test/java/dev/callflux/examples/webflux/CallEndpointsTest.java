package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.CallRecord;
import dev.callflux.testkit.TwilioSimulator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code POST /calls/{sid}/hangup} and {@code POST /calls/{sid}}: success and validation. */
class CallEndpointsTest extends AppTestSupport {

    static final TwilioSimulator SIM = TwilioSimulator.builder().start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useSimulator(registry, SIM);
    }


    @AfterAll
    static void stopSimulator() {
        SIM.close();
    }

    @org.springframework.beans.factory.annotation.Autowired
    dev.callflux.reactor.CallFluxClient client;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.http.client.ReactorResourceFactory reactorResources;

    @Test
    void theClientRunsOnSpringsSharedEventLoopsNotThreadsOfItsOwn() throws Exception {
        String thread = client.update(newSid(), dev.callflux.core.model.UpdateCallRequest.hangup())
                .map(call -> Thread.currentThread().getName())
                .block(java.time.Duration.ofSeconds(10));
        String shared = reactorResources.getLoopResources().onClient(true).next()
                .submit(() -> Thread.currentThread().getName()).get(10, java.util.concurrent.TimeUnit.SECONDS);
        // The same loop group as Spring's ReactorResourceFactory (names differ only by the thread's number).
        assertThat(thread.replaceAll("-\\d+$", "")).isEqualTo(shared.replaceAll("-\\d+$", ""));
        assertThat(thread).doesNotStartWith("callflux");
    }

    @Test
    void hangupReturnsTheCallAsTwilioJson() {
        String sid = newSid();
        byte[] body = web.post().uri("/calls/{sid}/hangup", sid)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().exists(CallsController.TWILIO_REQUEST_ID)
                .expectBody()
                .jsonPath("$.sid").isEqualTo(sid)
                .jsonPath("$.account_sid").isEqualTo(SIM.accountSid())
                .jsonPath("$.status").isEqualTo("completed")
                .jsonPath("$.subresource_uris").exists()
                .returnResult().getResponseBody();
        // Twilio's snake_case JSON from CallJson, not a bean serialization of Call.
        assertThat(new String(body)).startsWith("{\"account_sid\":").doesNotContain("statusValue");
        CallRecord record = SIM.ledger().call(sid);
        assertThat(record.hangupsApplied()).isEqualTo(1);
        assertThat(record.requestsReceived()).isEqualTo(1);
    }

    @Test
    void updateAppliesTheBodyFields() {
        String sid = newSid();
        web.post().uri("/calls/{sid}", sid)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"url\": \"https://example.com/next.xml\", \"method\": \"GET\", \"timeLimit\": 600,"
                        + " \"fallbackUrl\": \"https://example.com/fallback.xml\", \"fallbackMethod\": \"POST\","
                        + " \"statusCallback\": \"https://example.com/status\", \"statusCallbackMethod\": \"POST\","
                        + " \"twiml\": null}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.sid").isEqualTo(sid)
                .jsonPath("$.status").isEqualTo("in-progress");
        CallRecord record = SIM.ledger().call(sid);
        assertThat(record.redirectsApplied()).isEqualTo(1);
        assertThat(record.appliedUpdates()).containsExactly(Map.of(
                "Url", "https://example.com/next.xml", "Method", "GET", "TimeLimit", "600",
                "FallbackUrl", "https://example.com/fallback.xml", "FallbackMethod", "POST",
                "StatusCallback", "https://example.com/status", "StatusCallbackMethod", "POST"));
    }

    @Test
    void updateWithTwimlThenStatus() {
        String sid = newSid();
        web.post().uri("/calls/{sid}", sid)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"twiml\": \"<Response><Say>Goodbye</Say></Response>\"}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("in-progress");
        web.post().uri("/calls/{sid}", sid)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"status\": \"completed\"}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("completed");
        CallRecord record = SIM.ledger().call(sid);
        assertThat(record.appliedUpdates()).containsExactly(
                Map.of("Twiml", "<Response><Say>Goodbye</Say></Response>"), Map.of("Status", "completed"));
        assertThat(record.hangupsApplied()).isEqualTo(1);
    }

    @Test
    void badSidOnHangupIs400BeforeAnythingIsSent() {
        long before = SIM.ledger().totalRequests();
        web.post().uri("/calls/{sid}/hangup", "CA123")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.field").isEqualTo("CallSid")
                .jsonPath("$.rule").value(rule -> assertThat((String) rule).contains("32 hexadecimal digits"))
                .jsonPath("$.message").value(m -> assertThat((String) m).startsWith("CallSid: "));
        assertThat(SIM.ledger().totalRequests()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"url\": \"ftp://example.com/x.xml\"}                                   | Url                  | http",
            "{\"url\": \"https://example.com/a.xml\", \"twiml\": \"<Response/>\"}     | Twiml                | mutually exclusive",
            "{}                                                                       | body                 | at least one update field (url, method,",
            "``                                                                       | body                 | at least one update field",
            "{\"url\": null, \"twiml\": null}                                           | body                 | at least one update field",
            "{\"status\": \"busy\"}                                                   | Status               | 'canceled' or 'completed'",
            "{\"method\": \"FETCH\"}                                                  | Method               | must be one of",
            "{\"timeLimit\": 0}                                                       | TimeLimit            | positive",
            "{\"timeLimit\": \"600\"}                                                 | TimeLimit            | whole number",
            "{\"url\": 5}                                                             | Url                  | JSON string",
            "{\"statusCallBack\": \"https://example.com/s\"}                          | statusCallBack       | not an update field",
            "[\"https://example.com\"]                                                | body                 | JSON object",
            "{\"url\": \"https://example.com/a.xml\",                                 | body                 | malformed",
            "{\"url\": \"https://example.com/a.xml\", \"url\": \"https://example.com/b.xml\"} | body         | malformed",
    })
    void invalidUpdateIs400WithFieldAndRule(String body, String field, String rule) {
        long before = SIM.ledger().totalRequests();
        web.post().uri("/calls/{sid}", newSid())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body == null ? "" : body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.field").isEqualTo(field)
                .jsonPath("$.rule").value(r -> assertThat((String) r).contains(rule == null ? "" : rule))
                .jsonPath("$.message").value(m -> assertThat((String) m).startsWith(field + ": "));
        assertThat(SIM.ledger().totalRequests()).isEqualTo(before);
    }

    @Test
    void updateNeedsAJsonBody() {
        web.post().uri("/calls/{sid}", newSid())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("Status=completed")
                .exchange()
                .expectStatus().isEqualTo(415);
    }

    @Test
    void healthIsUp() {
        web.get().uri("/actuator/health")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void logsShowTheClientButNeverTheToken(CapturedOutput output) {
        web.post().uri("/calls/{sid}/hangup", newSid()).exchange().expectStatus().isOk();
        assertThat(output.getAll())
                .contains("CallFlux client ready")
                .contains("secret=<redacted>")
                .doesNotContain(SIM.authToken());
    }
}
