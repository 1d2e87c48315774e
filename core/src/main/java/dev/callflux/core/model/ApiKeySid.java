package dev.callflux.core.model;

/**
 * The SID of an API key, used with its secret as credentials: {@code "SK"} followed by 32 hexadecimal digits. Anything else is refused when
 * the value is made, so no SID can ever change a request path.
 *
 * @param value the SID, exactly as Twilio issued it
 */
public record ApiKeySid(String value) implements Comparable<ApiKeySid> {

    /** The prefix every API key SID starts with. */
    public static final String PREFIX = "SK";

    /**
     * @param value the SID, {@code "SK"} and 32 hexadecimal digits
     * @throws dev.callflux.core.error.InvalidRequestException (field {@code ApiKeySid}) if {@code value} is not a well-formed
     *         API key SID
     */
    public ApiKeySid {
        Sids.require("ApiKeySid", PREFIX, value);
    }

    /**
     * Same as the constructor; reads better at call sites.
     *
     * @param value the SID, {@code "SK"} and 32 hexadecimal digits
     * @return the SID
     * @throws dev.callflux.core.error.InvalidRequestException (field {@code ApiKeySid}) if {@code value} is not
     *         well-formed
     */
    public static ApiKeySid of(String value) {
        return new ApiKeySid(value);
    }

    /**
     * Whether {@code value} is a well-formed API key SID.
     *
     * @param value any string, or {@code null}
     * @return {@code true} if the constructor would accept {@code value}
     */
    public static boolean isValid(String value) {
        return value != null && Sids.matches(PREFIX, value);
    }

    @Override
    public int compareTo(ApiKeySid other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
