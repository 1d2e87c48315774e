package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.model.Call;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.spring.autoconfigure.CallFluxAutoConfiguration;
import dev.callflux.spring.autoconfigure.CallFluxConfigurationException;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Where the service's credentials come from, through the starter's auto-configuration: the {@code TWILIO_*}
 * variables (here as Spring properties, where the OS environment ends up), never echoed.
 */
class CredentialsTest {

    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String SUBACCOUNT = "ACfedcba9876543210fedcba9876543210";
    static final String KEY = "SK0123456789abcdef0123456789abcdef";
    static final String SECRET = "s3cr3t-api-secret";
    static final String CALL = "CA00000000000000000000000000000001";

    /** The starter alone, with the machine's own TWILIO_* hidden. */
    static ApplicationContextRunner runner(Map<String, String> variables, String... properties) {
        List<String> values = new ArrayList<>();
        for (String name : List.of("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET",
                "TWILIO_REGION", "TWILIO_EDGE")) {
            values.add(name + "=" + variables.getOrDefault(name, ""));
        }
        values.addAll(List.of(properties));
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CallFluxAutoConfiguration.class))
                .withPropertyValues(values.toArray(String[]::new));
    }

    /** The startup failure's message, which must not quote {@code secret}. */
    static void failsWith(ApplicationContextRunner runner, String expected, String secret) {
        runner.run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).hasStackTraceContaining(CallFluxConfigurationException.class.getName())
                    .hasStackTraceContaining(expected);
            if (secret != null) {
                assertThat(stackTrace(ctx.getStartupFailure())).doesNotContain(secret);
            }
        });
    }

    static String stackTrace(Throwable t) {
        java.io.StringWriter out = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    @Test
    void apiKeyWithTheAccountFromTheEnvironmentWorksAgainstTheSimulator() {
        try (TwilioSimulator sim = TwilioSimulator.builder().account(ACCOUNT, "account-token").apiKey(KEY, SECRET, ACCOUNT).start()) {
            runner(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_API_KEY", KEY, "TWILIO_API_SECRET", SECRET),
                    "callflux.base-url=" + sim.baseUrl()).run(ctx -> {
                CallFluxClient client = ctx.getBean(CallFluxClient.class);
                assertThat(client.accountSid().value()).isEqualTo(ACCOUNT);
                assertThat(client.toString()).doesNotContain(SECRET);
                Call call = client.hangup(CALL).block(Duration.ofSeconds(10));
                assertThat(call.statusValue()).isEqualTo("completed");
            });
        }
    }

    @Test
    void authTokenForASubaccountFromTheProperty() {
        try (TwilioSimulator sim = TwilioSimulator.builder().account(ACCOUNT, "account-token").subaccount(ACCOUNT, SUBACCOUNT).start()) {
            runner(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", "account-token"),
                    "callflux.base-url=" + sim.baseUrl(), "callflux.account-sid=" + SUBACCOUNT).run(ctx -> {
                CallFluxClient client = ctx.getBean(CallFluxClient.class);
                assertThat(client.accountSid().value()).isEqualTo(SUBACCOUNT);
                Call call = client.hangup(CALL).block(Duration.ofSeconds(10));
                assertThat(call.accountSid()).isEqualTo(SUBACCOUNT);
            });
        }
    }

    @Test
    void missingOrIncompleteCredentialsFailWithoutEchoingSecrets() {
        failsWith(runner(Map.of()), "TWILIO_AUTH_TOKEN", null);
        failsWith(runner(Map.of("TWILIO_API_KEY", KEY, "TWILIO_API_SECRET", SECRET)), "no account SID", SECRET);
        failsWith(runner(Map.of("TWILIO_API_SECRET", SECRET)), "callflux.api-key or TWILIO_API_KEY", SECRET);
        String badToken = "has a space";
        failsWith(runner(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", badToken)),
                "AuthToken must be printable ASCII without spaces", badToken);
        failsWith(runner(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_API_KEY", KEY, "TWILIO_API_SECRET", SECRET + "\u00e9")),
                "ApiKeySecret must be printable ASCII without spaces", SECRET);
    }

    /** A malformed setting stops the service with the library's words: the setting first, then the rule. */
    @Test
    void malformedSettingsNameTheSettingAndTheRule() {
        Map<String, String> token = Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", "t");
        failsWith(runner(token, "callflux.base-url=http://example.com"),
                "BaseUrl must use https unless the host is a loopback address "
                        + "(use ApiEndpoint.insecureBaseUrl to send credentials over plain http anyway)", null);
        failsWith(runner(token, "callflux.region=xx9"), "Region must be one of us1 (edge ashburn), ", null);
        failsWith(runner(token, "callflux.edge=dub lin"), "Edge must be a Twilio location name such as 'ie1' or 'dublin'", null);
        failsWith(runner(token, "callflux.account-sid=AC123"),
                "AccountSid must be 'AC' followed by 32 hexadecimal digits (got 5 characters)", null);
        failsWith(runner(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_API_KEY", "SK123", "TWILIO_API_SECRET", SECRET)),
                "ApiKeySid must be 'SK' followed by 32 hexadecimal digits (got 5 characters)", SECRET);
        failsWith(runner(token, "callflux.max-connections=0"), "MaxConnections must be at least 1 (got 0)", null);
        failsWith(runner(token, "callflux.connect-timeout=0s"), "ConnectTimeout must be a positive duration (got PT0S)", null);
    }

    @Test
    void baseUrlAndRegionAreExclusive() {
        failsWith(runner(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", "t"),
                "callflux.base-url=http://127.0.0.1:1", "callflux.region=ie1"), "callflux.base-url", null);
    }

    @Test
    void regionAndEdgeMakeTheEndpoint() {
        runner(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", "t"), "callflux.region=ie1",
                "callflux.edge=dublin").run(ctx -> assertThat(ctx.getBean(CallFluxClient.class).endpoint().baseUrl())
                .isEqualTo("https://api.dublin.ie1.twilio.com"));
    }
}
