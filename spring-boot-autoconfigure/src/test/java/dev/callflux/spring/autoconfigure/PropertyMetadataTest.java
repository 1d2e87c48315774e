package dev.callflux.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.callflux.reactor.CallFluxClientBuilder;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.retry.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/**
 * The metadata spring-boot-configuration-processor generated (what IDEs complete and document): every property
 * described, the defaults shown, and the defaults the library's own.
 */
class PropertyMetadataTest {

    private static DocumentContext metadata() throws IOException {
        try (InputStream in = PropertyMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            return JsonPath.parse(in);
        }
    }

    @Test
    void everyPropertyIsDescribed() throws IOException {
        List<Map<String, Object>> properties = metadata().read("$.properties[*]");
        assertThat(properties).extracting(p -> p.get("name")).contains("callflux.account-sid", "callflux.auth-token",
                "callflux.api-key", "callflux.api-secret", "callflux.base-url", "callflux.region", "callflux.edge",
                "callflux.connect-timeout", "callflux.response-timeout", "callflux.max-connections",
                "callflux.bulk.max-in-flight", "callflux.bulk.adaptive", "callflux.bulk.retry.max-attempts",
                "callflux.health.window", "callflux.observations.enabled");
        assertThat(properties).allSatisfy(p -> assertThat((String) p.get("description")).as((String) p.get("name"))
                .isNotBlank().endsWith("."));
    }

    /** The hints name every region of the library's table with its default edge. */
    @Test
    void regionsAndEdgesAreHinted() throws IOException {
        DocumentContext json = metadata();
        List<Map<String, Object>> hints = json.read("$.hints");
        List<Object> regions = hinted(hints, "callflux.region");
        List<Object> edges = hinted(hints, "callflux.edge");
        assertThat(regions).containsExactlyInAnyOrderElementsOf(dev.callflux.core.http.ApiEndpoint.DEFAULT_EDGES.keySet());
        assertThat(edges).containsExactlyInAnyOrderElementsOf(dev.callflux.core.http.ApiEndpoint.DEFAULT_EDGES.values());
        List<Object> health = json.read("$.properties[?(@.name == 'management.health.callflux.enabled')].defaultValue");
        assertThat(health).containsExactly(true);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> hinted(List<Map<String, Object>> hints, String name) {
        return hints.stream().filter(h -> name.equals(h.get("name")))
                .flatMap(h -> ((List<Map<String, Object>>) h.get("values")).stream())
                .map(v -> v.get("value")).toList();
    }

    @Test
    void theDefaultsAreShownAndAreTheLibrarysOwn() throws IOException {
        DocumentContext json = metadata();
        Map<String, Object> expected = Map.ofEntries(
                Map.entry("callflux.connect-timeout", CallFluxClientBuilder.DEFAULT_CONNECT_TIMEOUT),
                Map.entry("callflux.response-timeout", CallFluxClientBuilder.DEFAULT_RESPONSE_TIMEOUT),
                Map.entry("callflux.max-connections", CallFluxClientBuilder.DEFAULT_MAX_CONNECTIONS),
                Map.entry("callflux.max-pending-acquires", CallFluxClientBuilder.DEFAULT_MAX_PENDING_ACQUIRES),
                Map.entry("callflux.pending-acquire-timeout", CallFluxClientBuilder.DEFAULT_PENDING_ACQUIRE_TIMEOUT),
                Map.entry("callflux.max-idle-time", CallFluxClientBuilder.DEFAULT_MAX_IDLE_TIME),
                Map.entry("callflux.bulk.max-in-flight", BulkOptions.DEFAULT_MAX_IN_FLIGHT),
                Map.entry("callflux.bulk.initial-limit", BulkOptions.DEFAULT_INITIAL_LIMIT),
                Map.entry("callflux.bulk.adaptive", BulkOptions.DEFAULT.adaptive()),
                Map.entry("callflux.bulk.retry.max-attempts", RetryPolicy.DEFAULT_MAX_ATTEMPTS),
                Map.entry("callflux.bulk.retry.max-total-time", RetryPolicy.DEFAULT_MAX_TOTAL_TIME),
                Map.entry("callflux.bulk.retry.resend-when-outcome-unknown", RetryPolicy.DEFAULT.resendWhenOutcomeUnknown()));
        expected.forEach((name, value) -> {
            List<Object> shown = json.read("$.properties[?(@.name == '" + name + "')].defaultValue");
            assertThat(shown).as(name).hasSize(1);
            Object v = shown.get(0);
            if (value instanceof Duration d) {
                assertThat(DurationStyle.detectAndParse(v.toString())).as(name).isEqualTo(d);
            } else {
                assertThat(v.toString()).as(name).isEqualTo(value.toString());
            }
        });
        // The library's defaults, applied when nothing is set:
        CallFluxProperties p = new CallFluxProperties();
        assertThat(p.getConnectTimeout()).isEqualTo(CallFluxClientBuilder.DEFAULT_CONNECT_TIMEOUT);
        assertThat(p.getBulk().getRetry().getBackoffBase()).isEqualTo(Duration.ofMillis(100));
        assertThat(p.getBulk().getRatePerSecond()).isEqualTo(BulkOptions.DEFAULT_RATE_PER_SECOND);
    }
}
