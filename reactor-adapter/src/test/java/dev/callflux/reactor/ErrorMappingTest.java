package dev.callflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxTransportException.Kind;
import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.CallStatus;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.testkit.Fault;
import dev.callflux.testkit.ScriptedServer;
import dev.callflux.testkit.TwilioSimulator;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/** Every class of failure arrives typed, with whether the request may have been applied. */
class ErrorMappingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String TOKEN = "sim-auth-token-0123456789abcdef";

    private static CallFluxClient clientFor(String baseUrl, String account, String token,
                                            Consumer<CallFluxClientBuilder> tweak) {
        CallFluxClientBuilder b = CallFluxClient.builder()
                .credentials(Credentials.authToken(account, token))
                .baseUrl(baseUrl);
        tweak.accept(b);
        return b.build();
    }

    private static void expectApiError(Mono<?> mono, Consumer<TwilioApiException> check) {
        StepVerifier.create(mono)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TwilioApiException.class);
                    check.accept((TwilioApiException) e);
                })
                .verify(TIMEOUT);
    }

    private static void expectTransportError(Mono<?> mono, Kind kind, boolean requestSent) {
        StepVerifier.create(mono)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(CallFluxTransportException.class);
                    CallFluxTransportException t = (CallFluxTransportException) e;
                    assertThat(t.kind()).as(t.getMessage()).isEqualTo(kind);
                    assertThat(t.requestSent()).as(t.getMessage()).isEqualTo(requestSent);
                    assertThat(t.mayHaveBeenApplied()).isEqualTo(requestSent);
                    assertThat(t.isTransient()).isTrue();
                })
                .verify(TIMEOUT);
    }

    @Test
    void wrongTokenIs401WithCode20003() {
        try (TwilioSimulator sim = TwilioSimulator.builder().start();
             CallFluxClient c = clientFor(sim.baseUrl(), sim.accountSid(), "wrong-token-0123456789", b -> { })) {
            expectApiError(c.hangup(TestCalls.callSid()), e -> {
                assertThat(e.statusCode()).isEqualTo(401);
                assertThat(e.code()).hasValue(20003);
                assertThat(e.moreInfo()).hasValue("https://www.twilio.com/docs/errors/20003");
                assertThat(e.requestId()).isPresent();
                assertThat(e.isTransient()).isFalse();
                assertThat(e.mayHaveBeenApplied()).isFalse();
                assertThat(e.getMessage()).doesNotContain("wrong-token-0123456789");
            });
        }
    }

    @Test
    void unknownCallIs404WithCode20404() {
        try (TwilioSimulator sim = TwilioSimulator.builder().knownCallsOnly(true).start();
             CallFluxClient c = clientFor(sim.baseUrl(), sim.accountSid(), sim.authToken(), b -> { })) {
            expectApiError(c.hangup(TestCalls.callSid()), e -> {
                assertThat(e.statusCode()).isEqualTo(404);
                assertThat(e.code()).hasValue(20404);
                assertThat(e.isTransient()).isFalse();
            });
        }
    }

    @Test
    void redirectingAnEndedCallIs400WithCode21220() {
        String sid = TestCalls.callSid();
        try (TwilioSimulator sim = TwilioSimulator.builder().call(sid, CallStatus.COMPLETED).start();
             CallFluxClient c = clientFor(sim.baseUrl(), sim.accountSid(), sim.authToken(), b -> { })) {
            expectApiError(c.update(sid, UpdateCallRequest.redirect("https://example.com/next.xml")), e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.code()).hasValue(21220);
                assertThat(e.twilioMessage()).hasValueSatisfying(m -> assertThat(m).contains("not in-progress"));
                assertThat(e.isTransient()).isFalse();
                assertThat(e.mayHaveBeenApplied()).isFalse();
            });
        }
    }

    @Test
    void concurrencyLimitIs429WithRetryAfterNeverApplied() {
        try (TwilioSimulator sim = TwilioSimulator.builder().rateLimitedFraction(1.0)
                .retryAfter(Duration.ofSeconds(2)).start();
             CallFluxClient c = clientFor(sim.baseUrl(), sim.accountSid(), sim.authToken(), b -> { })) {
            String sid = TestCalls.callSid();
            expectApiError(c.hangup(sid), e -> {
                assertThat(e.statusCode()).isEqualTo(429);
                assertThat(e.code()).hasValue(20429);
                assertThat(e.isRateLimited()).isTrue();
                assertThat(e.isTransient()).isTrue();
                assertThat(e.mayHaveBeenApplied()).isFalse();
                assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(2));
            });
            assertThat(sim.ledger().call(sid).updatesApplied()).isZero();
        }
    }

    @Test
    void serverErrorIsTransientAndMayHaveBeenApplied() {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.SERVER_ERROR, 1.0).serverErrorStatuses(503).start();
             CallFluxClient c = clientFor(sim.baseUrl(), sim.accountSid(), sim.authToken(), b -> { })) {
            expectApiError(c.hangup(TestCalls.callSid()), e -> {
                assertThat(e.statusCode()).isEqualTo(503);
                assertThat(e.isTransient()).isTrue();
                assertThat(e.mayHaveBeenApplied()).isTrue();
            });
        }
    }

    @Test
    void emptyErrorBodyStillGivesATypedErrorWithItsStatus() {
        try (ScriptedServer server = ScriptedServer.answering(502, null, "");
             CallFluxClient c = clientFor(server.baseUrl(), TestCalls.sid("AC", 1), TOKEN, b -> { })) {
            expectApiError(c.hangup(TestCalls.callSid()), e -> {
                assertThat(e.statusCode()).isEqualTo(502);
                assertThat(e.code()).isEmpty();
                assertThat(e.getMessage()).contains("empty body");
            });
        }
    }

    @Test
    void htmlErrorPageFromAProxyGivesATypedErrorWithAnExcerpt() {
        String html = "<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>";
        try (ScriptedServer server = ScriptedServer.answering(503, "text/html", html);
             CallFluxClient c = clientFor(server.baseUrl(), TestCalls.sid("AC", 1), TOKEN, b -> { })) {
            expectApiError(c.hangup(TestCalls.callSid()), e -> {
                assertThat(e.statusCode()).isEqualTo(503);
                assertThat(e.code()).isEmpty();
                assertThat(e.getMessage()).contains("503 Service Unavailable");
                assertThat(e.mayHaveBeenApplied()).isTrue();
            });
        }
    }

    @Test
    void okWithABodyThatIsNotACallIsMalformedAndMayHaveBeenApplied() {
        try (ScriptedServer server = ScriptedServer.answering(200, "text/html", "<html>OK</html>");
             CallFluxClient c = clientFor(server.baseUrl(), TestCalls.sid("AC", 1), TOKEN, b -> { })) {
            expectTransportError(c.hangup(TestCalls.callSid()), Kind.MALFORMED_RESPONSE, true);
        }
    }

    @Test
    void oversizedBodyIsRefusedNotBuffered() {
        String big = "{\"sid\":\"" + "x".repeat(4096) + "\"}";
        try (ScriptedServer server = ScriptedServer.answering(200, "application/json", big);
             CallFluxClient c = clientFor(server.baseUrl(), TestCalls.sid("AC", 1), TOKEN, b -> b.maxResponseBytes(1024))) {
            expectTransportError(c.hangup(TestCalls.callSid()), Kind.RESPONSE_TOO_LARGE, true);
        }
    }

    @Test
    void resetBeforeTheResponseMayHaveReachedTwilio() {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.RESET, 1.0).start();
             CallFluxClient c = clientFor(sim.baseUrl(), sim.accountSid(), sim.authToken(), b -> { })) {
            expectTransportError(c.hangup(TestCalls.callSid()), Kind.CONNECTION_CLOSED, true);
        }
    }

    @Test
    void slowResponseTimesOutAndMayHaveReachedTwilio() {
        try (TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofSeconds(5)).start();
             CallFluxClient c = clientFor(sim.baseUrl(), sim.accountSid(), sim.authToken(),
                     b -> b.responseTimeout(Duration.ofMillis(200)))) {
            expectTransportError(c.hangup(TestCalls.callSid()), Kind.RESPONSE_TIMEOUT, true);
        }
    }

    /**
     * A client the application gives may speak HTTP/2: its requests run on stream channels, which have no
     * connection-wide timeout handler of CallFlux's; the response timeout still holds (Reactor Netty's own).
     */
    @Test
    void slowResponseOverAnHttp2ClientTimesOutToo() {
        DisposableServer silent = HttpServer.create().host("127.0.0.1").port(0).protocol(HttpProtocol.H2C)
                .handle((request, response) -> Mono.never())
                .bindNow();
        ConnectionProvider pool = ConnectionProvider.create("h2c", 2);
        try (CallFluxClient c = clientFor("http://127.0.0.1:" + silent.port(), TestCalls.sid("AC", 1), TOKEN,
                b -> b.httpClient(HttpClient.create(pool).protocol(HttpProtocol.H2C))
                        .responseTimeout(Duration.ofMillis(300)))) {
            expectTransportError(c.hangup(TestCalls.callSid()), Kind.RESPONSE_TIMEOUT, true);
        } finally {
            pool.disposeLater().block(TIMEOUT);
            silent.disposeNow();
        }
    }

    @Test
    void refusedConnectionWasNeverSent() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (CallFluxClient c = clientFor("http://127.0.0.1:" + closedPort, TestCalls.sid("AC", 1), TOKEN, b -> { })) {
            expectTransportError(c.hangup(TestCalls.callSid()), Kind.CONNECT, false);
        }
    }
}
