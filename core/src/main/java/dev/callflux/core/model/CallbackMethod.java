package dev.callflux.core.model;

import dev.callflux.core.error.InvalidRequestException;
import java.util.Locale;

/**
 * The HTTP method Twilio uses to request a TwiML or callback URL ({@code Method}, {@code FallbackMethod},
 * {@code StatusCallbackMethod}). The values are those of the UpdateCall request schema; Twilio's
 * documentation recommends {@link #GET} or {@link #POST} (its default).
 */
public enum CallbackMethod {
    HEAD, GET, POST, PATCH, PUT, DELETE;

    /**
     * Parses a method name, ignoring case.
     *
     * @param field the parameter being parsed, named in the error
     * @throws InvalidRequestException if {@code value} is not one of the enum's values
     */
    public static CallbackMethod parse(String field, String value) {
        if (value != null) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // fall through to the error that names the field and the allowed values
            }
        }
        throw new InvalidRequestException(field, "must be one of HEAD, GET, POST, PATCH, PUT, DELETE");
    }
}
