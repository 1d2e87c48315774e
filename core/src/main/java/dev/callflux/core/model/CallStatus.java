package dev.callflux.core.model;

/**
 * The status of a call as Twilio reports it. A value this version does not know parses as
 * {@link #UNKNOWN} (its raw text stays available from {@link Call#statusValue()}), so a new Twilio status
 * never breaks parsing and a status is never {@code null}.
 */
public enum CallStatus {
    QUEUED("queued"),
    RINGING("ringing"),
    IN_PROGRESS("in-progress"),
    COMPLETED("completed"),
    BUSY("busy"),
    FAILED("failed"),
    NO_ANSWER("no-answer"),
    CANCELED("canceled"),
    /** A value missing from the response, {@code null}, or not known to this version of CallFlux. */
    UNKNOWN("unknown");

    private final String value;

    CallStatus(String value) {
        this.value = value;
    }

    /** The value as Twilio spells it ({@code "in-progress"}, ...). */
    public String value() {
        return value;
    }

    /** Whether the call is over: no further update can redirect it. */
    public boolean isEnded() {
        return this == COMPLETED || this == BUSY || this == FAILED || this == NO_ANSWER || this == CANCELED;
    }

    /** Maps Twilio's spelling to a constant; anything else, {@code null} included, is {@link #UNKNOWN}. */
    public static CallStatus fromValue(String value) {
        if (value != null) {
            switch (value) {
                case "queued": return QUEUED;
                case "ringing": return RINGING;
                case "in-progress": return IN_PROGRESS;
                case "completed": return COMPLETED;
                case "busy": return BUSY;
                case "failed": return FAILED;
                case "no-answer": return NO_ANSWER;
                case "canceled": return CANCELED;
                default: break;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return value;
    }
}
