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
            throw new InvalidRequestException(field, "must be '" + prefix + "' followed by 32 hexadecimal digits ("
                    + problem(prefix, value) + ")");
        }
        return value;
    }

    /**
     * What is wrong with a value that does not match, described by length, prefix or position only: a
     * "got 34 characters" for a value of the right length would send the reader looking in the wrong place.
     */
    private static String problem(String prefix, String value) {
        if (value.length() != LENGTH) {
            return "got " + value.length() + " characters";
        }
        if (!value.startsWith(prefix)) {
            return "it does not start with '" + prefix + "'";
        }
        int i = prefix.length();
        while (i < LENGTH && isHex(value.charAt(i))) {
            i++;
        }
        return "the character at index " + i + " is not a hexadecimal digit";
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean matches(String prefix, String value) {
        if (value.length() != LENGTH || !value.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < LENGTH; i++) {
            if (!isHex(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
