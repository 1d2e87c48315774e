package dev.callflux.examples.webflux;

import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.CallFluxClientBuilder;
import dev.callflux.reactor.bulk.BulkMeters;
import dev.callflux.reactor.bulk.BulkOptions;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.client.HttpClient;

/**
 * The {@link CallFluxClient} bean (closed with the application context), the {@link BulkMeters} registered
 * on Spring's {@link MeterRegistry}, and the {@link BulkOptions} of the bulk endpoint.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CallFluxProperties.class)
public class CallFluxConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CallFluxConfiguration.class);

    /** Spring calls {@code close()} on shutdown: it releases the client's connection pool and event loop. */
    @Bean(destroyMethod = "close")
    public CallFluxClient callFluxClient(CallFluxProperties properties, ObjectProvider<TwilioEnvironment> environment,
                                         ObjectProvider<ReactorResourceFactory> reactorResources) {
        ReactorResourceFactory shared = reactorResources.getIfAvailable();
        // On the server's own event loops and connection provider: no second set of threads in the service.
        HttpClient netty = shared == null ? null
                : HttpClient.create(shared.getConnectionProvider()).runOn(shared.getLoopResources());
        CallFluxClient client = client(properties, environment.getIfAvailable(TwilioEnvironment::system), netty);
        // The client's toString shows the account, the endpoint and the credentials' SID, never the secret.
        log.info("CallFlux client ready: {}", client);
        return client;
    }

    @Bean
    public BulkMeters callFluxBulkMeters(MeterRegistry registry) {
        return new BulkMeters(registry);
    }

    @Bean
    public BulkOptions callFluxBulkOptions(CallFluxProperties properties, BulkMeters meters) {
        return BulkOptions.builder().maxInFlight(properties.concurrency()).listener(meters).build();
    }

    /**
     * Builds the client from the properties and the credentials in {@code env}.
     *
     * @throws IllegalStateException if the environment holds no usable credentials (the message names the
     *         variables, never their values), or if both a base URL and a region or edge are set
     * @throws IllegalArgumentException if a setting is malformed: the library's message, the setting's name first
     *         ({@code "Region must be one of ..."}, {@code "AuthToken must be printable ASCII without spaces"},
     *         {@code "AccountSid must be 'AC' followed by ..."}), never a secret's value
     */
    public static CallFluxClient client(CallFluxProperties properties, TwilioEnvironment env) {
        return client(properties, env, null);
    }

    /**
     * Builds the client from the properties and the credentials in {@code env}, on {@code netty}'s event loops
     * and connection pool when given (the client then leaves them open when it closes).
     *
     * @throws IllegalStateException if the environment holds no usable credentials, or if both a base URL and a
     *         region or edge are set
     * @throws IllegalArgumentException if a setting is malformed (the message starts with the setting's name)
     */
    public static CallFluxClient client(CallFluxProperties properties, TwilioEnvironment env, HttpClient netty) {
        String accountSid = firstSet(properties.accountSid(), env.get(TwilioEnvironment.ACCOUNT_SID));
        CallFluxClientBuilder builder = CallFluxClient.builder()
                .credentials(credentials(env, accountSid))
                .maxConnections(properties.concurrency())
                .connectTimeout(properties.connectTimeout())
                .responseTimeout(properties.responseTimeout());
        if (netty != null) {
            builder.httpClient(netty);
        }
        if (accountSid != null) {
            builder.accountSid(accountSid);
        }
        if (isSet(properties.baseUrl())) {
            if (isSet(properties.region()) || isSet(properties.edge())) {
                throw new IllegalStateException("set either callflux.base-url or callflux.region/callflux.edge, not both");
            }
            builder.baseUrl(properties.baseUrl().trim());
        } else {
            // As Twilio's own libraries do, TWILIO_REGION and TWILIO_EDGE apply when the properties say nothing.
            String region = firstSet(properties.region(), env.get(TwilioEnvironment.REGION));
            String edge = firstSet(properties.edge(), env.get(TwilioEnvironment.EDGE));
            if (region != null) {
                builder.region(region.trim());
            }
            if (edge != null) {
                builder.edge(edge.trim());
            }
        }
        return builder.build();
    }

    /**
     * An API key when {@code TWILIO_API_KEY} or {@code TWILIO_API_SECRET} is set, else the auth token of
     * {@code TWILIO_ACCOUNT_SID} (falling back to {@code accountSid}, the account the service works on).
     */
    static Credentials credentials(TwilioEnvironment env, String accountSid) {
        String apiKey = env.get(TwilioEnvironment.API_KEY);
        String apiSecret = env.get(TwilioEnvironment.API_SECRET);
        if (isSet(apiKey) || isSet(apiSecret)) {
            if (!isSet(apiKey) || !isSet(apiSecret)) {
                throw new IllegalStateException("set both TWILIO_API_KEY and TWILIO_API_SECRET, or neither");
            }
            if (accountSid == null) {
                throw new IllegalStateException("with TWILIO_API_KEY the account SID is required: set TWILIO_ACCOUNT_SID"
                        + " or callflux.account-sid");
            }
            return Credentials.apiKey(apiKey.trim(), apiSecret);
        }
        String authToken = env.get(TwilioEnvironment.AUTH_TOKEN);
        if (isSet(authToken)) {
            String owner = firstSet(env.get(TwilioEnvironment.ACCOUNT_SID), accountSid);
            if (owner == null) {
                throw new IllegalStateException("TWILIO_AUTH_TOKEN needs TWILIO_ACCOUNT_SID, the account it belongs to");
            }
            return Credentials.authToken(owner, authToken);
        }
        throw new IllegalStateException("no Twilio credentials in the environment: set TWILIO_ACCOUNT_SID and"
                + " TWILIO_AUTH_TOKEN, or TWILIO_API_KEY, TWILIO_API_SECRET and TWILIO_ACCOUNT_SID");
    }

    private static String firstSet(String a, String b) {
        return isSet(a) ? a.trim() : isSet(b) ? b.trim() : null;
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }
}
