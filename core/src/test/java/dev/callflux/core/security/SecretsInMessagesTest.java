package dev.callflux.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.encoding.ResponseDecoder;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.http.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A secret (auth token, API key secret) and the Base64 of {@code sid:secret} never show up in a
 * {@code toString} or an exception message, whatever the secret is and wherever it was misplaced, and even
 * when a misbehaving proxy echoes the request's {@code Authorization} header back in its error page.
 */
class SecretsInMessagesTest {

    private static final String ACCOUNT = "AC00000000000000000000000000000001";
    private static final String API_KEY = "SK00000000000000000000000000000001";

    @Property(tries = 1000)
    void anySecretIsEitherKeptOutOfEveryTextOrRefusedWithoutEchoingIt(@ForAll("secret") String secret) {
        for (boolean apiKey : List.of(false, true)) {
            String field = apiKey ? "ApiKeySecret" : "AuthToken";
            Credentials c;
            try {
                c = apiKey ? Credentials.apiKey(API_KEY, secret) : Credentials.authToken(ACCOUNT, secret);
            } catch (IllegalArgumentException e) {
                assertThat(e).hasMessageStartingWith(field + " ");
                assertNotIn(e.getMessage(), secret);
                assertNotIn(String.valueOf(e), secret);
                // Refused exactly when it could not travel in a header as it is.
                assertThat(secret.isEmpty() || secret.chars().anyMatch(ch -> ch <= ' ' || ch >= 0x7f)).isTrue();
                continue;
            }
            String sid = apiKey ? API_KEY : ACCOUNT;
            String basic = Base64.getEncoder().encodeToString((sid + ':' + secret).getBytes(StandardCharsets.UTF_8));
            assertThat(c.authorizationHeader()).isEqualTo("Basic " + basic);
            assertNotIn(c.toString(), secret);
            assertThat(c.toString()).doesNotContain(basic).contains(sid, "<redacted>");
        }
    }

    @Property(tries = 300)
    void aSecretPassedWhereASidBelongsIsNeverEchoed(@ForAll("secret") String secret) {
        // Each misuse and the setting its error names (a configuration error: IllegalArgumentException).
        Map<String, Runnable> misuses = Map.of("AccountSid ", () -> Credentials.authToken(secret, "token"),
                "ApiKeySid ", () -> Credentials.apiKey(secret, "token"),
                "AccountSid must", () -> Credentials.authToken(secret, secret));
        misuses.forEach((setting, misuse) -> {
            try {
                misuse.run();
            } catch (IllegalArgumentException e) {
                assertThat(e).hasMessageStartingWith(setting).hasNoCause();
                assertNotIn(e.getMessage(), secret);
                assertNotIn(String.valueOf(e), secret);
            }
        });
    }

    @Test
    void aProxyThatEchoesTheAuthorizationHeaderDoesNotPutItInTheError() {
        String secret = "TOPSECRETtoken0123456789abcdefXYZ";
        Credentials c = Credentials.authToken(ACCOUNT, secret);
        String basic = c.authorizationHeader().substring("Basic ".length());
        List<String> echoes = List.of(
                // httpbin-style JSON echo: not Twilio's error JSON, so it is quoted as an excerpt.
                "{\"headers\":{\"Authorization\":\"" + c.authorizationHeader() + "\",\"Host\":\"api.twilio.com\"}}",
                "<html><body><h1>400 Bad Request</h1><pre>Authorization: " + c.authorizationHeader() + "</pre></body></html>",
                "authorization: basic " + basic + "\r\n",
                "Proxy-Authorization: Basic " + basic + " rejected");
        for (String body : echoes) {
            for (int status : new int[] {400, 401, 407, 502}) {
                TwilioApiException e = ResponseDecoder.error(status, body.getBytes(StandardCharsets.UTF_8), null, null);
                assertThat(e.getMessage()).as(body).doesNotContain(basic).doesNotContain(secret);
                assertThat(e.toString()).doesNotContain(basic);
                assertThat(e.statusCode()).isEqualTo(status);
            }
        }
    }

    @Test
    void excerptsWithoutCredentialsAreStillQuotedAsTheyWere() {
        TwilioApiException e = ResponseDecoder.error(502,
                "<html><title>502 Bad Gateway</title> Basic troubleshooting: retry</html>".getBytes(StandardCharsets.UTF_8),
                null, null);
        assertThat(e.getMessage()).contains("502 Bad Gateway", "Basic troubleshooting: retry");
    }

    private static void assertNotIn(String text, String secret) {
        if (secret.length() >= 4) {
            // A one- to three-character "secret" occurs by chance in any text; longer ones must not appear.
            assertThat(text).doesNotContain(secret);
        }
    }

    @Provide
    Arbitrary<String> secret() {
        Arbitrary<String> printable = Arbitraries.strings().withCharRange('!', '~').ofMinLength(8).ofMaxLength(64);
        Arbitrary<String> withBreakers = Arbitraries.strings().withCharRange('!', '~')
                .withChars(" \r\n\t\u0000\u00e9\u2028").ofMinLength(8).ofMaxLength(40);
        return Arbitraries.oneOf(printable, printable.map(s -> "Zq" + s), withBreakers,
                Arbitraries.strings().all().ofMaxLength(40));
    }
}
