package dev.callflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.http.TwilioHttp;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.CallStatus;
import dev.callflux.core.model.CallbackMethod;
import dev.callflux.core.model.UpdateCallParameter;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.core.model.UpdateStatus;
import dev.callflux.testkit.ScriptedServer;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The client against the simulator over real HTTP: what is sent, what comes back. */
class CallFluxClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private TwilioSimulator sim;
    private CallFluxClient client;

    @BeforeEach
    void start() {
        sim = TwilioSimulator.builder().initialStatus(CallStatus.IN_PROGRESS).start();
        client = CallFluxClient.builder()
                .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                .baseUrl(sim.baseUrl())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        sim.close();
    }

    @Test
    void hangupEndsTheCallAndReturnsIt() {
        String sid = TestCalls.callSid();
        StepVerifier.create(client.hangup(sid))
                .assertNext(call -> {
                    assertThat(call.sid()).isEqualTo(sid);
                    assertThat(call.accountSid()).isEqualTo(sim.accountSid());
                    assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
                    assertThat(call.endTime()).isNotNull();
                })
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(sim.ledger().call(sid).hangupsApplied()).isEqualTo(1);
        assertThat(sim.ledger().call(sid).appliedUpdates()).containsExactly(Map.of("Status", "completed"));
    }

    @Test
    void cancelSendsStatusCanceled() {
        String sid = TestCalls.callSid();
        StepVerifier.create(client.cancel(CallSid.of(sid)))
                .assertNext(call -> assertThat(call.sid()).isEqualTo(sid))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(sim.ledger().call(sid).appliedUpdates()).containsExactly(Map.of("Status", "canceled"));
    }

    @Test
    void everyParameterReachesTheServerExactlyAsBuilt() {
        UpdateCallRequest redirect = UpdateCallRequest.builder()
                .url("https://example.com/twiml/next?step=2&lang=fr-FR#top")
                .method(CallbackMethod.GET)
                .fallbackUrl("https://fallback.example.com/a%20b/ü?x=1+2")
                .fallbackMethod("post")
                .statusCallback("http://[2001:db8::1]:8443/status")
                .statusCallbackMethod(CallbackMethod.PUT)
                .timeLimit(600)
                .build();
        UpdateCallRequest inline = UpdateCallRequest.builder()
                .twiml("<Response>\n  <Say language=\"fr-FR\">Ça coûte 5 € + 10 % & plus — 日本 🎉</Say>\n</Response>")
                .status(UpdateStatus.COMPLETED)
                .build();
        for (UpdateCallRequest request : new UpdateCallRequest[] {redirect, inline}) {
            String sid = TestCalls.callSid();
            StepVerifier.create(client.update(sid, request)).expectNextCount(1).expectComplete().verify(TIMEOUT);
            Map<String, String> expected = new LinkedHashMap<>();
            for (Map.Entry<UpdateCallParameter, String> p : request.parameters()) {
                expected.put(p.getKey().wireName(), p.getValue());
            }
            assertThat(sim.ledger().call(sid).appliedUpdates()).containsExactly(expected);
        }
    }

    @Test
    void shortcutsSendWhatTheyName() {
        String redirected = TestCalls.callSid();
        StepVerifier.create(client.update(redirected, UpdateCallRequest.redirect("https://example.com/hold.xml")))
                .expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(sim.ledger().call(redirected).redirectsApplied()).isEqualTo(1);
        assertThat(sim.ledger().call(redirected).appliedUpdates())
                .containsExactly(Map.of("Url", "https://example.com/hold.xml"));

        String replaced = TestCalls.callSid();
        StepVerifier.create(client.update(replaced, UpdateCallRequest.replaceTwiml("<Response><Hangup/></Response>")))
                .expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(sim.ledger().call(replaced).appliedUpdates())
                .containsExactly(Map.of("Twiml", "<Response><Hangup/></Response>"));
    }

    @Test
    void updateWithResponseGivesStatusAndTwilioHeaders() {
        StepVerifier.create(client.updateWithResponse(CallSid.of(TestCalls.callSid()), UpdateCallRequest.hangup()))
                .assertNext(response -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.requestId()).hasValueSatisfying(id -> assertThat(id).matches("RQ[0-9a-f]{32}"));
                    assertThat(response.concurrentRequests()).isPresent();
                    assertThat(response.headers()).containsKey(TwilioHttp.REQUEST_ID.toLowerCase());
                    assertThat(response.value().status()).isEqualTo(CallStatus.COMPLETED);
                })
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void aMonoThatIsNeverSubscribedSendsNothing() {
        Mono<?> notSubscribed = client.hangup(TestCalls.callSid());
        Mono<?> alsoNot = client.update(TestCalls.callSid(), UpdateCallRequest.redirect("https://example.com/x"));
        // Nothing was sent by making them: a later request proves the server is up and counting, and it is the only one.
        StepVerifier.create(client.hangup(TestCalls.callSid())).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(sim.ledger().totalRequests()).isEqualTo(1);
    }

    @Test
    void eachSubscriptionSendsOneRequest() {
        String sid = TestCalls.callSid();
        Mono<?> hangup = client.hangup(sid);
        StepVerifier.create(hangup).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(sim.ledger().requests(sid)).isEqualTo(1);
        // The second subscription sends its own request: the call has ended by then, so Twilio refuses it.
        StepVerifier.create(hangup)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TwilioApiException.class);
                    TwilioApiException api = (TwilioApiException) e;
                    assertThat(api.statusCode()).isEqualTo(400);
                    assertThat(api.code()).hasValue(21220);
                    assertThat(api.mayHaveBeenApplied()).isFalse();
                })
                .verify(TIMEOUT);
        assertThat(sim.ledger().requests(sid)).isEqualTo(2);
        assertThat(sim.ledger().call(sid).hangupsApplied()).isEqualTo(1);
        assertThat(sim.ledger().call(sid).updatesApplied()).isEqualTo(1);
        assertThat(sim.ledger().call(sid).notInProgressAnswers()).isEqualTo(1);
    }

    @Test
    void argumentErrorsArriveInsideTheMonoAndSendNothing() {
        StepVerifier.create(client.hangup("CA-not-a-sid"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidRequestException.class)
                        .hasMessageStartingWith("CallSid:"))
                .verify(TIMEOUT);
        StepVerifier.create(client.update("AC../../etc", TestCalls.callSid(), UpdateCallRequest.hangup()))
                .expectErrorSatisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("AccountSid"))
                .verify(TIMEOUT);
        StepVerifier.create(client.update(TestCalls.callSid(), null))
                .expectErrorSatisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("UpdateCallRequest"))
                .verify(TIMEOUT);
        StepVerifier.create(client.update((CallSid) null, UpdateCallRequest.hangup()))
                .expectErrorSatisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("CallSid"))
                .verify(TIMEOUT);
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void subaccountCallsGoToTheSubaccountPath() {
        String parent = TestCalls.sid("AC", 0xabcL);
        String sub = TestCalls.sid("AC", 0xdefL);
        try (TwilioSimulator s = TwilioSimulator.builder().account(parent, "parent-token-0123456789abcdef")
                .subaccount(parent, sub).start();
             CallFluxClient c = CallFluxClient.builder()
                     .credentials(Credentials.authToken(parent, "parent-token-0123456789abcdef"))
                     .baseUrl(s.baseUrl()).build()) {
            String sid = TestCalls.callSid();
            StepVerifier.create(c.update(AccountSid.of(sub), CallSid.of(sid), UpdateCallRequest.hangup()))
                    .assertNext(call -> assertThat(call.accountSid()).isEqualTo(sub))
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Test
    void apiKeyCredentialsWithTheAccountInThePath() {
        String account = TestCalls.sid("AC", 0x1234L);
        String key = TestCalls.sid("SK", 0x5678L);
        try (TwilioSimulator s = TwilioSimulator.builder().account(account, "unused-token-0123456789abcdef")
                .apiKey(key, "key-secret-0123456789abcdef", account).start();
             CallFluxClient c = CallFluxClient.builder()
                     .credentials(Credentials.apiKey(key, "key-secret-0123456789abcdef"))
                     .accountSid(account)
                     .baseUrl(s.baseUrl()).build()) {
            StepVerifier.create(c.hangup(TestCalls.callSid()))
                    .assertNext(call -> assertThat(call.accountSid()).isEqualTo(account))
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Test
    void sendsBasicAuthAcceptJsonFormContentTypeAndUserAgent() {
        String sid = TestCalls.callSid();
        try (ScriptedServer server = ScriptedServer.answering(200, "application/json", "{\"sid\":\"" + sid + "\"}");
             CallFluxClient c = CallFluxClient.builder()
                     .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                     .baseUrl(server.baseUrl()).build()) {
            StepVerifier.create(c.hangup(sid)).expectNextCount(1).expectComplete().verify(TIMEOUT);
            ScriptedServer.Received r = server.received().get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri()).isEqualTo("/2010-04-01/Accounts/" + sim.accountSid() + "/Calls/" + sid + ".json");
            assertThat(r.headers().get("Authorization"))
                    .isEqualTo(Credentials.authToken(sim.accountSid(), sim.authToken()).authorizationHeader());
            assertThat(r.headers().get("Accept")).isEqualTo("application/json");
            assertThat(r.headers().get("Content-Type")).isEqualTo("application/x-www-form-urlencoded; charset=UTF-8");
            assertThat(r.headers().get("Content-Length")).isEqualTo("16");
            assertThat(r.headers().get("User-Agent")).startsWith("callflux-java/").contains("Java " + System.getProperty("java.version"));
            assertThat(r.body()).isEqualTo("Status=completed");
        }
    }

    @Test
    void builderRefusesMissingCredentialsAndAnApiKeyWithoutAccount() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> CallFluxClient.builder().build()))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("Credentials are required");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> CallFluxClient.builder()
                .credentials(Credentials.apiKey(TestCalls.sid("SK", 1), "secret-value-123")).build()))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("AccountSid is required with API key credentials (the account goes in the request path)");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> CallFluxClient.builder()
                .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                .baseUrl("http://api.example.com").build()))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("BaseUrl must use https unless the host is a loopback address");
    }

    /**
     * The builder's settings are configuration: IllegalArgumentException for a bad value, NullPointerException for
     * a missing one, the setting's name first; never InvalidRequestException, which is for requests.
     */
    @Test
    void builderSettingsFollowTheConfigurationConvention() {
        Credentials token = Credentials.authToken(sim.accountSid(), sim.authToken());
        Map<ThrowingCallable, String> bad = new LinkedHashMap<>();
        bad.put(() -> CallFluxClient.builder().credentials(token).accountSid("AC123").build(),
                "AccountSid must be 'AC' followed by 32 hexadecimal digits (got 5 characters)");
        bad.put(() -> CallFluxClient.builder().credentials(token).accountSid(TestCalls.sid("CA", 1)).build(),
                "AccountSid must be 'AC' followed by 32 hexadecimal digits (it does not start with 'AC')");
        bad.put(() -> CallFluxClient.builder().credentials(token).region("xx9").build(),
                "Region must be one of us1 (edge ashburn), us2 (edge umatilla), ie1 (edge dublin), de1 (edge frankfurt), "
                        + "au1 (edge sydney), jp1 (edge tokyo), sg1 (edge singapore), br1 (edge sao-paulo) (or give an edge too)");
        bad.put(() -> CallFluxClient.builder().credentials(token).edge("dub lin").build(),
                "Edge must be a Twilio location name such as 'ie1' or 'dublin'");
        bad.put(() -> CallFluxClient.builder().connectTimeout(Duration.ZERO), "ConnectTimeout must be a positive duration (got PT0S)");
        bad.put(() -> CallFluxClient.builder().responseTimeout(Duration.ofMillis(-1)),
                "ResponseTimeout must be a positive duration (got PT-0.001S)");
        bad.put(() -> CallFluxClient.builder().pendingAcquireTimeout(Duration.ZERO),
                "PendingAcquireTimeout must be a positive duration (got PT0S)");
        bad.put(() -> CallFluxClient.builder().maxIdleTime(Duration.ofSeconds(-5)), "MaxIdleTime must be a positive duration (got PT-5S)");
        bad.put(() -> CallFluxClient.builder().maxConnections(0), "MaxConnections must be at least 1 (got 0)");
        bad.put(() -> CallFluxClient.builder().maxPendingAcquires(-3), "MaxPendingAcquires must be at least 1 (got -3)");
        bad.put(() -> CallFluxClient.builder().maxResponseBytes(0), "MaxResponseBytes must be at least 1 (got 0)");
        bad.put(() -> CallFluxClient.builder().eventLoopThreads(0), "EventLoopThreads must be at least 1 (got 0)");
        bad.forEach((mistake, message) -> assertThat(catchThrowable(mistake)).as(message)
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(message).hasNoCause());

        Map<ThrowingCallable, String> missing = new LinkedHashMap<>();
        missing.put(() -> CallFluxClient.builder().credentials(null), "Credentials are required");
        missing.put(() -> CallFluxClient.builder().endpoint(null), "Endpoint is required");
        missing.put(() -> CallFluxClient.builder().baseUrl(null), "BaseUrl is required");
        missing.put(() -> CallFluxClient.builder().httpClient(null), "HttpClient is required");
        missing.put(() -> CallFluxClient.builder().connectTimeout(null), "ConnectTimeout is required");
        missing.put(() -> CallFluxClient.builder().responseTimeout(null), "ResponseTimeout is required");
        missing.put(() -> CallFluxClient.builder().pendingAcquireTimeout(null), "PendingAcquireTimeout is required");
        missing.put(() -> CallFluxClient.builder().maxIdleTime(null), "MaxIdleTime is required");
        missing.forEach((mistake, message) -> assertThat(catchThrowable(mistake)).as(message)
                .isExactlyInstanceOf(NullPointerException.class).hasMessage(message));
    }

    @Test
    void regionAndEdgeChooseTheHost() {
        try (CallFluxClient c = CallFluxClient.builder()
                .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                .region("ie1").edge("dublin").build()) {
            assertThat(c.endpoint().baseUrl()).isEqualTo("https://api.dublin.ie1.twilio.com");
        }
        try (CallFluxClient c = CallFluxClient.builder()
                .credentials(Credentials.authToken(sim.accountSid(), sim.authToken())).edge("sydney").build()) {
            assertThat(c.endpoint().baseUrl()).isEqualTo("https://api.sydney.us1.twilio.com");
        }
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(client.toString()).contains(sim.accountSid()).doesNotContain(sim.authToken());
    }
}
