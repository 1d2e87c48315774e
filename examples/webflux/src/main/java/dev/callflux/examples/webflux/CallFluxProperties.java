package dev.callflux.examples.webflux;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's CallFlux settings ({@code callflux.*}). Secrets are deliberately not among them: the auth
 * token or API secret is read from the process environment only (see {@link TwilioEnvironment}), so it can
 * never end up in {@code application.properties}, a config server or an actuator listing.
 *
 * @param accountSid      the account whose calls are updated (may be a subaccount); default: the
 *                        environment variable {@code TWILIO_ACCOUNT_SID}
 * @param baseUrl         another API root: a proxy, or a local {@code TwilioSimulator}
 *                        ({@code http://127.0.0.1:PORT}); default {@code https://api.twilio.com}
 * @param region          Twilio region such as {@code ie1} (with or without {@link #edge})
 * @param edge            Twilio edge location such as {@code dublin}
 * @param concurrency     the bulk endpoint's most requests in flight, and the client's connection pool size
 * @param connectTimeout  TCP + TLS connect timeout
 * @param responseTimeout time allowed between the request and each read of Twilio's response
 */
@ConfigurationProperties("callflux")
public record CallFluxProperties(
        String accountSid,
        String baseUrl,
        String region,
        String edge,
        @DefaultValue("100") int concurrency,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("30s") Duration responseTimeout) {
}
