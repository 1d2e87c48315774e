package dev.callflux.core.model;

/**
 * The nine form parameters of UpdateCall, in the order CallFlux writes them, with Twilio's exact names.
 */
public enum UpdateCallParameter {
    /** {@code Url}: the URL of the TwiML the call is redirected to; excludes {@code Twiml}. */
    URL("Url"),
    /** {@code Method}: the HTTP method for {@code Url}. */
    METHOD("Method"),
    /** {@code Status}: {@code canceled} or {@code completed}, to end the call. */
    STATUS("Status"),
    /** {@code FallbackUrl}: requested if requesting or running {@code Url} fails. */
    FALLBACK_URL("FallbackUrl"),
    /** {@code FallbackMethod}: the HTTP method for {@code FallbackUrl}. */
    FALLBACK_METHOD("FallbackMethod"),
    /** {@code StatusCallback}: the URL Twilio sends the call's status changes to. */
    STATUS_CALLBACK("StatusCallback"),
    /** {@code StatusCallbackMethod}: the HTTP method for {@code StatusCallback}. */
    STATUS_CALLBACK_METHOD("StatusCallbackMethod"),
    /** {@code Twiml}: inline TwiML replacing the call's instructions, at most 4,000 characters; excludes {@code Url}. */
    TWIML("Twiml"),
    /** {@code TimeLimit}: the call's maximum duration in seconds. */
    TIME_LIMIT("TimeLimit");

    private final String wireName;

    UpdateCallParameter(String wireName) {
        this.wireName = wireName;
    }

    /**
     * Twilio's name for the parameter, as sent in the form body ({@code "StatusCallbackMethod"}).
     *
     * @return the form field name, case-sensitive
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Checks a value of this parameter against Twilio's rules and returns it as sent: methods in upper case,
     * a status in lower case, everything else unchanged.
     */
    String check(String value) {
        switch (this) {
            case URL:
            case FALLBACK_URL:
            case STATUS_CALLBACK:
                return Rules.url(wireName, value);
            case METHOD:
            case FALLBACK_METHOD:
            case STATUS_CALLBACK_METHOD:
                return CallbackMethod.parse(wireName, value).name();
            case STATUS:
                return UpdateStatus.parse(value).value();
            case TWIML:
                return Rules.twiml(value);
            default: // the builder stores only an Integer's digits here
                return Integer.toString(Rules.timeLimit(Integer.parseInt(value)));
        }
    }

    @Override
    public String toString() {
        return wireName;
    }
}
