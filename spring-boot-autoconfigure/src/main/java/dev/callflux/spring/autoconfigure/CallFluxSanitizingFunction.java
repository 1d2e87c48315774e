package dev.callflux.spring.autoconfigure;

import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks CallFlux's secrets in the actuator's {@code /configprops} and {@code /env} even where an application shows
 * values ({@code management.endpoint.env.show-values=always}): {@code callflux.auth-token},
 * {@code callflux.api-secret}, {@code TWILIO_AUTH_TOKEN}, {@code TWILIO_API_SECRET}, in any of their spellings
 * ({@code authToken}, {@code CALLFLUX_AUTH_TOKEN}, ...).
 */
public final class CallFluxSanitizingFunction implements SanitizingFunction {

    /** Creates the function. */
    public CallFluxSanitizingFunction() {
    }

    @Override
    public SanitizableData apply(SanitizableData data) {
        return isSecret(data.getKey()) ? data.withSanitizedValue() : data;
    }

    /** Whether {@code key} names a CallFlux or Twilio secret. */
    static boolean isSecret(String key) {
        if (key == null) {
            return false;
        }
        String k = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return k.endsWith("authtoken") || k.endsWith("apisecret");
    }
}
