package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.reactor.CallFluxClient;
import dev.callflux.spring.autoconfigure.CallFluxAutoConfiguration;
import dev.callflux.spring.autoconfigure.CallFluxFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A malformed setting stops the service's context at startup, and what the operator reads is the library's
 * message (the setting's name, then the rule) in Spring Boot's failure report, naming where the value came from,
 * no secret.
 */
class StartupFailureTest {

    private static final String TOKEN = "s3cr3t-startup-token";

    /** The starter with credentials that are fine, so that the settings after them are read. */
    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CallFluxAutoConfiguration.class))
            .withPropertyValues("TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef", "TWILIO_AUTH_TOKEN=" + TOKEN,
                    "TWILIO_API_KEY=", "TWILIO_API_SECRET=", "TWILIO_REGION=", "TWILIO_EDGE=");

    @Test
    void goodSettingsStart() {
        context.withPropertyValues("callflux.region=ie1").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(CallFluxClient.class).endpoint().baseUrl())
                    .isEqualTo("https://api.dublin.ie1.twilio.com");
        });
    }

    @Test
    void anUnknownRegionStopsTheServiceNamingTheRegionRule() {
        context.withPropertyValues("callflux.region=xx9").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Region must be one of us1 (edge ashburn), ")
                    .hasMessageEndingWith(" (or give an edge too)");
            FailureAnalysis report = new CallFluxFailureAnalyzer().analyze(ctx.getStartupFailure());
            assertThat(report.getDescription()).startsWith("CallFlux cannot use callflux.region: Region must be one of");
            assertThat(report.getAction()).isEqualTo("Correct callflux.region.");
        });
    }

    @Test
    void aPlainHttpBaseUrlStopsTheServiceNamingTheBaseUrlRule() {
        context.withPropertyValues("callflux.base-url=http://example.com").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("BaseUrl must use https unless the host is a loopback address");
            assertThat(ctx.getStartupFailure()).hasMessageNotContaining(TOKEN);
        });
    }
}
