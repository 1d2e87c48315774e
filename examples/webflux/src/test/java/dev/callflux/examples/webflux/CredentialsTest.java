package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.model.Call;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the credentials come from: the environment only, never echoed. No Spring context needed. */
class CredentialsTest {

    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String SUBACCOUNT = "ACfedcba9876543210fedcba9876543210";
    static final String KEY = "SK0123456789abcdef0123456789abcdef";
    static final String SECRET = "s3cr3t-api-secret";
    static final String CALL = "CA00000000000000000000000000000001";

    static CallFluxProperties properties(String accountSid, String baseUrl) {
        return new CallFluxProperties(accountSid, baseUrl, null, null, 4, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @Test
    void apiKeyWithTheAccountFromTheEnvironmentWorksAgainstTheSimulator() {
        try (TwilioSimulator sim = TwilioSimulator.builder().account(ACCOUNT, "account-token").apiKey(KEY, SECRET, ACCOUNT).start();
             CallFluxClient client = CallFluxConfiguration.client(properties(null, sim.baseUrl()),
                     Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_API_KEY", KEY, "TWILIO_API_SECRET", SECRET)::get)) {
            assertThat(client.accountSid().value()).isEqualTo(ACCOUNT);
            assertThat(client.toString()).doesNotContain(SECRET);
            Call call = client.hangup(CALL).block(Duration.ofSeconds(10));
            assertThat(call.statusValue()).isEqualTo("completed");
        }
    }

    @Test
    void authTokenForASubaccountFromTheProperty() {
        try (TwilioSimulator sim = TwilioSimulator.builder().account(ACCOUNT, "account-token").subaccount(ACCOUNT, SUBACCOUNT).start();
             CallFluxClient client = CallFluxConfiguration.client(properties(SUBACCOUNT, sim.baseUrl()),
                     Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", "account-token")::get)) {
            assertThat(client.accountSid().value()).isEqualTo(SUBACCOUNT);
            Call call = client.hangup(CALL).block(Duration.ofSeconds(10));
            assertThat(call.accountSid()).isEqualTo(SUBACCOUNT);
        }
    }

    @Test
    void missingOrIncompleteCredentialsFailWithoutEchoingSecrets() {
        assertThatThrownBy(() -> CallFluxConfiguration.client(properties(null, null), Map.<String, String>of()::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TWILIO_AUTH_TOKEN");
        assertThatThrownBy(() -> CallFluxConfiguration.client(properties(null, null),
                Map.of("TWILIO_API_KEY", KEY, "TWILIO_API_SECRET", SECRET)::get))
                .hasMessageContaining("account SID is required")
                .message().doesNotContain(SECRET);
        assertThatThrownBy(() -> CallFluxConfiguration.client(properties(null, null),
                Map.of("TWILIO_API_SECRET", SECRET)::get))
                .hasMessageContaining("both TWILIO_API_KEY and TWILIO_API_SECRET")
                .message().doesNotContain(SECRET);
        String badToken = "has a space";
        assertThatThrownBy(() -> CallFluxConfiguration.client(properties(null, null),
                Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", badToken)::get))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("AuthToken must be printable ASCII without spaces")
                .message().doesNotContain(badToken);
        assertThatThrownBy(() -> CallFluxConfiguration.client(properties(null, null),
                Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_API_KEY", KEY, "TWILIO_API_SECRET", SECRET + "\u00e9")::get))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("ApiKeySecret must be printable ASCII without spaces")
                .message().doesNotContain(SECRET);
    }

    /** A malformed setting stops the service with the library's words: the setting first, then the rule. */
    @Test
    void malformedSettingsNameTheSettingAndTheRule() {
        Map<String, String> token = Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", "t");
        assertThatThrownBy(() -> CallFluxConfiguration.client(properties(null, "http://example.com"), token::get))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("BaseUrl must use https unless the host is a loopback address "
                        + "(use ApiEndpoint.insecureBaseUrl to send credentials over plain http anyway)");
        assertThatThrownBy(() -> CallFluxConfiguration.client(new CallFluxProperties(null, null, "xx9", null, 4,
                Duration.ofSeconds(1), Duration.ofSeconds(1)), token::get))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Region must be one of us1 (edge ashburn), ")
                .hasMessageEndingWith(" (or give an edge too)");
        assertThatThrownBy(() -> CallFluxConfiguration.client(new CallFluxProperties(null, null, null, "dub lin", 4,
                Duration.ofSeconds(1), Duration.ofSeconds(1)), token::get))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Edge must be a Twilio location name such as 'ie1' or 'dublin'");
        assertThatThrownBy(() -> CallFluxConfiguration.client(properties("AC123", null), token::get))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("AccountSid must be 'AC' followed by 32 hexadecimal digits (got 5 characters)");
        assertThatThrownBy(() -> CallFluxConfiguration.client(properties(null, null),
                Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_API_KEY", "SK123", "TWILIO_API_SECRET", SECRET)::get))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("ApiKeySid must be 'SK' followed by 32 hexadecimal digits (got 5 characters)");
        assertThatThrownBy(() -> CallFluxConfiguration.client(new CallFluxProperties(null, null, null, null, 0,
                Duration.ofSeconds(1), Duration.ofSeconds(1)), token::get))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("MaxConnections must be at least 1 (got 0)");
        assertThatThrownBy(() -> CallFluxConfiguration.client(new CallFluxProperties(null, null, null, null, 4,
                Duration.ZERO, Duration.ofSeconds(1)), token::get))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConnectTimeout must be a positive duration");
    }

    @Test
    void baseUrlAndRegionAreExclusive() {
        CallFluxProperties both = new CallFluxProperties(null, "http://127.0.0.1:1", "ie1", null, 4,
                Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThatThrownBy(() -> CallFluxConfiguration.client(both,
                Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", "t")::get))
                .hasMessageContaining("callflux.base-url");
    }

    @Test
    void regionAndEdgeMakeTheEndpoint() {
        CallFluxProperties dublin = new CallFluxProperties(null, null, "ie1", "dublin", 4,
                Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (CallFluxClient client = CallFluxConfiguration.client(dublin,
                Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", "t")::get)) {
            assertThat(client.endpoint().baseUrl()).isEqualTo("https://api.dublin.ie1.twilio.com");
        }
    }
}
