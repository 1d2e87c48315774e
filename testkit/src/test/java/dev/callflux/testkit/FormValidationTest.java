package dev.callflux.testkit;

import static dev.callflux.testkit.SimHttp.newCallSid;
import static dev.callflux.testkit.SimHttp.update;
import static dev.callflux.testkit.TwilioErrorAssert.assertTwilioError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Step 4: the form schema. Every refusal is a 400 whose message names the parameter. */
class FormValidationTest {

    static TwilioSimulator sim;

    @BeforeAll
    static void start() {
        sim = TwilioSimulator.builder().start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Stream<Arguments> invalidForms() {
        String twiml4001 = "<Response><Say>" + "x".repeat(4001 - 32) + "</Say></Response>";
        return Stream.of(
                // body, parameter named, code
                Arguments.of("Foo=bar", "Foo", 20001),
                Arguments.of("url=" + enc("https://example.com/a"), "url", 20001),
                Arguments.of("Status=completed&AccountSid=AC" + "a".repeat(32), "AccountSid", 20001),
                Arguments.of("Status=completed&Status=completed", "Status", 20001),
                Arguments.of("Url=" + enc("https://a.example.com/") + "&Url=" + enc("https://b.example.com/"), "Url", 20001),
                Arguments.of("Method=FETCH&Url=" + enc("https://example.com/"), "Method", 20001),
                Arguments.of("Method=post&Url=" + enc("https://example.com/"), "Method", 20001),
                Arguments.of("FallbackMethod=CONNECT", "FallbackMethod", 20001),
                Arguments.of("StatusCallbackMethod=get", "StatusCallbackMethod", 20001),
                Arguments.of("Status=ended", "Status", 20001),
                Arguments.of("Status=Completed", "Status", 20001),
                Arguments.of("Status=", "Status", 20001),
                Arguments.of("TimeLimit=0", "TimeLimit", 20001),
                Arguments.of("TimeLimit=-5", "TimeLimit", 20001),
                Arguments.of("TimeLimit=abc", "TimeLimit", 20001),
                Arguments.of("TimeLimit=1.5", "TimeLimit", 20001),
                Arguments.of("TimeLimit=%2B10", "TimeLimit", 20001),
                Arguments.of("TimeLimit=99999999999", "TimeLimit", 20001),
                Arguments.of("Url=" + enc("/relative/path"), "Url", 21205),
                Arguments.of("Url=" + enc("ftp://example.com/x"), "Url", 21205),
                Arguments.of("Url=" + enc("https://my_host.example.com/x"), "Url", 21205),
                Arguments.of("Url=" + enc("https://exa mple.com/x"), "Url", 21205),
                Arguments.of("Url=", "Url", 21205),
                Arguments.of("Url=" + enc("https:///nohost"), "Url", 21205),
                Arguments.of("FallbackUrl=" + enc("example.com/fallback"), "FallbackUrl", 21205),
                Arguments.of("StatusCallback=" + enc("http://bad_host/cb"), "StatusCallback", 21205),
                Arguments.of("Twiml=" + enc("   "), "Twiml", 20001),
                Arguments.of("Twiml=", "Twiml", 20001),
                Arguments.of("Twiml=" + enc(twiml4001), "Twiml", 20001),
                Arguments.of("Url=" + enc("https://example.com/") + "&Twiml=" + enc("<Response/>"), "Twiml", 20001));
    }

    @ParameterizedTest
    @MethodSource("invalidForms")
    void invalidFormIs400NamingTheParameter(String body, String parameter, int code) {
        String sid = newCallSid();
        SimHttp.Response r = update(sim, sid, body);
        assertTwilioError(r, 400, code);
        assertThat(r.message()).contains(parameter);
        CallRecord c = sim.ledger().call(sid);
        assertThat(c.requestsReceived()).isEqualTo(1);
        assertThat(c.updatesApplied()).isZero();
        assertThat(c.exists()).isFalse();
    }

    @Test
    void emptyFormIs400() {
        SimHttp.Response r = update(sim, newCallSid(), "");
        assertTwilioError(r, 400, 20001);
        assertThat(r.message()).contains("At least one parameter");
    }

    @Test
    void mutuallyExclusiveMessageNamesBoth() {
        SimHttp.Response r = update(sim, newCallSid(), "Twiml=" + enc("<Response/>") + "&Url=" + enc("https://example.com/"));
        assertThat(r.message()).contains("Url").contains("Twiml").contains("mutually exclusive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Twiml=%zz", "Twiml=%E2%82", "Twiml=%FF", "Twiml=a%23b#c"})
    void malformedEncodingIs400(String body) {
        assertTwilioError(update(sim, newCallSid(), body), 400, 20001);
    }

    @Test
    void rawNonUtf8BodyIs400() {
        byte[] latin1 = "Twiml=caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        SimHttp.Response r = SimHttp.send(SimHttp.request(sim, SimHttp.path(sim.accountSid(), newCallSid()),
                        SimHttp.basic(sim.accountSid(), sim.authToken()))
                .header("Content-Type", SimHttp.FORM)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(latin1)).build());
        assertTwilioError(r, 400, 20001);
        assertThat(r.message()).contains("UTF-8");
    }

    @Test
    void allNineParametersAreAcceptedAndRecordedDecoded() {
        String sid = newCallSid();
        String body = "Url=" + enc("https://example.com/twiml?a=1&b=2") + "&Method=GET"
                + "&FallbackUrl=" + enc("http://user:pass@fallback.example.com:8080/f")
                + "&FallbackMethod=POST&StatusCallback=" + enc("https://[::1]:8443/cb")
                + "&StatusCallbackMethod=PUT&TimeLimit=0600";
        SimHttp.Response r = update(sim, sid, body);
        assertThat(r.status).as("%s", r).isEqualTo(200);
        assertThat(sim.ledger().call(sid).appliedUpdates()).singleElement().satisfies(form -> {
            assertThat(form).containsExactly(
                    java.util.Map.entry("Url", "https://example.com/twiml?a=1&b=2"),
                    java.util.Map.entry("Method", "GET"),
                    java.util.Map.entry("FallbackUrl", "http://user:pass@fallback.example.com:8080/f"),
                    java.util.Map.entry("FallbackMethod", "POST"),
                    java.util.Map.entry("StatusCallback", "https://[::1]:8443/cb"),
                    java.util.Map.entry("StatusCallbackMethod", "PUT"),
                    java.util.Map.entry("TimeLimit", "0600"));
        });
    }

    @Test
    void twimlIsDecodedExactlyIncludingPlusSemicolonAndNonAscii() {
        String sid = newCallSid();
        String twiml = "<Response><Say language=\"fr-FR\">Caf\u00e9 + th\u00e9; 100% \ud83d\ude00 & bye</Say></Response>";
        SimHttp.Response r = update(sim, sid, "Twiml=" + enc(twiml) + "&StatusCallbackMethod=HEAD&TimeLimit=30");
        assertThat(r.status).as("%s", r).isEqualTo(200);
        assertThat(sim.ledger().call(sid).appliedUpdates().get(0)).containsEntry("Twiml", twiml);
    }

    @Test
    void rawSemicolonIsData() {
        String sid = newCallSid();
        SimHttp.Response r = update(sim, sid, "Twiml=<Response>a;b</Response>");
        assertThat(r.status).as("%s", r).isEqualTo(200);
        assertThat(sim.ledger().call(sid).appliedUpdates().get(0)).containsEntry("Twiml", "<Response>a;b</Response>");
    }

    @Test
    void twimlOfExactly4000CharactersIsAccepted() {
        String twiml = "<Response><Say>" + "\u00e9".repeat(4000 - 32) + "</Say></Response>";
        assertThat(twiml.codePointCount(0, twiml.length())).isEqualTo(4000);
        assertThat(update(sim, newCallSid(), "Twiml=" + enc(twiml)).status).isEqualTo(200);
    }

    @Test
    void encodedReplacementCharacterIsAccepted() {
        String sid = newCallSid();
        assertThat(update(sim, sid, "Twiml=" + enc("<Say>\ufffd</Say>")).status).isEqualTo(200);
        assertThat(sim.ledger().call(sid).appliedUpdates().get(0)).containsEntry("Twiml", "<Say>\ufffd</Say>");
    }
}
