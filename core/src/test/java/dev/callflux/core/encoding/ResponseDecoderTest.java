package dev.callflux.core.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What each kind of response means: a Call, Twilio's error, or a response that cannot be trusted. */
class ResponseDecoderTest {

    private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");
    private static final String REQUEST_ID = "RQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String twilioError(int code, String message, int status) {
        return "{\"code\": " + code + ", \"message\": \"" + message + "\", \"more_info\": "
                + "\"https://www.twilio.com/docs/errors/" + code + "\", \"status\": " + status + "}";
    }

    private static TwilioApiException decodeError(int status, String body, String retryAfter) {
        return catchThrowableOfType(TwilioApiException.class,
                () -> ResponseDecoder.decode(status, body == null ? null : utf8(body), REQUEST_ID, retryAfter, NOW));
    }

    @Test
    void okWithACallIsTheCall() {
        String json = TwilioOpenApi.updateCallExamples().get("update");
        Call call = ResponseDecoder.decode(200, utf8(json), REQUEST_ID, null, NOW);
        assertThat(call).isEqualTo(CallJson.parse(json));
        assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
    }

    @ParameterizedTest
    @ValueSource(ints = {201, 202, 299})
    void any2xxWithACallIsTheCall(int status) {
        assertThat(ResponseDecoder.decode(status, utf8("{\"sid\":\"CA1\"}"), null, null, NOW).sid()).isEqualTo("CA1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[]", "null", "{\"status\":{}}", "{\"sid\":\"CA", "<html>OK</html>"})
    void a2xxThatIsNotACallIsAMalformedResponseThatWasSent(String body) {
        CallFluxTransportException e = catchThrowableOfType(CallFluxTransportException.class,
                () -> ResponseDecoder.decode(200, utf8(body), REQUEST_ID, null, NOW));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(CallFluxTransportException.Kind.MALFORMED_RESPONSE);
        assertThat(e.requestSent()).isTrue();
        assertThat(e.mayHaveBeenApplied()).isTrue();
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.getMessage()).startsWith("MALFORMED_RESPONSE: HTTP 200 with a body that is not a Call: ")
                .contains("[Twilio-Request-Id " + REQUEST_ID + "]")
                .endsWith("(the request may have reached Twilio)");
    }

    @Test
    void a2xxWithoutBodyIsMalformedToo() {
        for (byte[] body : new byte[][] {null, new byte[0]}) {
            CallFluxTransportException e = catchThrowableOfType(CallFluxTransportException.class,
                    () -> ResponseDecoder.decode(204, body, null, null, NOW));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(CallFluxTransportException.Kind.MALFORMED_RESPONSE);
            assertThat(e.getMessage()).contains("HTTP 204").doesNotContain("Twilio-Request-Id");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "400, 21220, Invalid parameter,                                 false, false",
        "401, 20003, Authenticate,                                      false, false",
        "403, 20008, Forbidden,                                         false, false",
        "404, 20404, The requested resource was not found,              false, false",
        "408, 20408, Request Timeout,                                   true,  true",
        "409, 20409, Conflict,                                          false, false",
        "429, 20429, Too Many Requests,                                 true,  false",
        "500, 20500, Internal Server Error,                             true,  true",
        "502, 20502, Bad Gateway,                                       true,  true",
        "503, 20503, Service Unavailable,                               true,  true",
        "504, 20504, Gateway Timeout,                                   true,  true"
    })
    void twiliosErrorJsonIsATypedApiError(int status, int code, String message, boolean transientError,
                                          boolean mayHaveBeenApplied) {
        TwilioApiException e = decodeError(status, twilioError(code, message, status), null);
        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.code()).hasValue(code);
        assertThat(e.twilioMessage()).contains(message);
        assertThat(e.moreInfo()).contains("https://www.twilio.com/docs/errors/" + code);
        assertThat(e.requestId()).contains(REQUEST_ID);
        assertThat(e.details()).isEmpty();
        assertThat(e.isTransient()).isEqualTo(transientError);
        assertThat(e.mayHaveBeenApplied()).isEqualTo(mayHaveBeenApplied);
        assertThat(e.isRateLimited()).isEqualTo(status == 429);
        assertThat(e.getMessage()).isEqualTo("Twilio answered HTTP " + status + ", error " + code + ": " + message
                + " (https://www.twilio.com/docs/errors/" + code + ") [Twilio-Request-Id " + REQUEST_ID + "]");
    }

    @Test
    void detailsAreKeptAsJsonValues() {
        String body = "{\"code\":21220,\"message\":\"Invalid parameter\",\"more_info\":null,\"status\":400,"
                + "\"details\":{\"parameter\":\"Url\",\"count\":2,\"ratio\":0.5,\"ok\":false,\"none\":null,"
                + "\"list\":[1,\"two\",{\"three\":3}],\"nested\":{\"a\":{\"b\":true}}}}";
        TwilioApiException e = decodeError(400, body, null);
        assertThat(e.moreInfo()).isEmpty();
        assertThat(e.details()).containsExactly(
                entry("parameter", "Url"),
                entry("count", 2),
                entry("ratio", 0.5),
                entry("ok", false),
                entry("none", null),
                entry("list", List.of(1, "two", Map.of("three", 3))),
                entry("nested", Map.of("a", Map.of("b", true))));
        assertThatThrownBy(() -> e.details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void detailsThatAreNotAnObjectAreIgnored() {
        TwilioApiException e = decodeError(400, "{\"code\":21220,\"message\":\"m\",\"details\":[1,2]}", null);
        assertThat(e.details()).isEmpty();
        assertThat(e.code()).hasValue(21220);
    }

    @Test
    void aCodeGivenAsTextIsRead() {
        assertThat(decodeError(404, "{\"code\":\"20404\",\"message\":\"m\"}", null).code()).hasValue(20404);
        assertThat(decodeError(404, "{\"code\":\"x\",\"message\":\"m\"}", null).code()).isEmpty();
        assertThat(decodeError(404, "{\"code\":null,\"message\":\"m\"}", null).code()).isEmpty();
    }

    @Test
    void unknownAndOddlyTypedPropertiesAreSkipped() {
        TwilioApiException e = decodeError(400, "{\"extra\":{\"code\":1,\"message\":\"no\"},\"list\":[[{}]],"
                + "\"message\":{\"text\":\"not a string\"},\"code\":21220,\"more_info\":[\"x\"]}", null);
        assertThat(e.code()).hasValue(21220);
        assertThat(e.twilioMessage()).isEmpty();
        assertThat(e.moreInfo()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("Twilio answered HTTP 400, error 21220 [Twilio-Request-Id "
                + REQUEST_ID + "]");
    }

    @Test
    void aCodeWithoutMessageIsNotDescribedAsAnEmptyBody() {
        TwilioApiException e = decodeError(404, "{\"code\":20404}", null);
        assertThat(e.code()).hasValue(20404);
        assertThat(e.getMessage()).doesNotContain("empty body").startsWith("Twilio answered HTTP 404, error 20404");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 404, 429, 500, 502, 503})
    void anEmptyBodyIsATypedErrorWithTheStatusOnly(int status) {
        for (String body : new String[] {null, "", " \r\n "}) {
            TwilioApiException e = decodeError(status, body, null);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.code()).isEmpty();
            assertThat(e.twilioMessage()).isEmpty();
            assertThat(e.moreInfo()).isEmpty();
            assertThat(e.details()).isEmpty();
            assertThat(e.getMessage()).isEqualTo("Twilio answered HTTP " + status + " with an empty body"
                    + " [Twilio-Request-Id " + REQUEST_ID + "]");
        }
    }

    @Test
    void aProxysHtmlPageIsATypedErrorWithAShortExcerpt() {
        String html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n" + "<hr><center>nginx</center>\r\n"
                + "<!-- padding -->".repeat(100) + "</body>\r\n</html>\r\n";
        TwilioApiException e = decodeError(502, html, null);
        assertThat(e.statusCode()).isEqualTo(502);
        assertThat(e.code()).isEmpty();
        assertThat(e.twilioMessage()).isEmpty();
        assertThat(e.isTransient()).isTrue();
        assertThat(e.mayHaveBeenApplied()).isTrue();
        String m = e.getMessage();
        assertThat(m).startsWith("Twilio answered HTTP 502 with a body that is not Twilio's error JSON: "
                + "\"<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway");
        assertThat(m).contains("…\"").doesNotContain("\r", "\n").doesNotContain("padding -->".repeat(20));
        assertThat(m.length()).isLessThan(300);
    }

    @Test
    void aShortNonJsonBodyIsQuotedWhole() {
        TwilioApiException e = decodeError(503, "Service Unavailable\n", null);
        assertThat(e.getMessage()).isEqualTo("Twilio answered HTTP 503 with a body that is not Twilio's error JSON: "
                + "\"Service Unavailable\" [Twilio-Request-Id " + REQUEST_ID + "]");
    }

    @Test
    void collapsedWhitespaceIsNotReportedAsACut() {
        TwilioApiException e = decodeError(500, "<h1>\n\n   Oops   </h1>\n\n\n", null);
        assertThat(e.getMessage()).contains("\"<h1> Oops </h1>\"").doesNotContain("…");
    }

    @Test
    void theExcerptNeverEndsOnHalfACharacter() {
        String body = "x".repeat(119) + "\uD83D\uDE00".repeat(10);
        String m = decodeError(500, body, null).getMessage();
        String excerpt = m.substring(m.indexOf('"') + 1, m.lastIndexOf('"'));
        assertThat(excerpt).endsWith("x…");
        assertThat(excerpt.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
    }

    @Test
    void controlCharactersInABodyCannotForgeLogLines() {
        String m = decodeError(500, "line1\r\nERROR forged\u0000\u001b[31m", null).getMessage();
        assertThat(m).doesNotContain("\r", "\n", "\u0000", "\u001b");
        assertThat(m).contains("\"line1 ERROR forged [31m\"");
    }

    @Test
    void jsonWithoutCodeOrMessageIsDescribedAsNotTwiliosError() {
        TwilioApiException e = decodeError(500, "{\"error\":\"boom\"}", null);
        assertThat(e.code()).isEmpty();
        assertThat(e.getMessage()).contains("not Twilio's error JSON: \"{\"error\":\"boom\"}\"");
    }

    @Test
    void truncatedErrorJsonIsNotFatal() {
        TwilioApiException e = decodeError(500, "{\"code\": 20500, \"message\": \"Inter", null);
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.getMessage()).contains("{\"code\": 20500");
    }

    @Test
    void non2xxNon4xxStatusesAreErrorsToo() {
        assertThat(decodeError(302, "", null).statusCode()).isEqualTo(302);
        assertThat(decodeError(302, "", null).isTransient()).isFalse();
        assertThat(decodeError(100, "", null).statusCode()).isEqualTo(100);
    }

    @Test
    void withoutRequestIdTheMessageSaysNothingAboutIt() {
        TwilioApiException e = ResponseDecoder.error(404, utf8(twilioError(20404, "Not found", 404)), null, null);
        assertThat(e.requestId()).isEmpty();
        assertThat(e.getMessage()).doesNotContain("Twilio-Request-Id");
    }

    @Test
    void retryAfterIsCarriedOnTheError() {
        assertThat(decodeError(429, twilioError(20429, "Too Many Requests", 429), "7").retryAfter())
                .contains(Duration.ofSeconds(7));
        assertThat(decodeError(503, "", "Wed, 21 Oct 2015 07:28:30 GMT").retryAfter())
                .contains(Duration.ofSeconds(30));
        assertThat(decodeError(503, "", null).retryAfter()).isEmpty();
        assertThat(decodeError(503, "", "soon").retryAfter()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0                              | PT0S",
        "1                              | PT1S",
        "120                            | PT2M",
        "' 30 '                         | PT30S",
        "86400                          | PT24H",
        "Wed, 21 Oct 2015 07:28:00 GMT  | PT0S",
        "Wed, 21 Oct 2015 07:29:00 GMT  | PT1M",
        "Wed, 21 Oct 2015 08:28:00 +0000| PT1H",
        "Wed, 21 Oct 2015 09:28:00 +0200| PT0S",
        "Wed, 21 Oct 2015 07:00:00 GMT  | PT0S"
    })
    void parsesRetryAfterSecondsAndHttpDates(String header, String expected) {
        assertThat(ResponseDecoder.parseRetryAfter(header, NOW)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-1", "-120", "1.5", "soon", "10s", "0x10", "99999999999999999999",
            "Wednesday, 21-Oct-15 07:28:00 GMT", "2015-10-21T07:28:30Z", "Wed, 32 Oct 2015 07:28:00 GMT"})
    void unreadableOrNegativeRetryAfterIsNull(String header) {
        assertThat(ResponseDecoder.parseRetryAfter(header, NOW)).isNull();
    }

    @Test
    void absentRetryAfterIsNull() {
        assertThat(ResponseDecoder.parseRetryAfter(null, NOW)).isNull();
    }
}
