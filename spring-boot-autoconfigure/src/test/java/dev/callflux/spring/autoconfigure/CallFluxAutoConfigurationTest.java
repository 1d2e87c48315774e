package dev.callflux.spring.autoconfigure;

import static dev.callflux.spring.autoconfigure.Fixtures.ACCOUNT;
import static dev.callflux.spring.autoconfigure.Fixtures.KEY;
import static dev.callflux.spring.autoconfigure.Fixtures.SECRET;
import static dev.callflux.spring.autoconfigure.Fixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkMeters;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.spring.autoconfigure.Fixtures.ThreadRecorder;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.test.StepVerifier;

/** Every condition of the auto-configuration, in real contexts, against a real simulator where a request is sent. */
class CallFluxAutoConfigurationTest {

    static final TwilioSimulator SIM = TwilioSimulator.builder()
            .account(ACCOUNT, TOKEN)
            .apiKey(KEY, SECRET, ACCOUNT)
            .start();

    /** Only the TWILIO_* of this runner count: the machine's own are hidden (blank). */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CallFluxAutoConfiguration.class))
            .withPropertyValues("TWILIO_ACCOUNT_SID=", "TWILIO_AUTH_TOKEN=", "TWILIO_API_KEY=", "TWILIO_API_SECRET=",
                    "TWILIO_REGION=", "TWILIO_EDGE=");

    private final ApplicationContextRunner simulated = runner.withPropertyValues("callflux.base-url=" + SIM.baseUrl());

    @AfterAll
    static void stop() {
        SIM.close();
    }

    private static void hangsUp(CallFluxClient client) {
        StepVerifier.create(client.hangup(TestSids.newCallSid()))
                .assertNext(call -> assertThat(call.statusValue()).isEqualTo("completed"))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void authTokenFromProperties() {
        simulated.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(CallFluxClient.class).hasSingleBean(BulkOptions.class);
            CallFluxClient client = ctx.getBean(CallFluxClient.class);
            assertThat(client.accountSid().value()).isEqualTo(ACCOUNT);
            assertThat(client.toString()).contains(ACCOUNT).doesNotContain(TOKEN);
            assertThat(ctx.getBean(CallFluxProperties.class).toString()).doesNotContain(TOKEN);
            hangsUp(client);
        });
    }

    @Test
    void authTokenFromTheTwilioEnvironmentVariables() {
        simulated.withPropertyValues("TWILIO_ACCOUNT_SID=" + ACCOUNT, "TWILIO_AUTH_TOKEN=" + TOKEN).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            hangsUp(ctx.getBean(CallFluxClient.class));
        });
    }

    /** As in twilio-cli, an API key wins over an auth token: the wrong token here would be refused. */
    @Test
    void apiKeyWinsOverAnAuthToken() {
        simulated.withPropertyValues("TWILIO_ACCOUNT_SID=" + ACCOUNT, "TWILIO_AUTH_TOKEN=wrong-token",
                "TWILIO_API_KEY=" + KEY, "callflux.api-secret=" + SECRET).run(ctx -> {
            CallFluxClient client = ctx.getBean(CallFluxClient.class);
            assertThat(client.toString()).contains(KEY).doesNotContain(SECRET).doesNotContain("wrong-token");
            hangsUp(client);
        });
    }

    @Test
    void aPropertyWinsOverItsVariable() {
        simulated.withPropertyValues("TWILIO_ACCOUNT_SID=" + ACCOUNT, "TWILIO_AUTH_TOKEN=wrong-token",
                "callflux.auth-token=" + TOKEN).run(ctx -> hangsUp(ctx.getBean(CallFluxClient.class)));
    }

    @Test
    void regionAndEdgeMakeTheEndpoint() {
        runner.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN,
                "TWILIO_REGION=ie1", "callflux.edge=dublin").run(ctx ->
                assertThat(ctx.getBean(CallFluxClient.class).endpoint().baseUrl())
                        .isEqualTo("https://api.dublin.ie1.twilio.com"));
    }

    @Test
    void anApplicationsOwnClientWins() {
        CallFluxClient own = CallFluxClient.builder().credentials(
                dev.callflux.core.http.Credentials.authToken(ACCOUNT, TOKEN)).baseUrl(SIM.baseUrl()).build();
        // No credentials in the properties: the auto-configured client is not even attempted.
        runner.withBean("myClient", CallFluxClient.class, () -> own).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(CallFluxClient.class);
            assertThat(ctx.getBean(CallFluxClient.class)).isSameAs(own);
            assertThat(ctx).hasSingleBean(BulkOptions.class);
        });
        own.close();
    }

    @Test
    void withoutWebFluxTheClientHasItsOwnEventLoopClosedWithTheContext() {
        ThreadRecorder threads = new ThreadRecorder();
        simulated.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN)
                .withBean(ThreadRecorder.class, () -> threads)
                .run(ctx -> hangsUp(ctx.getBean(CallFluxClient.class)));
        assertThat(threads.threads).singleElement().asString().startsWith("callflux-");
        // Closed with the context: no thread of its event loop is left.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("callflux-")
                        && t.isAlive()));
    }

    @Test
    void inAReactiveWebApplicationTheClientRunsOnSpringsReactorResources() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setLoopResourcesSupplier(() -> reactor.netty.resources.LoopResources.create("server-loop", 2, true));
        factory.afterPropertiesSet();
        ThreadRecorder threads = new ThreadRecorder();
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CallFluxAutoConfiguration.class))
                .withPropertyValues("callflux.base-url=" + SIM.baseUrl(), "callflux.account-sid=" + ACCOUNT,
                        "callflux.auth-token=" + TOKEN, "TWILIO_API_KEY=", "TWILIO_API_SECRET=")
                .withBean(ReactorResourceFactory.class, () -> factory)
                .withBean(ThreadRecorder.class, () -> threads)
                .run(ctx -> hangsUp(ctx.getBean(CallFluxClient.class)));
        assertThat(threads.threads).singleElement().asString().startsWith("server-loop-");
        factory.destroy();
    }

    @Test
    void withoutReactorNettySpringSupportTheClientStillStarts() {
        simulated.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN)
                .withClassLoader(new FilteredClassLoader(ReactorResourceFactory.class, MeterRegistry.class,
                        HealthIndicator.class, io.micrometer.observation.ObservationRegistry.class))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean(BulkMeters.class)
                            .doesNotHaveBean(CallFluxHealthIndicator.class).doesNotHaveBean(CallFluxObservations.class);
                    hangsUp(ctx.getBean(CallFluxClient.class));
                });
    }

    @Test
    void missingCredentialsFailWithTheAnalysisNamingPropertiesAndVariables() {
        runner.run(ctx -> {
            assertThat(ctx).hasFailed();
            FailureAnalysis analysis = new CallFluxFailureAnalyzer().analyze(ctx.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("no Twilio credentials", "callflux.auth-token",
                    "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY");
            assertThat(analysis.getAction()).contains("callflux.account-sid", "callflux.auth-token",
                    "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "callflux.api-key", "TWILIO_API_SECRET");
        });
    }

    @Test
    void incompleteAndMalformedCredentialsNameTheirSourceNotTheirValue() {
        List<List<String>> cases = List.of(
                List.of("callflux.auth-token=" + TOKEN, "callflux.auth-token", "no account SID"),
                List.of("TWILIO_API_KEY=" + KEY, "callflux.api-secret or TWILIO_API_SECRET", "TWILIO_API_KEY"),
                List.of("callflux.api-secret=" + SECRET, "callflux.api-key or TWILIO_API_KEY", "callflux.api-secret"));
        for (List<String> c : cases) {
            runner.withPropertyValues(c.get(0)).run(ctx -> {
                FailureAnalysis analysis = new CallFluxFailureAnalyzer().analyze(ctx.getStartupFailure());
                assertThat(analysis.getDescription() + analysis.getAction()).as(c.get(0))
                        .contains(c.get(1), c.get(2)).doesNotContain(TOKEN, SECRET);
            });
        }
        String badToken = "has a space";
        runner.withPropertyValues("TWILIO_ACCOUNT_SID=" + ACCOUNT, "TWILIO_AUTH_TOKEN=" + badToken).run(ctx -> {
            FailureAnalysis analysis = new CallFluxFailureAnalyzer().analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription())
                    .isEqualTo("CallFlux cannot use TWILIO_AUTH_TOKEN: AuthToken must be printable ASCII without spaces");
            assertThat(analysis.getAction()).startsWith("Correct TWILIO_AUTH_TOKEN.");
            assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(badToken);
        });
        runner.withPropertyValues("callflux.account-sid=AC123", "callflux.auth-token=" + TOKEN).run(ctx ->
                assertThat(new CallFluxFailureAnalyzer().analyze(ctx.getStartupFailure()).getDescription())
                        .isEqualTo("CallFlux cannot use callflux.account-sid: AccountSid must be 'AC' followed by 32"
                                + " hexadecimal digits (got 5 characters)"));
        runner.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN,
                "callflux.region=xx9").run(ctx -> {
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Region must be one of");
            assertThat(new CallFluxFailureAnalyzer().analyze(ctx.getStartupFailure()).getDescription())
                    .startsWith("CallFlux cannot use callflux.region: Region must be one of");
        });
        runner.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN,
                "callflux.max-connections=0").run(ctx ->
                assertThat(new CallFluxFailureAnalyzer().analyze(ctx.getStartupFailure()).getDescription())
                        .isEqualTo("CallFlux cannot use callflux.max-connections: MaxConnections must be at least 1 (got 0)"));
        runner.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN,
                "callflux.base-url=http://127.0.0.1:1", "callflux.region=ie1").run(ctx ->
                assertThat(new CallFluxFailureAnalyzer().analyze(ctx.getStartupFailure()).getAction())
                        .isEqualTo("Set either callflux.base-url or callflux.region / callflux.edge, not both."));
    }

    @Test
    void bulkDefaultsFromProperties() {
        simulated.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN,
                "callflux.bulk.max-in-flight=7", "callflux.bulk.adaptive=false", "callflux.bulk.retry.max-attempts=3",
                "callflux.bulk.retry.max-total-time=1m", "callflux.bulk.rate-per-second=50").run(ctx -> {
            BulkOptions options = ctx.getBean(BulkOptions.class);
            assertThat(options.maxInFlight()).isEqualTo(7);
            assertThat(options.adaptive()).isFalse();
            assertThat(options.ratePerSecond()).isEqualTo(50.0);
            assertThat(options.retryPolicy().maxAttempts()).isEqualTo(3);
            assertThat(options.retryPolicy().maxTotalTime()).isEqualTo(Duration.ofMinutes(1));
            assertThat(options.listeners()).isEmpty();
        });
    }

    /** A bad bulk setting stops start-up with the property to correct, as Spring's own binding errors do. */
    @Test
    void aBadBulkSettingNamesItsProperty() {
        Map<String, String> expected = Map.of(
                "callflux.bulk.max-in-flight=0", "callflux.bulk.max-in-flight: MaxInFlight must be at least 1 (got 0)",
                "callflux.bulk.rate-per-second=-5", "callflux.bulk.rate-per-second: RatePerSecond must be 0 (none) or a"
                        + " positive finite number (got -5.0)",
                "callflux.bulk.retry.max-attempts=0", "callflux.bulk.retry.max-attempts: MaxAttempts must be at least 1 (got 0)",
                "callflux.bulk.retry.max-total-time=-1s", "callflux.bulk.retry.max-total-time: MaxTotalTime must not be"
                        + " negative (got PT-1S)",
                "callflux.bulk.retry.backoff-base=0s", "callflux.bulk.retry.backoff-base: Base must be positive (got PT0S)",
                "callflux.bulk.retry.backoff-cap=50ms", "callflux.bulk.retry.backoff-cap: Cap must be at least Base"
                        + " (got cap PT0.05S, base PT0.1S)");
        expected.forEach((property, message) -> runner.withPropertyValues("callflux.account-sid=" + ACCOUNT,
                "callflux.auth-token=" + TOKEN, property).run(ctx -> {
            FailureAnalysis analysis = new CallFluxFailureAnalyzer().analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).as(property).isEqualTo("CallFlux cannot use " + message);
            assertThat(analysis.getAction()).as(property).isEqualTo("Correct " + property.substring(0, property.indexOf('=')) + ".");
        }));
    }

    /** With a MeterRegistry, every bulk meter exists before any batch runs, retries of every reason included. */
    @Test
    void bulkMetersExistFromStartUp() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        simulated.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN)
                .withBean(MeterRegistry.class, () -> registry).run(ctx -> {
            assertThat(ctx).hasSingleBean(BulkMeters.class);
            assertThat(ctx.getBean(BulkOptions.class).listeners()).containsExactly(ctx.getBean(BulkMeters.class));
            for (String reason : List.of("rate_limited", "server_error", "transport", "other")) {
                assertThat(registry.find("callflux.bulk.retries").tag("reason", reason).counter()).as(reason).isNotNull();
            }
            for (String name : List.of("callflux.bulk.results", "callflux.bulk.attempts", "callflux.bulk.command.duration",
                    "callflux.bulk.in_flight", "callflux.bulk.concurrency_limit")) {
                assertThat(registry.find(name).meters()).as(name).isNotEmpty();
            }
            StepVerifier.create(ctx.getBean(CallFluxClient.class)
                            .hangupAll(reactor.core.publisher.Flux.just(TestSids.newCallSid()), ctx.getBean(BulkOptions.class)))
                    .expectNextCount(1).expectComplete().verify(Duration.ofSeconds(10));
            assertThat(registry.get("callflux.bulk.results").tag("outcome", "succeeded").counter().count()).isEqualTo(1.0);
        });
    }

    @Test
    void observationsOnlyWithARegistryAndUnlessTurnedOff() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        ApplicationContextRunner observed = simulated
                .withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN)
                .withBean(io.micrometer.observation.ObservationRegistry.class, () -> observations);
        observed.run(ctx -> {
            assertThat(ctx).hasSingleBean(CallFluxObservations.class);
            hangsUp(ctx.getBean(CallFluxClient.class));
            io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat(observations)
                    .hasSingleObservationThat().hasNameEqualTo("callflux.update")
                    .hasLowCardinalityKeyValue("outcome", "success")
                    .hasLowCardinalityKeyValue("http.status", "200")
                    .hasLowCardinalityKeyValue("twilio.code", "none")
                    .hasLowCardinalityKeyValue("update", "hangup")
                    .hasHighCardinalityKeyValueWithKey("call.sid")
                    .doesNotHaveParentObservation()
                    .doesNotHaveError();
        });
        observed.withPropertyValues("callflux.observations.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CallFluxObservations.class));
        simulated.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN)
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CallFluxObservations.class));
    }

    @Test
    void healthIndicatorUnlessTurnedOff() {
        ApplicationContextRunner configured = simulated
                .withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN);
        configured.run(ctx -> {
            CallFluxHealthIndicator health = ctx.getBean(CallFluxHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UNKNOWN);
            hangsUp(ctx.getBean(CallFluxClient.class));
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        });
        configured.withPropertyValues("management.health.callflux.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CallFluxHealthIndicator.class));
    }

    @Test
    void customizersAreApplied() {
        simulated.withPropertyValues("callflux.account-sid=" + ACCOUNT, "callflux.auth-token=" + TOKEN)
                .withBean(CallFluxClientBuilderCustomizer.class, () -> b -> b.baseUrl("http://127.0.0.1:9"))
                .run(ctx -> assertThat(ctx.getBean(CallFluxClient.class).endpoint().baseUrl())
                        .isEqualTo("http://127.0.0.1:9"));
    }

    @Test
    void theSanitizingFunctionMasksEverySpellingOfTheSecrets() {
        assertThat(List.of("callflux.auth-token", "callflux.api-secret", "TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET",
                "authToken", "apiSecret", "CALLFLUX_AUTH_TOKEN", "callflux.authToken"))
                .allMatch(CallFluxSanitizingFunction::isSecret);
        assertThat(List.of("callflux.account-sid", "callflux.api-key", "TWILIO_API_KEY", "callflux.base-url"))
                .noneMatch(CallFluxSanitizingFunction::isSecret);
    }
}
