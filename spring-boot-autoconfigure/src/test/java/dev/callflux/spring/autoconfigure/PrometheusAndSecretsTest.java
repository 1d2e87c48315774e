package dev.callflux.spring.autoconfigure;

import static dev.callflux.spring.autoconfigure.Fixtures.ACCOUNT;
import static dev.callflux.spring.autoconfigure.Fixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** /actuator/prometheus from start-up and after a request; /env and /configprops never show a secret. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class PrometheusAndSecretsTest extends ActuatorTestSupport {

    static final TwilioSimulator SIM = TwilioSimulator.builder().account(ACCOUNT, TOKEN).start();

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        credentials(registry, SIM.baseUrl(), TOKEN);
    }

    @AfterAll
    static void stop() {
        SIM.close();
    }

    @Test
    @Order(1)
    void everyBulkMeterIsScrapedFromStartUp(CapturedOutput output) {
        assertThat(output.getAll()).contains("CallFlux client ready", ACCOUNT).doesNotContain(TOKEN);
        String scrape = get("/actuator/prometheus", 200);
        assertThat(scrape).contains(
                "callflux_bulk_retries_total{reason=\"rate_limited\"} 0.0",
                "callflux_bulk_retries_total{reason=\"server_error\"} 0.0",
                "callflux_bulk_retries_total{reason=\"transport\"} 0.0",
                "callflux_bulk_results_total{outcome=\"succeeded\"} 0.0",
                "callflux_bulk_attempts_total 0.0",
                "callflux_bulk_in_flight 0.0",
                "callflux_bulk_concurrency_limit 0.0",
                "callflux_bulk_command_duration_seconds_count 0");
        get("/actuator/metrics/callflux.bulk.retries", 200);
    }

    @Test
    @Order(2)
    void aRequestIsAnObservationTimerWithItsTags() {
        assertThat(hangup(TestSids.newCallSid())).isEqualTo(200);
        String scrape = get("/actuator/prometheus", 200);
        assertThat(scrape).containsPattern("callflux_update_seconds_count\\{[^}]*http_status=\"200\"[^}]*"
                + "outcome=\"success\"[^}]*twilio_code=\"none\"[^}]*update=\"hangup\"[^}]*} 1");
        assertThat(scrape).doesNotContain("call_sid");
        assertThat(get("/actuator/health/callflux", 200)).contains("\"status\":\"UP\"");
    }

    @Test
    @Order(3)
    void secretsAreMaskedEvenWithValuesShown(CapturedOutput output) {
        String env = get("/actuator/env", 200);
        assertThat(env).contains("callflux.auth-token", "callflux.account-sid", ACCOUNT).doesNotContain(TOKEN);
        assertThat(get("/actuator/env/callflux.auth-token", 200)).contains("******").doesNotContain(TOKEN);
        String configprops = get("/actuator/configprops", 200);
        assertThat(configprops).contains("callflux", "authToken", ACCOUNT).doesNotContain(TOKEN);
        for (String endpoint : new String[] {"beans", "health", "metrics", "conditions", "prometheus", "loggers"}) {
            assertThat(get("/actuator/" + endpoint, 200)).as(endpoint).doesNotContain(TOKEN);
        }
        assertThat(output.getAll()).doesNotContain(TOKEN);
    }
}
