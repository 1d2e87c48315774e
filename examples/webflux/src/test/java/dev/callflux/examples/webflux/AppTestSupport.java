package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import dev.callflux.testkit.TwilioSimulator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application on a random port, with a {@link WebTestClient} bound to it. Each subclass starts its own
 * {@code TwilioSimulator} and points the service at it with {@link #useSimulator} (or {@link #register}) from a
 * {@code @DynamicPropertySource}: the {@code TWILIO_*} variables as Spring properties, where the starter reads
 * them (the OS environment ends up there in production); the context is closed after the class (closing the
 * client bean).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
abstract class AppTestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient web;

    /** A fresh, well-formed call SID. */
    static String newSid() {
        return dev.callflux.testkit.TestSids.newCallSid();
    }

    /** Points the service at {@code sim} with its own account and auth token. */
    static void useSimulator(DynamicPropertyRegistry registry, TwilioSimulator sim) {
        register(registry, sim::baseUrl, authToken(sim.accountSid(), sim.authToken()));
    }

    /**
     * Points the service at {@code baseUrl} with {@code variables}; the other credential variables are set
     * blank, so a real {@code TWILIO_*} variable of the machine running the tests cannot interfere.
     */
    static void register(DynamicPropertyRegistry registry, Supplier<Object> baseUrl, Map<String, String> variables) {
        registry.add("callflux.base-url", baseUrl);
        for (String name : List.of("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
                "TWILIO_API_KEY", "TWILIO_API_SECRET")) {
            registry.add(name, () -> variables.getOrDefault(name, ""));
        }
    }

    static Map<String, String> authToken(String accountSid, String token) {
        return Map.of("TWILIO_ACCOUNT_SID", accountSid, "TWILIO_AUTH_TOKEN", token);
    }

    /** Posts an NDJSON body to the bulk endpoint and reads every result line. */
    List<JsonNode> bulk(String ndjson) {
        return bulk(MediaType.APPLICATION_NDJSON, ndjson);
    }

    List<JsonNode> bulk(MediaType type, String body) {
        List<String> lines = web.post().uri("/calls/hangup")
                .contentType(type)
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .returnResult(String.class)
                .getResponseBody()
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(lines).isNotNull();
        return lines.stream().map(JSON::readTree).toList();
    }
}
