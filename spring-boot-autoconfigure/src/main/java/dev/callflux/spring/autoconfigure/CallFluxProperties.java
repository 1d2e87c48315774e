package dev.callflux.spring.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * CallFlux's settings, {@code callflux.*}. Credentials left unset here are read from the environment variables
 * Twilio's own tools use ({@code TWILIO_ACCOUNT_SID}, {@code TWILIO_AUTH_TOKEN}, {@code TWILIO_API_KEY},
 * {@code TWILIO_API_SECRET}, {@code TWILIO_REGION}, {@code TWILIO_EDGE}), through Spring's {@code Environment}.
 *
 * <p>The defaults are the library's own ({@code CallFluxClientBuilder}, {@code BulkOptions}, {@code RetryPolicy}),
 * written out for the configuration metadata. {@link #toString()} never shows the auth token or the API secret; the actuator's {@code /configprops} and
 * {@code /env} mask them even when values are shown.
 */
@ConfigurationProperties("callflux")
public class CallFluxProperties {

    /**
     * The account whose calls are updated (it goes in the request path), 'AC' and 32 hex digits; may be a
     * subaccount of the credentials' account. Default: TWILIO_ACCOUNT_SID.
     */
    private String accountSid;

    /** Auth token of the account (secret). Default: TWILIO_AUTH_TOKEN. Not used when an API key is set. */
    private String authToken;

    /** API key SID, 'SK' and 32 hex digits; wins over an auth token, as in twilio-cli. Default: TWILIO_API_KEY. */
    private String apiKey;

    /** Secret of the API key (secret). Default: TWILIO_API_SECRET. */
    private String apiSecret;

    /**
     * Another API root: a proxy, or a local TwilioSimulator (plain http only on loopback). Default:
     * https://api.twilio.com. Not together with region or edge.
     */
    private String baseUrl;

    /** Twilio region such as 'ie1' (api.{edge}.{region}.twilio.com). Default: TWILIO_REGION. */
    private String region;

    /** Twilio edge location such as 'dublin'. Default: TWILIO_EDGE. */
    private String edge;

    /** TCP and TLS connect timeout. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** Time allowed between the request and each read of Twilio's response. */
    private Duration responseTimeout = Duration.ofSeconds(30);

    /**
     * Size of the client's own connection pool. In a WebFlux application the client shares the server's
     * Reactor Netty connection provider instead (spring.reactor.netty.* settings), and this does not apply.
     */
    private int maxConnections = 100;

    /** Requests that may wait for a pooled connection before further ones fail at once (own pool only). */
    private int maxPendingAcquires = 1000;

    /** Longest wait for a pooled connection (own pool only). */
    private Duration pendingAcquireTimeout = Duration.ofSeconds(45);

    /** Idle time after which the client closes a pooled connection (own pool only). */
    private Duration maxIdleTime = Duration.ofSeconds(20);

    /** Defaults of bulk runs: the BulkOptions bean. */
    private final Bulk bulk = new Bulk();

    /** The callflux health indicator. */
    private final Health health = new Health();

    /** Observations of each request (Micrometer). */
    private final Observations observations = new Observations();

    /** @return the account SID, or {@code null} */
    public String getAccountSid() {
        return accountSid;
    }

    /** @param accountSid the account SID */
    public void setAccountSid(String accountSid) {
        this.accountSid = accountSid;
    }

    /** @return the auth token, or {@code null} */
    public String getAuthToken() {
        return authToken;
    }

    /** @param authToken the auth token */
    public void setAuthToken(String authToken) {
        this.authToken = authToken;
    }

    /** @return the API key SID, or {@code null} */
    public String getApiKey() {
        return apiKey;
    }

    /** @param apiKey the API key SID */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    /** @return the API key's secret, or {@code null} */
    public String getApiSecret() {
        return apiSecret;
    }

    /** @param apiSecret the API key's secret */
    public void setApiSecret(String apiSecret) {
        this.apiSecret = apiSecret;
    }

    /** @return the base URL, or {@code null} */
    public String getBaseUrl() {
        return baseUrl;
    }

    /** @param baseUrl the base URL */
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** @return the region, or {@code null} */
    public String getRegion() {
        return region;
    }

    /** @param region the region */
    public void setRegion(String region) {
        this.region = region;
    }

    /** @return the edge, or {@code null} */
    public String getEdge() {
        return edge;
    }

    /** @param edge the edge */
    public void setEdge(String edge) {
        this.edge = edge;
    }

    /** @return the connect timeout */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** @param connectTimeout the connect timeout */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** @return the response timeout */
    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    /** @param responseTimeout the response timeout */
    public void setResponseTimeout(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    /** @return the size of the client's own connection pool */
    public int getMaxConnections() {
        return maxConnections;
    }

    /** @param maxConnections the size of the client's own connection pool */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** @return the most requests waiting for a pooled connection */
    public int getMaxPendingAcquires() {
        return maxPendingAcquires;
    }

    /** @param maxPendingAcquires the most requests waiting for a pooled connection */
    public void setMaxPendingAcquires(int maxPendingAcquires) {
        this.maxPendingAcquires = maxPendingAcquires;
    }

    /** @return the longest wait for a pooled connection */
    public Duration getPendingAcquireTimeout() {
        return pendingAcquireTimeout;
    }

    /** @param pendingAcquireTimeout the longest wait for a pooled connection */
    public void setPendingAcquireTimeout(Duration pendingAcquireTimeout) {
        this.pendingAcquireTimeout = pendingAcquireTimeout;
    }

    /** @return the idle time after which a pooled connection is closed */
    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }

    /** @param maxIdleTime the idle time after which a pooled connection is closed */
    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = maxIdleTime;
    }

    /** @return the bulk defaults */
    public Bulk getBulk() {
        return bulk;
    }

    /** @return the health indicator's settings */
    public Health getHealth() {
        return health;
    }

    /** @return the observations' settings */
    public Observations getObservations() {
        return observations;
    }

    /** The endpoint and whether credentials are set; never a secret. */
    @Override
    public String toString() {
        return "CallFluxProperties{accountSid=" + accountSid + ", apiKey=" + apiKey
                + ", authToken=" + (authToken == null ? "unset" : "<redacted>")
                + ", apiSecret=" + (apiSecret == null ? "unset" : "<redacted>")
                + ", baseUrl=" + baseUrl + ", region=" + region + ", edge=" + edge + '}';
    }

    /** Defaults of bulk runs ({@code callflux.bulk.*}), made into the {@code BulkOptions} bean. */
    public static class Bulk {

        /** Most requests of a bulk run in flight at once (the ceiling of the adaptive limit). */
        private int maxInFlight = 100;

        /** Whether the concurrency adapts to Twilio's 429s (AIMD, up to max-in-flight); false: always max-in-flight. */
        private boolean adaptive = true;

        /** The adaptive limit's starting point. */
        private int initialLimit = 8;

        /** Most requests started per second; 0 for no rate limit. */
        private double ratePerSecond = 0;

        /** The retry policy of bulk runs. */
        private final Retry retry = new Retry();

        /** @return the most requests in flight */
        public int getMaxInFlight() {
            return maxInFlight;
        }

        /** @param maxInFlight the most requests in flight */
        public void setMaxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        /** @return whether the concurrency adapts */
        public boolean isAdaptive() {
            return adaptive;
        }

        /** @param adaptive whether the concurrency adapts */
        public void setAdaptive(boolean adaptive) {
            this.adaptive = adaptive;
        }

        /** @return the adaptive limit's starting point */
        public int getInitialLimit() {
            return initialLimit;
        }

        /** @param initialLimit the adaptive limit's starting point */
        public void setInitialLimit(int initialLimit) {
            this.initialLimit = initialLimit;
        }

        /** @return the most requests started per second, 0 for none */
        public double getRatePerSecond() {
            return ratePerSecond;
        }

        /** @param ratePerSecond the most requests started per second, 0 for none */
        public void setRatePerSecond(double ratePerSecond) {
            this.ratePerSecond = ratePerSecond;
        }

        /** @return the retry policy's settings */
        public Retry getRetry() {
            return retry;
        }
    }

    /** The retry policy of bulk runs ({@code callflux.bulk.retry.*}). */
    public static class Retry {

        /** Most attempts per command, the first included; 1 for no retries. */
        private int maxAttempts = 8;

        /** Longest time one command may spend retrying. */
        private Duration maxTotalTime = Duration.ofMinutes(5);

        /** Ceiling of the first retry's random wait (exponential backoff with full jitter). */
        private Duration backoffBase = Duration.ofMillis(100);

        /** Largest ceiling of a retry's random wait. */
        private Duration backoffCap = Duration.ofSeconds(10);

        /**
         * Whether a request whose outcome is unknown (a 5xx or a timeout after it was sent) is resent even when
         * it is not idempotent (a redirect could then run twice).
         */
        private boolean resendWhenOutcomeUnknown = false;

        /** @return the most attempts per command */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts the most attempts per command */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return the longest time one command may spend retrying */
        public Duration getMaxTotalTime() {
            return maxTotalTime;
        }

        /** @param maxTotalTime the longest time one command may spend retrying */
        public void setMaxTotalTime(Duration maxTotalTime) {
            this.maxTotalTime = maxTotalTime;
        }

        /** @return the first retry's ceiling */
        public Duration getBackoffBase() {
            return backoffBase;
        }

        /** @param backoffBase the first retry's ceiling */
        public void setBackoffBase(Duration backoffBase) {
            this.backoffBase = backoffBase;
        }

        /** @return the largest ceiling */
        public Duration getBackoffCap() {
            return backoffCap;
        }

        /** @param backoffCap the largest ceiling */
        public void setBackoffCap(Duration backoffCap) {
            this.backoffCap = backoffCap;
        }

        /** @return whether a request of unknown outcome is resent even when not idempotent */
        public boolean isResendWhenOutcomeUnknown() {
            return resendWhenOutcomeUnknown;
        }

        /** @param resendWhenOutcomeUnknown whether a request of unknown outcome is resent even when not idempotent */
        public void setResendWhenOutcomeUnknown(boolean resendWhenOutcomeUnknown) {
            this.resendWhenOutcomeUnknown = resendWhenOutcomeUnknown;
        }
    }

    /** The health indicator ({@code callflux.health.*}; {@code management.health.callflux.enabled} turns it off). */
    public static class Health {

        /** How long what the client saw counts: with no request answered or failed within it, the health is UNKNOWN. */
        private Duration window = Duration.ofMinutes(5);

        /** @return how long an observation counts */
        public Duration getWindow() {
            return window;
        }

        /** @param window how long an observation counts */
        public void setWindow(Duration window) {
            this.window = window;
        }
    }

    /** Observations ({@code callflux.observations.*}). */
    public static class Observations {

        /** Whether each request is a Micrometer Observation named 'callflux.update' (when an ObservationRegistry exists). */
        private boolean enabled = true;

        /** @return whether requests are observed */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether requests are observed */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
