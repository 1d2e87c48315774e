package dev.callflux.spring.autoconfigure;

import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.UpdateObserver;
import dev.callflux.reactor.bulk.BulkListener;
import dev.callflux.reactor.bulk.BulkMeters;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.retry.Backoff;
import dev.callflux.reactor.retry.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.client.HttpClient;

/**
 * Auto-configuration of a {@link CallFluxClient} from the {@code callflux.*} properties (and the {@code TWILIO_*}
 * environment variables), with a {@link BulkOptions} of the {@code callflux.bulk.*} defaults.
 *
 * <ul>
 *   <li>In a WebFlux application (a {@code ReactorResourceFactory} bean), the client runs on the server's event
 *       loops and connection provider; otherwise it makes its own, released when the context closes.</li>
 *   <li>With a {@code MeterRegistry}: {@link BulkMeters} in the {@code BulkOptions}, every meter registered at
 *       start-up. With an {@code ObservationRegistry}: each request is an Observation ({@link CallFluxObservations}).</li>
 *   <li>With Spring Boot's health support: the {@code callflux} {@link CallFluxHealthIndicator}.</li>
 *   <li>With the actuator: {@link CallFluxSanitizingFunction}, which masks the secrets in {@code /env} and
 *       {@code /configprops}.</li>
 * </ul>
 * Every {@link UpdateObserver} bean and {@link CallFluxClientBuilderCustomizer} bean is applied to the client.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass(CallFluxClient.class)
@EnableConfigurationProperties(CallFluxProperties.class)
public class CallFluxAutoConfiguration {

    private static final Log log = LogFactory.getLog(CallFluxAutoConfiguration.class);

    /** Created by Spring Boot. */
    public CallFluxAutoConfiguration() {
    }

    /**
     * The client; Spring closes it with the context (releasing its own event loop and pool, if it has them).
     *
     * @param properties  {@code callflux.*}
     * @param environment where the {@code TWILIO_*} variables are read
     * @param observers   every {@link UpdateObserver} bean, in order
     * @param customizers every {@link CallFluxClientBuilderCustomizer} bean, in order
     * @return the client
     * @throws CallFluxConfigurationException if the credentials or a setting are missing or malformed
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public CallFluxClient callFluxClient(CallFluxProperties properties, Environment environment,
                                         ObjectProvider<UpdateObserver> observers,
                                         ObjectProvider<CallFluxClientBuilderCustomizer> customizers) {
        CallFluxClient client = CallFluxSettings.client(properties, environment, builder -> {
            observers.orderedStream().forEach(builder::addObserver);
            customizers.orderedStream().forEach(c -> c.customize(builder));
        });
        // Its toString shows the account, the endpoint and the credentials' SID, never the secret.
        log.info("CallFlux client ready: " + client);
        return client;
    }

    /**
     * The defaults of bulk runs, {@code callflux.bulk.*}, with every {@code BulkListener} bean ({@link BulkMeters}).
     *
     * @param properties {@code callflux.*}
     * @param listeners  every {@code BulkListener} bean ({@link BulkMeters} when there is a {@code MeterRegistry})
     * @return the options
     */
    @Bean
    @ConditionalOnMissingBean
    public BulkOptions callFluxBulkOptions(CallFluxProperties properties, ObjectProvider<BulkListener> listeners) {
        CallFluxProperties.Bulk bulk = properties.getBulk();
        CallFluxProperties.Retry retry = bulk.getRetry();
        return CallFluxSettings.guard(BULK_SETTINGS, "the callflux.bulk.* settings", () -> {
            BulkOptions.Builder options = BulkOptions.builder()
                    .maxInFlight(bulk.getMaxInFlight())
                    .adaptive(bulk.isAdaptive())
                    .initialLimit(Math.min(bulk.getInitialLimit(), bulk.getMaxInFlight()))
                    .ratePerSecond(bulk.getRatePerSecond())
                    .retryPolicy(RetryPolicy.builder()
                            .maxAttempts(retry.getMaxAttempts())
                            .maxTotalTime(retry.getMaxTotalTime())
                            .backoff(Backoff.fullJitter(retry.getBackoffBase(), retry.getBackoffCap()))
                            .resendWhenOutcomeUnknown(retry.isResendWhenOutcomeUnknown())
                            .build());
            listeners.orderedStream().forEach(options::listener);
            return options.build();
        });
    }

    /** The property each bulk setting comes from, by the name the library's messages give it. */
    private static final Map<String, String> BULK_SETTINGS = Map.of(
            "MaxInFlight", "callflux.bulk.max-in-flight",
            "InitialLimit", "callflux.bulk.initial-limit",
            "RatePerSecond", "callflux.bulk.rate-per-second",
            "MaxAttempts", "callflux.bulk.retry.max-attempts",
            "MaxTotalTime", "callflux.bulk.retry.max-total-time",
            "Base", "callflux.bulk.retry.backoff-base",
            "Cap", "callflux.bulk.retry.backoff-cap");

    /** In a WebFlux application: the server's event loops and connection provider, no second set of threads. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ReactorResourceFactory.class, HttpClient.class})
    static class SharedReactorNettyConfiguration {

        @Bean
        @Order(0)
        CallFluxClientBuilderCustomizer callFluxSharedReactorResources(ObjectProvider<ReactorResourceFactory> factories) {
            return builder -> {
                ReactorResourceFactory factory = factories.getIfUnique();
                if (factory != null) {
                    builder.httpClient(HttpClient.create(factory.getConnectionProvider())
                            .runOn(factory.getLoopResources()));
                }
            };
        }
    }

    /** Bulk meters on the application's registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {

        /** The retry reasons of {@code callflux.bulk.retries}, as {@link BulkMeters} tags them. */
        static final List<String> RETRY_REASONS = List.of("rate_limited", "server_error", "transport", "other");

        @Bean
        @ConditionalOnMissingBean
        BulkMeters callFluxBulkMeters(MeterRegistry registry) {
            BulkMeters meters = new BulkMeters(registry);
            // BulkMeters makes a retry counter at the first retry of its reason: registered now, every series
            // exists from start-up (a dashboard or an alert sees 0, not "no data").
            for (String reason : RETRY_REASONS) {
                registry.counter("callflux.bulk.retries", "reason", reason);
            }
            return meters;
        }
    }

    /** Each request an Observation. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnProperty(prefix = "callflux.observations", name = "enabled", matchIfMissing = true)
    static class ObservationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        CallFluxObservations callFluxObservations(ObservationRegistry registry) {
            return new CallFluxObservations(registry);
        }
    }

    /** The {@code callflux} health indicator (the bean name makes the contributor name: /actuator/health/callflux). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("callflux")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean
        CallFluxHealthIndicator callfluxHealthIndicator(CallFluxProperties properties) {
            return new CallFluxHealthIndicator(properties.getHealth().getWindow(), Clock.systemUTC());
        }
    }

    /** Masks the secrets in the actuator's output. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SanitizingFunction.class)
    static class SanitizingConfiguration {

        @Bean
        CallFluxSanitizingFunction callFluxSanitizingFunction() {
            return new CallFluxSanitizingFunction();
        }
    }
}
