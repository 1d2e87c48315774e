package dev.callflux.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.model.AccountSid;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Credentials must authenticate correctly and never show their secret anywhere but the header. */
class CredentialsTest {

    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String API_KEY = "SK0123456789abcdef0123456789abcdef";
    /** A token nobody could mistake for anything else in a message. */
    private static final String TOKEN = "TOPSECRETtoken0123456789abcdefXYZ";

    @Test
    void authTokenBuildsBasicAuthOfAccountAndToken() {
        Credentials c = Credentials.authToken(ACCOUNT, TOKEN);
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(c.authorizationHeader()).isEqualTo(expected);
        String decoded = new String(Base64.getDecoder().decode(c.authorizationHeader().substring(6)),
                StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo(ACCOUNT + ":" + TOKEN);
        assertThat(c.username()).isEqualTo(ACCOUNT);
        assertThat(c.accountSid()).contains(AccountSid.of(ACCOUNT));
    }

    @Test
    void knownBasicValue() {
        // Computed independently: base64("AC0123456789abcdef0123456789abcdef:token").
        assertThat(Credentials.authToken(ACCOUNT, "token").authorizationHeader())
                .isEqualTo("Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjp0b2tlbg==");
    }

    @Test
    void apiKeyBuildsBasicAuthOfKeyAndSecret() {
        Credentials c = Credentials.apiKey(API_KEY, TOKEN);
        assertThat(new String(Base64.getDecoder().decode(c.authorizationHeader().substring("Basic ".length())),
                StandardCharsets.UTF_8)).isEqualTo(API_KEY + ":" + TOKEN);
        assertThat(c.username()).isEqualTo(API_KEY);
        assertThat(c.accountSid()).isEmpty();
    }

    @Test
    void toStringShowsTheSidButNeverTheSecret() {
        Credentials token = Credentials.authToken(ACCOUNT, TOKEN);
        assertThat(token.toString()).isEqualTo("Credentials{accountSid=" + ACCOUNT + ", secret=<redacted>}")
                .doesNotContain(TOKEN).doesNotContain(token.authorizationHeader().substring(6));
        Credentials key = Credentials.apiKey(API_KEY, TOKEN);
        assertThat(key.toString()).isEqualTo("Credentials{apiKeySid=" + API_KEY + ", secret=<redacted>}")
                .doesNotContain(TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankSecretsAreRefusedNamingTheSecret(String blank) {
        assertThatThrownBy(() -> Credentials.authToken(ACCOUNT, blank))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("AuthToken is required");
        assertThatThrownBy(() -> Credentials.apiKey(API_KEY, blank))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("ApiKeySecret is required");
    }

    @Test
    void nullSecretsAreRefused() {
        assertThatThrownBy(() -> Credentials.authToken(ACCOUNT, null))
                .isExactlyInstanceOf(NullPointerException.class).hasMessage("AuthToken is required");
        assertThatThrownBy(() -> Credentials.apiKey(API_KEY, null))
                .isExactlyInstanceOf(NullPointerException.class).hasMessage("ApiKeySecret is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {" " + TOKEN, TOKEN + "\r\nX-Injected: 1", TOKEN + "\u00e9", "TOPSECRET token", TOKEN + "\u007f"})
    void secretsThatCouldBreakTheHeaderAreRefusedWithoutEchoingThem(String secret) {
        assertThatThrownBy(() -> Credentials.authToken(ACCOUNT, secret))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasNoCause()
                .hasMessage("AuthToken must be printable ASCII without spaces")
                .message().doesNotContain("TOPSECRET");
        assertThatThrownBy(() -> Credentials.apiKey(API_KEY, secret))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasNoCause()
                .hasMessage("ApiKeySecret must be printable ASCII without spaces")
                .message().doesNotContain("TOPSECRET");
    }

    @Test
    void secretsMayContainAnyPrintableAscii() {
        String printable = "!\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~";
        assertThat(new String(Base64.getDecoder().decode(
                Credentials.authToken(ACCOUNT, printable).authorizationHeader().substring(6)), StandardCharsets.UTF_8))
                .isEqualTo(ACCOUNT + ":" + printable);
    }

    @Test
    void badSidsAreRefusedNamingTheSidAndNeverTheSecret() {
        // A SID given as configuration is a configuration error: the SID type's rule, in the setting's words.
        assertThatThrownBy(() -> Credentials.authToken("ACnot-a-sid", TOKEN))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasNoCause()
                .hasMessage("AccountSid must be 'AC' followed by 32 hexadecimal digits (got 11 characters)")
                .message().doesNotContain(TOKEN);
        assertThatThrownBy(() -> Credentials.apiKey(ACCOUNT, TOKEN))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasNoCause()
                .hasMessage("ApiKeySid must be 'SK' followed by 32 hexadecimal digits (it does not start with 'SK')")
                .message().doesNotContain(TOKEN).doesNotContain(ACCOUNT);
        assertThatThrownBy(() -> Credentials.authToken(null, TOKEN))
                .isExactlyInstanceOf(NullPointerException.class).hasMessage("AccountSid is required");
        assertThatThrownBy(() -> Credentials.apiKey(null, TOKEN))
                .isExactlyInstanceOf(NullPointerException.class).hasMessage("ApiKeySid is required");
    }

    @Test
    void swappedArgumentsDoNotLeakTheSecret() {
        // The token passed where the SID goes: the error must not quote it.
        assertThatThrownBy(() -> Credentials.authToken(TOKEN, ACCOUNT))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("AccountSid must be ")
                .message().doesNotContain(TOKEN).doesNotContain("TOPSECRET");
        assertThatThrownBy(() -> Credentials.apiKey(TOKEN, API_KEY))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ApiKeySid must be ")
                .message().doesNotContain("TOPSECRET");
    }
}
