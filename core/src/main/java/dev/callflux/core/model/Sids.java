package dev.callflux.core.model;

import dev.callflux.core.error.InvalidRequestException;

/** The one rule every Twilio SID follows: a two-letter prefix and 32 hexadecimal digits. */
final class Sids {

    static final int LENGTH = 34;

    private Sids() {
    }

    /**
     * Returns {@code value} if it is {@code prefix} followed by 32 hex digits; otherwise throws naming
     * {@code field}. The value itself is not echoed: a mixed-up argument may be a secret.
     */
    static String require(String field, String prefix, String value) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        if (!matches(prefix, value)) {
            throw new InvalidRequestException(field, "must be '" + prefix
                    + "' followed by 32 hexadecimal digits (got " + value.length() + " characters)");
        }
        return value;
    }

    static boolean matches(String prefix, String value) {
        if (value.length() != LENGTH || !value.startsWith(prefix)) {
            return false;
        }
        for (int i = 2; i < LENGTH; i++) {
            char c = value.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }
}
