package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application on a random port, with a {@link WebTestClient} bound to it. Each subclass starts its own
 * {@code TwilioSimulator}, points {@code callflux.base-url} at it and declares the {@link TwilioEnvironment}
 * that holds its credentials; the context is closed after the class (closing the client bean).
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
        return "CA" + UUID.randomUUID().toString().replace("-", "");
    }

    static TwilioEnvironment env(Map<String, String> variables) {
        return variables::get;
    }

    static TwilioEnvironment authToken(String accountSid, String token) {
        return env(Map.of(TwilioEnvironment.ACCOUNT_SID, accountSid, TwilioEnvironment.AUTH_TOKEN, token));
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
