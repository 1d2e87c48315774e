package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A malformed setting stops the service's context at startup, and what the operator reads at the bottom of the
 * failure is the library's message: the setting's name, then the rule, no secret.
 */
class StartupFailureTest {

    private static final String TOKEN = "s3cr3t-startup-token";

    /** The service's CallFlux beans with credentials that are fine, so that the settings after them are read. */
    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(CallFluxConfiguration.class)
            .withBean(TwilioEnvironment.class, () -> Map.of(TwilioEnvironment.ACCOUNT_SID,
                    "AC0123456789abcdef0123456789abcdef", TwilioEnvironment.AUTH_TOKEN, TOKEN)::get)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void goodSettingsStart() {
        context.withPropertyValues("callflux.region=ie1").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(dev.callflux.reactor.CallFluxClient.class).endpoint().baseUrl())
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
