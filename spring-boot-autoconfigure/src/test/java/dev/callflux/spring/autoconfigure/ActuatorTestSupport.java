package dev.callflux.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.spring.autoconfigure.app.TestApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The test application with Boot's own observation and Prometheus registries, every actuator endpoint exposed
 * and values shown (the operator's worst case for secrets), on a real port.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=*", "management.endpoint.health.show-details=always",
                "management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always"})
@AutoConfigureWebTestClient(timeout = "30s")
abstract class ActuatorTestSupport {

    @Autowired
    WebTestClient web;

    static void credentials(DynamicPropertyRegistry registry, String baseUrl, String token) {
        registry.add("callflux.base-url", () -> baseUrl);
        registry.add("callflux.account-sid", () -> Fixtures.ACCOUNT);
        registry.add("callflux.auth-token", () -> token);
        registry.add("TWILIO_API_KEY", () -> "");
        registry.add("TWILIO_API_SECRET", () -> "");
    }

    String get(String path, int status) {
        WebTestClient.ResponseSpec response;
        try {
            response = web.get().uri(path).exchange();
        } catch (IllegalStateException noAnswer) { // WebTestClient's timeout names no request: say which one
            throw new AssertionError("GET " + path + " got no answer within the client's timeout", noAnswer);
        }
        String body = response.expectStatus().isEqualTo(status)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).as(path).isNotNull();
        return body;
    }

    int hangup(String sid) {
        return web.post().uri("/calls/{sid}/hangup", sid).exchange().returnResult(String.class).getStatus().value();
    }
}
