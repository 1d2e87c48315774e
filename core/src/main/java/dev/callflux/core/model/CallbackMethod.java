package dev.callflux.core.model;

import dev.callflux.core.error.InvalidRequestException;
import java.util.Locale;

/**
 * The HTTP method Twilio uses to request a TwiML or callback URL ({@code Method}, {@code FallbackMethod},
 * {@code StatusCallbackMethod}). The values are those of the UpdateCall request schema; Twilio's
 * documentation recommends {@link #GET} or {@link #POST} (its default).
 */
public enum CallbackMethod {
    /** HTTP {@code HEAD}; accepted by the schema, not recommended by Twilio's documentation. */
    HEAD,
    /** HTTP {@code GET}: Twilio sends its parameters in the query string. */
    GET,
    /** HTTP {@code POST}: Twilio sends its parameters as a form body. Twilio's default. */
    POST,
    /** HTTP {@code PATCH}; accepted by the schema, not recommended by Twilio's documentation. */
    PATCH,
    /** HTTP {@code PUT}; accepted by the schema, not recommended by Twilio's documentation. */
    PUT,
    /** HTTP {@code DELETE}; accepted by the schema, not recommended by Twilio's documentation. */
    DELETE;

    /**
     * Parses a method name, ignoring case.
     *
     * @param field the parameter being parsed, named in the error
     * @param value the method name in any case, surrounding whitespace ignored
     * @return the method, never {@code null}
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
