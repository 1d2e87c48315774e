package dev.callflux.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallStatus;
import dev.callflux.core.model.CallbackMethod;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.core.model.UpdateStatus;
import dev.callflux.reactor.CallFluxClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;

/**
 * Every parameter and every shortcut, sent by the real client to Prism serving Twilio's official
 * OpenAPI document: Prism must accept the request (it answers 422 when a request breaks the schema) and
 * the Call it returns must parse.
 */
class OpenApiConformanceTest {

    private static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
    private static final String CALL = "CA" + "fedcba9876543210".repeat(2);
    private static final String TOKEN = "conformance-token-0123456789abcd";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static Prism prism;
    private static CallFluxClient client;

    @BeforeAll
    static void startPrism() throws Exception {
        prism = Prism.start();
        client = CallFluxClient.builder()
                .credentials(Credentials.authToken(ACCOUNT, TOKEN))
                .baseUrl(prism.baseUrl())
                .build();
    }

    @AfterAll
    static void stopPrism() {
        if (client != null) {
            client.close();
        }
        if (prism != null) {
            prism.close();
        }
    }

    static Stream<Arguments> acceptedRequests() {
        return Stream.of(
                Arguments.of("Url", UpdateCallRequest.builder().url("https://example.com/twiml.xml").build()),
                Arguments.of("Method=GET", UpdateCallRequest.builder().url("https://example.com/t.xml").method(CallbackMethod.GET).build()),
                Arguments.of("Method=POST", UpdateCallRequest.builder().url("https://example.com/t.xml").method(CallbackMethod.POST).build()),
                Arguments.of("Status=completed", UpdateCallRequest.builder().status(UpdateStatus.COMPLETED).build()),
                Arguments.of("Status=canceled", UpdateCallRequest.builder().status(UpdateStatus.CANCELED).build()),
                Arguments.of("FallbackUrl", UpdateCallRequest.builder().url("https://example.com/t.xml")
                        .fallbackUrl("https://fallback.example.com/t.xml?x=1&y=%C3%A9").build()),
                Arguments.of("FallbackMethod", UpdateCallRequest.builder().url("https://example.com/t.xml")
                        .fallbackUrl("https://fallback.example.com/t.xml").fallbackMethod(CallbackMethod.GET).build()),
                Arguments.of("StatusCallback", UpdateCallRequest.builder().status(UpdateStatus.COMPLETED)
                        .statusCallback("https://hooks.example.com/status").build()),
                Arguments.of("StatusCallbackMethod", UpdateCallRequest.builder().status(UpdateStatus.COMPLETED)
                        .statusCallback("https://hooks.example.com/status").statusCallbackMethod(CallbackMethod.GET).build()),
                Arguments.of("Twiml", UpdateCallRequest.builder()
                        .twiml("<Response><Say language=\"fr-FR\">Ça coûte 5 € + 10 % & plus — 日本</Say></Response>").build()),
                Arguments.of("TimeLimit", UpdateCallRequest.builder().timeLimit(3600).build()),
                Arguments.of("every parameter but Twiml", UpdateCallRequest.builder()
                        .url("https://example.com/t.xml").method(CallbackMethod.POST)
                        .status(UpdateStatus.COMPLETED)
                        .fallbackUrl("https://example.com/f.xml").fallbackMethod(CallbackMethod.POST)
                        .statusCallback("https://example.com/s").statusCallbackMethod(CallbackMethod.POST)
                        .timeLimit(60).build()),
                Arguments.of("hangup()", UpdateCallRequest.hangup()),
                Arguments.of("cancel()", UpdateCallRequest.cancel()),
                Arguments.of("redirect()", UpdateCallRequest.redirect("https://example.com/hold.xml")),
                Arguments.of("redirect(url, GET)", UpdateCallRequest.redirect("https://example.com/hold.xml", CallbackMethod.GET)),
                Arguments.of("replaceTwiml()", UpdateCallRequest.replaceTwiml("<Response><Hangup/></Response>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedRequests")
    void theOfficialDocumentAcceptsTheRequestAndItsCallParses(String name, UpdateCallRequest request) {
        StepVerifier.create(client.update(CALL, request))
                .assertNext(OpenApiConformanceTest::isTheDocumentsExampleCall)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void clientShortcutsAreAccepted() {
        StepVerifier.create(client.hangup(CALL)).assertNext(OpenApiConformanceTest::isTheDocumentsExampleCall)
                .expectComplete().verify(TIMEOUT);
        StepVerifier.create(client.cancel(CALL)).assertNext(OpenApiConformanceTest::isTheDocumentsExampleCall)
                .expectComplete().verify(TIMEOUT);
    }

    private static void isTheDocumentsExampleCall(Call call) {
        assertThat(call.sid()).matches("CA[0-9a-fA-F]{32}");
        assertThat(call.accountSid()).matches("AC[0-9a-fA-F]{32}");
        assertThat(call.status()).isNotEqualTo(CallStatus.UNKNOWN);
        assertThat(call.dateCreated()).isNotNull();
        assertThat(call.subresourceUris()).isNotEmpty();
    }

    /**
     * The seed of the operation lists HEAD, GET, POST, PATCH, PUT and DELETE for the method parameters;
     * the official document allows only GET and POST. CallFlux follows the seed and lets Twilio decide;
     * this test records the difference, and that the refusal arrives typed.
     */
    @Test
    void theOfficialDocumentIsNarrowerThanTheSeedOnMethods() {
        UpdateCallRequest put = UpdateCallRequest.builder().url("https://example.com/t.xml").method(CallbackMethod.PUT).build();
        StepVerifier.create(client.update(CALL, put))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TwilioApiException.class);
                    assertThat(((TwilioApiException) e).statusCode()).isEqualTo(422);
                })
                .verify(TIMEOUT);
    }

    /** A control: Prism really validates, so its acceptance above means something. */
    @Test
    void prismRefusesWhatTheClientWouldNeverSend() throws Exception {
        HttpClient jdk = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        String path = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + CALL + ".json";
        for (String body : new String[] {"TimeLimit=soon", "Status=paused"}) {
            HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(prism.baseUrl() + path))
                    .header("Authorization", auth)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(body).isEqualTo(422);
        }
        HttpResponse<String> badSid = jdk.send(HttpRequest.newBuilder(URI.create(prism.baseUrl()
                        + "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/CA123.json"))
                .header("Authorization", auth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Status=completed")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badSid.statusCode()).isEqualTo(422);
    }
}
