package dev.callflux.spring.autoconfigure;

import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.CallFluxClientBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.core.env.Environment;

/**
 * Reads the credentials and endpoint from {@code callflux.*} and the {@code TWILIO_*} environment variables as
 * twilio-cli does: an API key ({@code TWILIO_API_KEY} + {@code TWILIO_API_SECRET}) wins over an auth token
 * ({@code TWILIO_ACCOUNT_SID} + {@code TWILIO_AUTH_TOKEN}); a {@code callflux.*} property wins over its variable.
 * Every error is a {@link CallFluxConfigurationException} naming the properties, never a value.
 */
final class CallFluxSettings {

    static final String ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
    static final String AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
    static final String API_KEY = "TWILIO_API_KEY";
    static final String API_SECRET = "TWILIO_API_SECRET";
    static final String REGION = "TWILIO_REGION";
    static final String EDGE = "TWILIO_EDGE";

    static final String ACTION_CREDENTIALS = "Set callflux.account-sid and callflux.auth-token (or the environment"
            + " variables TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN), or callflux.api-key and callflux.api-secret with"
            + " callflux.account-sid (or TWILIO_API_KEY, TWILIO_API_SECRET and TWILIO_ACCOUNT_SID). In a test, annotate"
            + " the test class with @AutoConfigureTwilioSimulator (callflux-spring-boot-test).";

    private CallFluxSettings() {
    }

    /** One setting and where it came from ({@code callflux.auth-token} or {@code TWILIO_AUTH_TOKEN}). */
    record Setting(String value, String source) {
        boolean isSet() {
            return value != null;
        }
    }

    static Setting read(String property, String propertyValue, String variable, Environment env) {
        if (present(propertyValue)) {
            return new Setting(propertyValue.strip(), property);
        }
        String fromEnv = env.getProperty(variable);
        return present(fromEnv) ? new Setting(fromEnv.strip(), variable) : new Setting(null, property + " or " + variable);
    }

    /**
     * Builds the client: credentials, account and endpoint from {@code p} and {@code env}, the timeouts and pool
     * settings of {@code p}, then {@code customize} (the shared Reactor Netty client, observers, the user's
     * customizers). A setting the library refuses becomes a {@link CallFluxConfigurationException} naming the
     * property or variable it came from.
     */
    static CallFluxClient client(CallFluxProperties p, Environment env, Consumer<CallFluxClientBuilder> customize) {
        Map<String, String> sources = new HashMap<>();
        CallFluxClientBuilder builder = CallFluxClient.builder();
        Setting account = read("callflux.account-sid", p.getAccountSid(), ACCOUNT_SID, env);
        builder.credentials(credentials(p, env, account, sources));
        if (account.isSet()) {
            sources.put("AccountSid", account.source());
            builder.accountSid(account.value());
        }
        Setting region = read("callflux.region", p.getRegion(), REGION, env);
        Setting edge = read("callflux.edge", p.getEdge(), EDGE, env);
        sources.put("ConnectTimeout", "callflux.connect-timeout");
        sources.put("ResponseTimeout", "callflux.response-timeout");
        sources.put("MaxConnections", "callflux.max-connections");
        sources.put("MaxPendingAcquires", "callflux.max-pending-acquires");
        sources.put("PendingAcquireTimeout", "callflux.pending-acquire-timeout");
        sources.put("MaxIdleTime", "callflux.max-idle-time");
        sources.put("BaseUrl", "callflux.base-url");
        return guard(sources, () -> {
            if (present(p.getBaseUrl())) {
                if (present(p.getRegion()) || present(p.getEdge())) {
                    throw new CallFluxConfigurationException("callflux.base-url is set together with callflux.region"
                            + " or callflux.edge: they are two ways to say where requests go.",
                            "Set either callflux.base-url or callflux.region / callflux.edge, not both.", null);
                }
                builder.baseUrl(p.getBaseUrl().strip());
            } else {
                if (region.isSet()) {
                    sources.put("Region", region.source());
                    builder.region(region.value());
                }
                if (edge.isSet()) {
                    sources.put("Edge", edge.source());
                    builder.edge(edge.value());
                }
            }
            builder.connectTimeout(p.getConnectTimeout())
                    .responseTimeout(p.getResponseTimeout())
                    .maxConnections(p.getMaxConnections())
                    .maxPendingAcquires(p.getMaxPendingAcquires())
                    .pendingAcquireTimeout(p.getPendingAcquireTimeout())
                    .maxIdleTime(p.getMaxIdleTime());
            customize.accept(builder);
            return builder.build();
        });
    }

