package dev.callflux.core.model;

/**
 * The SID of a call to update: {@code "CA"} followed by 32 hexadecimal digits. Anything else is refused when
 * the value is made, so no SID can ever change a request path.
 *
 * @param value the SID, exactly as Twilio issued it
 */
public record CallSid(String value) implements Comparable<CallSid> {

    /** The prefix every call SID starts with. */
    public static final String PREFIX = "CA";

    /**
     * @param value the SID, {@code "CA"} and 32 hexadecimal digits
     * @throws dev.callflux.core.error.InvalidRequestException (field {@code CallSid}) if {@code value} is not a well-formed
     *         call SID
     */
    public CallSid {
        Sids.require("CallSid", PREFIX, value);
    }

    /**
     * Same as the constructor; reads better at call sites.
     *
     * @param value the SID, {@code "CA"} and 32 hexadecimal digits
     * @return the SID
     * @throws dev.callflux.core.error.InvalidRequestException (field {@code CallSid}) if {@code value} is not
     *         well-formed
     */
    public static CallSid of(String value) {
        return new CallSid(value);
    }

    /**
     * Whether {@code value} is a well-formed call SID.
     *
     * @param value any string, or {@code null}
     * @return {@code true} if the constructor would accept {@code value}
     */
    public static boolean isValid(String value) {
        return value != null && Sids.matches(PREFIX, value);
    }

    @Override
    public int compareTo(CallSid other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
