package dev.callflux.spring.autoconfigure;

import static dev.callflux.spring.autoconfigure.Fixtures.ACCOUNT;
import static dev.callflux.spring.autoconfigure.Fixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.reactor.CallFluxClient;
import dev.callflux.spring.autoconfigure.Fixtures.ThreadRecorder;
import dev.callflux.spring.autoconfigure.app.TestApplication;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A WebFlux application on the starter, on a real port, calling a real simulator: the client runs on the server's
 * event loops (no thread of its own), and each request is an Observation, child of the server's.
 */
@SpringBootTest(classes = {TestApplication.class, WebFluxApplicationTest.Observations.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class WebFluxApplicationTest {

    static final TwilioSimulator SIM = TwilioSimulator.builder().account(ACCOUNT, TOKEN).start();

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("callflux.base-url", SIM::baseUrl);
        registry.add("callflux.account-sid", () -> ACCOUNT);
        registry.add("callflux.auth-token", () -> TOKEN);
        registry.add("TWILIO_API_KEY", () -> "");
        registry.add("TWILIO_API_SECRET", () -> "");
    }

    @AfterAll
    static void stop() {
        SIM.close();
    }

    /** A test registry in place of Boot's (whose auto-configuration backs off), plus a thread recorder. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Observations {
        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }

        @Bean
        ThreadRecorder threadRecorder() {
            return new ThreadRecorder();
        }
    }

    @Autowired
    WebTestClient web;

    @Autowired
    TestObservationRegistry observations;

    @Autowired
    ThreadRecorder threads;

    @Autowired
    CallFluxClient client;

    /** "webflux-http-epoll-3" is of the loop group "webflux-http-epoll". */
    static String loopGroup(String thread) {
        return thread.replaceFirst("-\\d+$", "");
    }

    @Test
    void aRequestThroughTheApplicationRunsOnTheServersLoopsAndIsObserved() {
        String sid = TestSids.newCallSid();
        String servedOn = web.post().uri("/calls/{sid}/hangup", sid).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("completed").jsonPath("$.sid").isEqualTo(sid)
                .returnResult().getResponseHeaders().getFirst(TestApplication.SERVED_ON);
        assertThat(SIM.ledger().call(sid).hangupsApplied()).isEqualTo(1);

        // The answer was read on one of the event loops the server itself runs on (Spring's ReactorResourceFactory) ...
        assertThat(servedOn).isNotNull().doesNotStartWith("callflux-");
        assertThat(threads.threads).singleElement().satisfies(t -> assertThat(loopGroup(t)).isEqualTo(loopGroup(servedOn)));
        // ... and the client made none of its own (a client of another test class of this JVM may still be stopping
        // its loop: bounded wait; threads of this context's client would never go).
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Set<String> live = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                    .map(Thread::getName).collect(Collectors.toSet());
            assertThat(live).noneMatch(name -> name.startsWith("callflux-"));
        });
        assertThat(client.toString()).doesNotContain(TOKEN);

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("callflux.update")
                .that()
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasLowCardinalityKeyValue("http.status", "200")
                .hasHighCardinalityKeyValue("call.sid", sid)
                .hasParentObservationContextMatching(parent -> "http.server.requests".equals(parent.getName()),
                        "the server's observation of the request")
                .doesNotHaveError();
    }
}