    private static Credentials credentials(CallFluxProperties p, Environment env, Setting account,
                                           Map<String, String> sources) {
        Setting apiKey = read("callflux.api-key", p.getApiKey(), API_KEY, env);
        Setting apiSecret = read("callflux.api-secret", p.getApiSecret(), API_SECRET, env);
        if (apiKey.isSet() || apiSecret.isSet()) {
            if (!apiKey.isSet() || !apiSecret.isSet()) {
                Setting missing = apiKey.isSet() ? apiSecret : apiKey;
                Setting given = apiKey.isSet() ? apiKey : apiSecret;
                throw new CallFluxConfigurationException("CallFlux found " + given.source() + " but not "
                        + missing.source() + ": an API key needs its SID and its secret.",
                        "Set " + missing.source() + ", or remove " + given.source() + " to use an auth token.", null);
            }
            if (!account.isSet()) {
                throw new CallFluxConfigurationException("CallFlux has an API key (" + apiKey.source() + ") but no"
                        + " account SID: with an API key the account cannot be derived from the credentials.",
                        "Set callflux.account-sid or the environment variable TWILIO_ACCOUNT_SID (the account"
                                + " whose calls are updated).", null);
            }
            sources.put("ApiKeySid", apiKey.source());
            sources.put("ApiKeySecret", apiSecret.source());
            sources.put("AccountSid", account.source());
            return guard(sources, () -> Credentials.apiKey(apiKey.value(), apiSecret.value()));
        }
        Setting token = read("callflux.auth-token", p.getAuthToken(), AUTH_TOKEN, env);
        if (!token.isSet()) {
            throw new CallFluxConfigurationException("CallFlux has no Twilio credentials: none of callflux.auth-token,"
                    + " callflux.api-key / callflux.api-secret, TWILIO_AUTH_TOKEN, TWILIO_API_KEY / TWILIO_API_SECRET"
                    + " is set.", ACTION_CREDENTIALS, null);
        }
        // The token's account: the SID from the same place as the token (a property or the environment), else the other.
        String fromEnv = env.getProperty(ACCOUNT_SID);
        Setting owner = token.source().equals(AUTH_TOKEN) && present(fromEnv)
                ? new Setting(fromEnv.strip(), ACCOUNT_SID) : account;
        if (!owner.isSet()) {
            throw new CallFluxConfigurationException("CallFlux has an auth token (" + token.source() + ") but no"
                    + " account SID to go with it.",
                    "Set callflux.account-sid or the environment variable TWILIO_ACCOUNT_SID (the account the token"
                            + " belongs to).", null);
        }
        sources.put("AccountSid", owner.source());
        sources.put("AuthToken", token.source());
        return guard(sources, () -> Credentials.authToken(owner.value(), token.value()));
    }

    /**
     * Runs library calls that check settings; an {@code IllegalArgumentException} or {@code NullPointerException}
     * (whose message starts with the setting's name, {@code "Region must be ..."}, and never holds a secret)
     * becomes a {@link CallFluxConfigurationException} naming where the value came from: the property or environment
     * variable {@code sources} gives for the setting, else {@code others}.
     */
    static <T> T guard(Map<String, String> sources, String others, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            String message = String.valueOf(e.getMessage());
            int space = message.indexOf(' ');
            String setting = space < 0 ? message : message.substring(0, space);
            String source = sources.getOrDefault(setting, others);
            throw new CallFluxConfigurationException("CallFlux cannot use " + source + ": " + message,
                    "Correct " + source + "." + (setting.equals("AuthToken") || setting.equals("ApiKeySecret")
                            ? " (The value is not shown: it is a secret.)" : ""), e);
        }
    }

    /** {@link #guard(Map, String, Supplier)} for the client's own settings. */
    private static <T> T guard(Map<String, String> sources, Supplier<T> check) {
        return guard(sources, "the callflux.* settings", check);
    }

    static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
