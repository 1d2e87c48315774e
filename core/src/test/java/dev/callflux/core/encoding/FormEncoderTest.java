package dev.callflux.core.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.model.CallbackMethod;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.core.model.UpdateStatus;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The exact bytes of the form body: what Twilio receives is what was validated, nothing more or less. */
class FormEncoderTest {

    /** Splits a form body the way a server does and decodes each side with the JDK's decoder. */
    static Map<String, String> decode(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&", -1)) {
            int eq = pair.indexOf('=');
            assertThat(eq).as("pair %s has '='", pair).isPositive();
            String previous = out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            assertThat(previous).as("parameter appears once").isNull();
        }
        return out;
    }

    /** The request's parameters as a wire-name map, in order. */
    static Map<String, String> parameters(UpdateCallRequest r) {
        Map<String, String> m = new LinkedHashMap<>();
        r.parameters().forEach(e -> m.put(e.getKey().wireName(), e.getValue()));
        return m;
    }

    @Test
    void hangup() {
        assertThat(FormEncoder.encode(UpdateCallRequest.hangup()))
                .isEqualTo("Status=completed".getBytes(StandardCharsets.US_ASCII));
        assertThat(FormEncoder.encodeToString(UpdateCallRequest.hangup())).isEqualTo("Status=completed");
    }

    @Test
    void cancel() {
        assertThat(FormEncoder.encodeToString(UpdateCallRequest.cancel())).isEqualTo("Status=canceled");
    }

    @Test
    void redirect() {
        assertThat(FormEncoder.encodeToString(UpdateCallRequest.redirect("https://example.com/hold.xml?a=1&b=2")))
                .isEqualTo("Url=https%3A%2F%2Fexample.com%2Fhold.xml%3Fa%3D1%26b%3D2");
    }

    @Test
    void allParametersWithUrlInWireOrder() {
        UpdateCallRequest r = UpdateCallRequest.builder()
                .timeLimit(600)
                .statusCallbackMethod(CallbackMethod.POST)
                .statusCallback("https://example.com/status")
                .fallbackMethod(CallbackMethod.GET)
                .fallbackUrl("https://example.com/fallback")
                .status(UpdateStatus.COMPLETED)
                .method(CallbackMethod.GET)
                .url("https://example.com/next.xml")
                .build();
        assertThat(FormEncoder.encodeToString(r)).isEqualTo(
                "Url=https%3A%2F%2Fexample.com%2Fnext.xml"
                        + "&Method=GET"
                        + "&Status=completed"
                        + "&FallbackUrl=https%3A%2F%2Fexample.com%2Ffallback"
                        + "&FallbackMethod=GET"
                        + "&StatusCallback=https%3A%2F%2Fexample.com%2Fstatus"
                        + "&StatusCallbackMethod=POST"
                        + "&TimeLimit=600");
    }

    @Test
    void allParametersWithTwimlInWireOrder() {
        // Url and Twiml exclude each other, so the ninth parameter is covered by swapping Twiml in for Url.
        UpdateCallRequest r = UpdateCallRequest.builder()
                .timeLimit(1)
                .twiml("<Response/>")
                .statusCallbackMethod("head")
                .statusCallback("http://127.0.0.1:8080/s")
                .fallbackMethod("delete")
                .fallbackUrl("http://[::1]/f")
                .status("canceled")
                .method("patch")
                .build();
        assertThat(FormEncoder.encodeToString(r)).isEqualTo(
                "Method=PATCH"
                        + "&Status=canceled"
                        + "&FallbackUrl=http%3A%2F%2F%5B%3A%3A1%5D%2Ff"
                        + "&FallbackMethod=DELETE"
                        + "&StatusCallback=http%3A%2F%2F127.0.0.1%3A8080%2Fs"
                        + "&StatusCallbackMethod=HEAD"
                        + "&Twiml=%3CResponse%2F%3E"
                        + "&TimeLimit=1");
        assertThat(decode(FormEncoder.encodeToString(r)).keySet()).containsExactly("Method", "Status", "FallbackUrl",
                "FallbackMethod", "StatusCallback", "StatusCallbackMethod", "Twiml", "TimeLimit");
    }

    @Test
    void twimlWithMarkupAndReservedCharacters() {
        String twiml = "<Response><Say voice=\"alice\">Tom & Jerry's 1+1=2 at 100%</Say></Response>";
        assertThat(FormEncoder.encodeToString(UpdateCallRequest.replaceTwiml(twiml))).isEqualTo(
                "Twiml=%3CResponse%3E%3CSay+voice%3D%22alice%22%3ETom+%26+Jerry%27s+1%2B1%3D2+at+100%25%3C%2FSay%3E"
                        + "%3C%2FResponse%3E");
    }

    @Test
    void twimlWithNewlinesTabsAndNonAscii() {
        String twiml = "<Response>\n\t<Say>caf\u00e9 \u65e5\u672c \uD83D\uDE00</Say>\r\n</Response>";
        assertThat(FormEncoder.encodeToString(UpdateCallRequest.replaceTwiml(twiml))).isEqualTo(
                "Twiml=%3CResponse%3E%0A%09%3CSay%3Ecaf%C3%A9+%E6%97%A5%E6%9C%AC+%F0%9F%98%80%3C%2FSay%3E%0D%0A"
                        + "%3C%2FResponse%3E");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<Response><Say>Hello</Say></Response>",
        "a<b&c>d\"e'f+g%h=i j\nk\tl\r\nm",
        "caf\u00e9 na\u00efve \u00fc\u00df",
        "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
        "\uD83D\uDE00\uD83C\uDDEF\uD83C\uDDF5 \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
        "-._*~!$'()*,;:@/?#[]",
        "%20%2B+",
        "\u0000\u0001\u007f\u0080\u00ff\uFFFD\uFFFF",
        "  leading and trailing  "
    })
    void twimlRoundTripsAndMatchesUrlEncoder(String twiml) {
        String body = FormEncoder.encodeToString(UpdateCallRequest.replaceTwiml(twiml));
        assertThat(body).isEqualTo("Twiml=" + URLEncoder.encode(twiml, StandardCharsets.UTF_8));
        assertThat(decode(body)).containsExactly(Map.entry("Twiml", twiml));
    }

    @Test
    void theBodyIsPureAsciiWithUpperCaseHex() {
        String body = FormEncoder.encodeToString(UpdateCallRequest.replaceTwiml("\u00e9\u00ff\n"));
        assertThat(body).isEqualTo("Twiml=%C3%A9%C3%BF%0A");
        byte[] bytes = FormEncoder.encode(UpdateCallRequest.replaceTwiml("\uD83D\uDE00".repeat(4000)));
        assertThat(bytes).hasSize("Twiml=".length() + 4000 * 12);
        for (byte b : bytes) {
            assertThat(b).isBetween((byte) 0x21, (byte) 0x7e);
        }
    }

    @Test
    void longValuesGrowTheBufferCorrectly() {
        // Mixed widths force several buffer growths mid-body; the result must still equal URLEncoder's.
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3999; i++) {
            sb.append(i % 3 == 0 ? "\u00e9" : i % 3 == 1 ? "a" : "\uD83D\uDE00");
        }
        String twiml = sb.toString();
        UpdateCallRequest r = UpdateCallRequest.builder().twiml(twiml).timeLimit(42).status("completed")
                .statusCallback("https://example.com/" + "p".repeat(2000)).build();
        assertThat(FormEncoder.encodeToString(r)).isEqualTo(
                "Status=completed&StatusCallback=" + URLEncoder.encode("https://example.com/" + "p".repeat(2000),
                        StandardCharsets.UTF_8)
                        + "&Twiml=" + URLEncoder.encode(twiml, StandardCharsets.UTF_8) + "&TimeLimit=42");
        assertThat(decode(FormEncoder.encodeToString(r))).isEqualTo(parameters(r));
    }

    @Test
    void encodeReturnsAFreshArrayEachTime() {
        byte[] first = FormEncoder.encode(UpdateCallRequest.hangup());
        first[0] = 'X';
        assertThat(FormEncoder.encodeToString(UpdateCallRequest.hangup())).isEqualTo("Status=completed");
    }

    @Test
    void contentTypeDeclaresUtf8() {
        assertThat(FormEncoder.CONTENT_TYPE).isEqualTo("application/x-www-form-urlencoded; charset=UTF-8");
    }
}
