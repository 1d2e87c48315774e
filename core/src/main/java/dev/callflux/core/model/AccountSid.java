package dev.callflux.core.model;

/**
 * The SID of the account that owns the calls; it goes in the request path: {@code "AC"} followed by 32 hexadecimal digits. Anything else is refused when
 * the value is made, so no SID can ever change a request path.
 *
 * @param value the SID, exactly as Twilio issued it
 */
public record AccountSid(String value) implements Comparable<AccountSid> {

    /** The prefix every account SID starts with. */
    public static final String PREFIX = "AC";

    /**
     * @param value the SID, {@code "AC"} and 32 hexadecimal digits
     * @throws dev.callflux.core.error.InvalidRequestException (field {@code AccountSid}) if {@code value} is not a well-formed
     *         account SID
     */
    public AccountSid {
        Sids.require("AccountSid", PREFIX, value);
    }

    /**
     * Same as the constructor; reads better at call sites.
     *
     * @param value the SID, {@code "AC"} and 32 hexadecimal digits
     * @return the SID
     * @throws dev.callflux.core.error.InvalidRequestException (field {@code AccountSid}) if {@code value} is not
     *         well-formed
     */
    public static AccountSid of(String value) {
        return new AccountSid(value);
    }

    /**
     * Whether {@code value} is a well-formed account SID.
     *
     * @param value any string, or {@code null}
     * @return {@code true} if the constructor would accept {@code value}
     */
    public static boolean isValid(String value) {
        return value != null && Sids.matches(PREFIX, value);
    }

    @Override
    public int compareTo(AccountSid other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
