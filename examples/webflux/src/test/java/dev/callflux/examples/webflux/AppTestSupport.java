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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
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
 * {@code @DynamicPropertySource}; the context is closed after the class (closing the client bean).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@Import(AppTestSupport.EnvironmentCredentials.class)
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
        for (String name : List.of(TwilioEnvironment.ACCOUNT_SID, TwilioEnvironment.AUTH_TOKEN,
                TwilioEnvironment.API_KEY, TwilioEnvironment.API_SECRET)) {
            registry.add(name, () -> variables.getOrDefault(name, ""));
        }
    }

    static Map<String, String> authToken(String accountSid, String token) {
        return Map.of(TwilioEnvironment.ACCOUNT_SID, accountSid, TwilioEnvironment.AUTH_TOKEN, token);
    }

    /**
     * Reads the credentials from Spring's {@code Environment} (where the tests register them, and where the OS
     * environment ends up in production) instead of straight from the process environment.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class EnvironmentCredentials {
        @Bean
        TwilioEnvironment twilioEnvironment(Environment environment) {
            return environment::getProperty;
        }
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
