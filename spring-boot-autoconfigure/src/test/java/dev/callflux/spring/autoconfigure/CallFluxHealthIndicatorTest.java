package dev.callflux.spring.autoconfigure;

import static dev.callflux.spring.autoconfigure.Fixtures.ACCOUNT;
import static dev.callflux.spring.autoconfigure.Fixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import reactor.test.StepVerifier;

/** The health indicator fed by a real client's requests to a real simulator (or to a closed port). */
class CallFluxHealthIndicatorTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private final MovableClock clock = new MovableClock();
    private final CallFluxHealthIndicator indicator = new CallFluxHealthIndicator(Duration.ofMinutes(5), clock);

    private CallFluxClient client(String baseUrl, String token) {
        return CallFluxClient.builder().credentials(Credentials.authToken(ACCOUNT, token)).baseUrl(baseUrl)
                .connectTimeout(Duration.ofSeconds(2)).addObserver(indicator).build();
    }

    @Test
    void unknownBeforeAnyRequest() {
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health.getDetails()).containsEntry("reason", "no request sent yet");
    }

    @Test
    void refusedCredentialsAreDownAndASuccessBringsItBack() {
        try (TwilioSimulator sim = TwilioSimulator.builder().account(ACCOUNT, TOKEN).start();
             CallFluxClient wrong = client(sim.baseUrl(), "the-wrong-token");
             CallFluxClient right = client(sim.baseUrl(), TOKEN)) {
            StepVerifier.create(wrong.hangup(TestSids.newCallSid()))
                    .expectErrorSatisfies(e -> assertThat(((TwilioApiException) e).statusCode()).isEqualTo(401))
                    .verify(Duration.ofSeconds(10));
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("reason").toString()).contains("Twilio refused the credentials");
            assertThat(down.getDetails()).containsEntry("latest", "HTTP 401, Twilio code 20003");
            assertThat(down.toString()).doesNotContain("the-wrong-token").doesNotContain(TOKEN);

            StepVerifier.create(right.hangup(TestSids.newCallSid())).expectNextCount(1).expectComplete()
                    .verify(Duration.ofSeconds(10));
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void anUnreachableEndpointIsOutOfServiceAndATwilioErrorAnswerIsUp() {
        TwilioSimulator closed = TwilioSimulator.builder().account(ACCOUNT, TOKEN).start();
        String baseUrl = closed.baseUrl();
        closed.close();
        try (CallFluxClient client = client(baseUrl, TOKEN)) {
            StepVerifier.create(client.hangup(TestSids.newCallSid()))
                    .expectErrorSatisfies(e -> assertThat(((CallFluxTransportException) e).kind())
                            .isEqualTo(CallFluxTransportException.Kind.CONNECT))
                    .verify(Duration.ofSeconds(10));
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(health.getDetails()).containsEntry("latest", "CONNECT");
        }
        try (TwilioSimulator sim = TwilioSimulator.builder().account(ACCOUNT, TOKEN).knownCallsOnly(true).start();
             CallFluxClient client = client(sim.baseUrl(), TOKEN)) {
            StepVerifier.create(client.hangup(TestSids.newCallSid())).expectError(TwilioApiException.class)
                    .verify(Duration.ofSeconds(10));
            Health health = indicator.health();
            assertThat(health.getStatus()).as("a 404: Twilio is there, the credentials were accepted").isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("latest", "HTTP 404, Twilio code 20404");
        }
    }

    @Test
    void whatWasSeenCountsForTheWindowOnly() {
        try (TwilioSimulator sim = TwilioSimulator.builder().account(ACCOUNT, TOKEN).start();
             CallFluxClient wrong = client(sim.baseUrl(), "the-wrong-token")) {
            StepVerifier.create(wrong.hangup(TestSids.newCallSid())).expectError().verify(Duration.ofSeconds(10));
            clock.now.set(clock.now.get().plus(Duration.ofMinutes(5)));
            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
            clock.now.set(clock.now.get().plusSeconds(1));
            Health stale = indicator.health();
            assertThat(stale.getStatus()).isEqualTo(Status.UNKNOWN);
            assertThat(stale.getDetails()).containsEntry("reason", "no request answered within PT5M");
            assertThat(sim.ledger().totalRequests()).as("the indicator itself sent nothing").isEqualTo(1);
        }
    }
}
