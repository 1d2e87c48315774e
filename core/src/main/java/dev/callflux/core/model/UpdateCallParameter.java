package dev.callflux.core.model;

/**
 * The nine form parameters of UpdateCall, in the order CallFlux writes them, with Twilio's exact names.
 */
public enum UpdateCallParameter {
    URL("Url"),
    METHOD("Method"),
    STATUS("Status"),
    FALLBACK_URL("FallbackUrl"),
    FALLBACK_METHOD("FallbackMethod"),
    STATUS_CALLBACK("StatusCallback"),
    STATUS_CALLBACK_METHOD("StatusCallbackMethod"),
    TWIML("Twiml"),
    TIME_LIMIT("TimeLimit");

    private final String wireName;

    UpdateCallParameter(String wireName) {
        this.wireName = wireName;
    }

    /** Twilio's name for the parameter, as sent in the form body ({@code "StatusCallbackMethod"}). */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
