package dev.callflux.core.model;

import dev.callflux.core.error.InvalidRequestException;
import java.util.Locale;

/** The {@code Status} an update may set: it ends the call. */
public enum UpdateStatus {
    /** Ends a call that is queued or ringing. Has no effect on a call that is in progress. */
    CANCELED("canceled"),
    /** Ends the call whatever its state: hangs up a call in progress, cancels one that is queued or ringing. */
    COMPLETED("completed");

    private final String value;

    UpdateStatus(String value) {
        this.value = value;
    }

    /**
     * The value as Twilio spells it on the wire.
     *
     * @return {@code "canceled"} or {@code "completed"}
     */
    public String value() {
        return value;
    }

    /**
     * Parses Twilio's spelling, ignoring case.
     *
     * @param value {@code canceled} or {@code completed} in any case, surrounding whitespace ignored
     * @return the status, never {@code null}
     * @throws InvalidRequestException (field {@code Status}) if {@code value} is neither
     *         {@code canceled} nor {@code completed}
     */
    public static UpdateStatus parse(String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (UpdateStatus s : values()) {
                if (s.value.equals(v)) {
                    return s;
                }
            }
        }
        throw new InvalidRequestException("Status", "must be 'canceled' or 'completed'");
    }

    @Override
    public String toString() {
        return value;
    }
}
