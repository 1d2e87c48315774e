package dev.callflux.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The error model's two questions, "worth resending?" and "may Twilio have acted?", and the messages
 * people will read in logs.
 */
class ExceptionsTest {

    @Test
    void invalidRequestMessageIsFieldColonRule() {
        InvalidRequestException e = new InvalidRequestException("Twiml", "must not be blank");
        assertThat(e.field()).isEqualTo("Twiml");
        assertThat(e.rule()).isEqualTo("must not be blank");
        assertThat(e).hasMessage("Twiml: must not be blank").hasNoCause();
        assertThat(e.isTransient()).isFalse();
        assertThat(e.mayHaveBeenApplied()).isFalse();
        assertThat(e).isInstanceOf(CallFluxException.class).isInstanceOf(RuntimeException.class);
    }

    @Test
    void invalidRequestRequiresFieldAndRule() {
        assertThatThrownBy(() -> new InvalidRequestException(null, "r")).isInstanceOf(NullPointerException.class)
                .hasMessage("field");
        assertThatThrownBy(() -> new InvalidRequestException("f", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("rule");
    }

    @Test
    void apiErrorMessageCarriesWhatTwilioSaid() {
        TwilioApiException e = new TwilioApiException(404, 20404, "The requested resource was not found",
                "https://www.twilio.com/docs/errors/20404", Map.of("k", "v"), "RQ123", Duration.ofSeconds(3), null);
        assertThat(e).hasMessage("Twilio answered HTTP 404, error 20404: The requested resource was not found "
                + "(https://www.twilio.com/docs/errors/20404) [Twilio-Request-Id RQ123]");
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.code()).hasValue(20404);
        assertThat(e.twilioMessage()).contains("The requested resource was not found");
        assertThat(e.moreInfo()).contains("https://www.twilio.com/docs/errors/20404");
        assertThat(e.details()).containsExactly(Map.entry("k", "v"));
        assertThat(e.requestId()).contains("RQ123");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void apiErrorMessageForABodyThatIsNotTwiliosJson() {
        TwilioApiException e = new TwilioApiException(502, null, null, null, null, null, null, "\"<html>…\"");
        assertThat(e).hasMessage("Twilio answered HTTP 502 with a body that is not Twilio's error JSON: \"<html>…\"");
        assertThat(e.code()).isEmpty();
        assertThat(e.twilioMessage()).isEmpty();
        assertThat(e.moreInfo()).isEmpty();
        assertThat(e.details()).isEmpty();
        assertThat(e.requestId()).isEmpty();
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void apiErrorMessageForAnEmptyBody() {
        assertThat(new TwilioApiException(503, null, null, null, null, "RQ1", null, null))
                .hasMessage("Twilio answered HTTP 503 with an empty body [Twilio-Request-Id RQ1]");
    }

    @Test
    void apiErrorWithACodeButNoMessageDoesNotClaimAnEmptyBody() {
        assertThat(new TwilioApiException(400, 21220, null, null, null, null, null, null))
                .hasMessage("Twilio answered HTTP 400, error 21220");
    }

    @Test
    void apiErrorMessageIsOneLineWhateverTheServerSent() {
        // A proxy (or anything posing as Twilio) controls these strings; a log line must not be forgeable.
        TwilioApiException e = new TwilioApiException(500, 1, "boom\r\n2026-01-01 INFO forged\u2028x",
                "https://x\n", null, "RQ\r1", null, null);
        assertThat(e.getMessage()).doesNotContain("\r", "\n", "\u2028")
                .isEqualTo("Twilio answered HTTP 500, error 1: boom  2026-01-01 INFO forged x (https://x ) "
                        + "[Twilio-Request-Id RQ 1]");
        // The accessors keep the values exactly as received.
        assertThat(e.twilioMessage()).contains("boom\r\n2026-01-01 INFO forged\u2028x");
        assertThat(e.requestId()).contains("RQ\r1");
    }

    @Test
    void apiErrorDetailsAreACopy() {
        Map<String, Object> details = new HashMap<>();
        details.put("a", 1);
        TwilioApiException e = new TwilioApiException(400, 1, "m", null, details, null, null, null);
        details.put("b", 2);
        assertThat(e.details()).containsOnlyKeys("a");
        assertThatThrownBy(() -> e.details().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 300, 302})
    void clientErrorsAreFinalAndNotApplied(int status) {
        TwilioApiException e = new TwilioApiException(status, null, null, null, null, null, null, null);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.mayHaveBeenApplied()).isFalse();
        assertThat(e.isRateLimited()).isFalse();
    }

    @Test
    void tooManyRequestsIsTransientAndCertainlyNotApplied() {
        TwilioApiException e = new TwilioApiException(429, TwilioApiException.CODE_TOO_MANY_REQUESTS,
                "Too Many Requests", null, null, null, Duration.ofSeconds(1), null);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.mayHaveBeenApplied()).isFalse();
        assertThat(e.isRateLimited()).isTrue();
        assertThat(TwilioApiException.CODE_TOO_MANY_REQUESTS).isEqualTo(20429);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 500, 501, 502, 503, 504, 599})
    void timeoutsAndServerErrorsAreTransientWithUnknownOutcome(int status) {
        TwilioApiException e = new TwilioApiException(status, null, null, null, null, null, null, null);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.mayHaveBeenApplied()).isTrue();
        assertThat(e.isRateLimited()).isFalse();
    }

    @Test
    void apiErrorSurvivesSerialization() throws IOException, ClassNotFoundException {
        TwilioApiException e = new TwilioApiException(404, 20404, "m", null, Map.of("k", "v"), "RQ", null, null);
        TwilioApiException back = roundTrip(e);
        assertThat(back).hasMessage(e.getMessage());
        assertThat(back.code()).hasValue(20404);
        // details are transient (values may not be serializable): empty, never null, after the trip.
        assertThat(back.details()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CallFluxTransportException.Kind.class)
    void transportErrorSaysWhetherTheRequestWasSent(CallFluxTransportException.Kind kind) {
        Throwable cause = new IOException("connection reset");
        CallFluxTransportException sent = new CallFluxTransportException(kind, true, "boom", cause);
        assertThat(sent.kind()).isEqualTo(kind);
        assertThat(sent.requestSent()).isTrue();
        assertThat(sent.mayHaveBeenApplied()).isTrue();
        assertThat(sent.isTransient()).isTrue();
        assertThat(sent).hasMessage(kind + ": boom (the request may have reached Twilio)").hasCause(cause);

        CallFluxTransportException notSent = new CallFluxTransportException(kind, false, "boom", null);
        assertThat(notSent.requestSent()).isFalse();
        assertThat(notSent.mayHaveBeenApplied()).isFalse();
        assertThat(notSent.isTransient()).isTrue();
        assertThat(notSent).hasMessage(kind + ": boom (the request was not sent)").hasNoCause();
    }

    @Test
    void transportErrorRequiresAKind() {
        assertThatThrownBy(() -> new CallFluxTransportException(null, false, "m", null))
                .isInstanceOf(NullPointerException.class).hasMessage("kind");
    }

    @Test
    void transportKindsAreTheDocumentedOnes() {
        assertThat(CallFluxTransportException.Kind.values()).extracting(Enum::name).containsExactly("CONNECT",
                "POOL_ACQUIRE_TIMEOUT", "RESPONSE_TIMEOUT", "CONNECTION_CLOSED", "MALFORMED_RESPONSE",
                "RESPONSE_TOO_LARGE");
    }

    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            T back = (T) in.readObject();
            return back;
        }
    }
}
