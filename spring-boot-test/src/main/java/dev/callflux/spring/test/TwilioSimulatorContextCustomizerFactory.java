package dev.callflux.spring.test;

import dev.callflux.core.model.CallStatus;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Implements {@link AutoConfigureTwilioSimulator}: for a test class so annotated, a customizer that starts the
 * simulator, puts its settings first in the {@code Environment} (property source {@value #PROPERTY_SOURCE}) and
 * registers it and its {@code Ledger} as beans. Registered in {@code META-INF/spring.factories}.
 */
public class TwilioSimulatorContextCustomizerFactory implements ContextCustomizerFactory {

    /** The property source the simulator's settings are in, ahead of every other. */
    public static final String PROPERTY_SOURCE = "callfluxTwilioSimulator";

    /** Created by Spring's test framework. */
    public TwilioSimulatorContextCustomizerFactory() {
    }

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        AutoConfigureTwilioSimulator annotation =
                TestContextAnnotationUtils.findMergedAnnotation(testClass, AutoConfigureTwilioSimulator.class);
        return annotation == null ? null : new Customizer(annotation.accountSid(), annotation.authToken(),
                annotation.knownCallsOnly(), List.of(annotation.liveCalls()));
    }

    /** Starts the simulator for one context; equal for equal attributes, so that the context is cached. */
    private static final class Customizer implements ContextCustomizer {

        private final String accountSid;
        private final String authToken;
        private final boolean knownCallsOnly;
        private final List<String> liveCalls;

        Customizer(String accountSid, String authToken, boolean knownCallsOnly, List<String> liveCalls) {
            this.accountSid = accountSid;
            this.authToken = authToken;
            this.knownCallsOnly = knownCallsOnly;
            this.liveCalls = liveCalls;
        }

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TwilioSimulator.Builder builder = TwilioSimulator.builder().knownCallsOnly(knownCallsOnly);
            if (!accountSid.isEmpty() || !authToken.isEmpty()) {
                builder.account(accountSid.isEmpty() ? TestSids.newAccountSid()
                        : accountSid, authToken.isEmpty() ? "simulator-" + Long.toHexString(System.nanoTime()) : authToken);
            }
            liveCalls.forEach(sid -> builder.call(sid, CallStatus.IN_PROGRESS));
            TwilioSimulator simulator = builder.start();
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("callflux.base-url", simulator.baseUrl());
            properties.put("callflux.account-sid", simulator.accountSid());
            properties.put("callflux.auth-token", simulator.authToken());
            properties.put("callflux.region", "");
            properties.put("callflux.edge", "");
            // The machine's own Twilio credentials must not reach the simulator, nor win over its token.
            for (String hidden : Arrays.asList("callflux.api-key", "callflux.api-secret", "TWILIO_API_KEY",
                    "TWILIO_API_SECRET", "TWILIO_REGION", "TWILIO_EDGE")) {
                properties.put(hidden, "");
            }
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
            context.getBeanFactory().registerSingleton("twilioSimulator", simulator);
            context.getBeanFactory().registerSingleton("twilioSimulatorLedger", simulator.ledger());
            context.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> {
                if (event.getApplicationContext() == context) {
                    simulator.close();
                }
            });
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Customizer c && c.accountSid.equals(accountSid) && c.authToken.equals(authToken)
                    && c.knownCallsOnly == knownCallsOnly && c.liveCalls.equals(liveCalls);
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountSid, authToken, knownCallsOnly, liveCalls);
        }
    }
}
