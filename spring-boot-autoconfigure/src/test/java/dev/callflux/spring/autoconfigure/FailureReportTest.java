package dev.callflux.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What an operator reads when the application starts without credentials or with a malformed one: Spring Boot's
 * report, through the real {@code SpringApplication} and the {@code spring.factories} registration.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureReportTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    private static void start(String... args) {
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.run(args);
    }

    @Test
    void missingCredentials(CapturedOutput output) {
        assertThatThrownBy(() -> start("--TWILIO_ACCOUNT_SID=", "--TWILIO_AUTH_TOKEN=", "--TWILIO_API_KEY=",
                "--TWILIO_API_SECRET=")).hasRootCauseInstanceOf(CallFluxConfigurationException.class);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START", "Description:",
                "CallFlux has no Twilio credentials", "Action:",
                "Set callflux.account-sid and callflux.auth-token (or the environment variables TWILIO_ACCOUNT_SID and"
                        + " TWILIO_AUTH_TOKEN)");
    }

    @Test
    void aMalformedSecretIsNamedNotShown(CapturedOutput output) {
        String secret = "not ascii \u00e9 secret";
        assertThatThrownBy(() -> start("--callflux.account-sid=" + Fixtures.ACCOUNT, "--TWILIO_API_KEY=" + Fixtures.KEY,
                "--TWILIO_API_SECRET=" + secret)).isNotNull();
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
                "CallFlux cannot use TWILIO_API_SECRET: ApiKeySecret must be printable ASCII without spaces",
                "Correct TWILIO_API_SECRET.").doesNotContain(secret);
    }

    /** BlockHound is on in this module's test JVM (installed by BlockHoundInstaller): a blocking call is caught. */
    @Test
    void blockHoundIsInstalled() {
        assertThatThrownBy(() -> Mono.fromRunnable(() -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10)))
                .hasMessageContaining("Blocking call");
    }
}
