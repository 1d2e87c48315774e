package dev.callflux.core.model;

/**
 * The status of a call as Twilio reports it. A value this version does not know parses as
 * {@link #UNKNOWN} (its raw text stays available from {@link Call#statusValue()}), so a new Twilio status
 * never breaks parsing and a status is never {@code null}.
 */
public enum CallStatus {
    /** Accepted by Twilio and waiting in line before it is dialed. */
    QUEUED("queued"),
    /** Ringing at the called party. */
    RINGING("ringing"),
    /** Answered and connected. */
    IN_PROGRESS("in-progress"),
    /** Answered and ended normally. */
    COMPLETED("completed"),
    /** Ended without an answer: the called party's line was busy. */
    BUSY("busy"),
    /** Could not be completed as dialed, most likely because the number does not exist. */
    FAILED("failed"),
    /** Ended without an answer: nobody picked up. */
    NO_ANSWER("no-answer"),
    /** Canceled through the REST API ({@code Status=canceled}) while queued or ringing. */
    CANCELED("canceled"),
    /** A value missing from the response, {@code null}, or not known to this version of CallFlux. */
    UNKNOWN("unknown");

    private final String value;

    CallStatus(String value) {
        this.value = value;
    }

    /**
     * The value as Twilio spells it ({@code "in-progress"}, ...).
     *
     * @return the wire value; {@code "unknown"} for {@link #UNKNOWN}, which Twilio does not send
     */
    public String value() {
        return value;
    }

    /**
     * Whether the call is over: no further update can redirect it.
     *
     * @return {@code true} for {@link #COMPLETED}, {@link #BUSY}, {@link #FAILED}, {@link #NO_ANSWER} and
     *         {@link #CANCELED}; {@code false} for {@link #UNKNOWN}
     */
    public boolean isEnded() {
        return this == COMPLETED || this == BUSY || this == FAILED || this == NO_ANSWER || this == CANCELED;
    }

    /**
     * Maps Twilio's spelling to a constant; anything else, {@code null} included, is {@link #UNKNOWN}.
     *
     * @param value Twilio's spelling, matched exactly (case-sensitive), or {@code null}
     * @return the constant, never {@code null}
     */
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
