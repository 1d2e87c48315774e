package dev.callflux.core.error;

import java.util.Objects;

/**
 * A request broke a rule of the UpdateCall operation: Twilio would refuse it. Raised before any byte is sent, so
 * it is never transient and never applied.
 *
 * <p>{@link #field()} is Twilio's parameter name ({@code Url}, {@code TimeLimit}, ...) or the name of a value of
 * the request ({@code CallSid}, the {@code AccountSid} of the request path); {@link #rule()} says what the value
 * must be. The message is {@code "<field>: <rule>"}; it never echoes secrets.
 *
 * <p>Configuration is not a request: endpoints, credentials, a client builder's settings and a SID used as a
 * setting (the client's default account, an API key SID) throw {@link IllegalArgumentException} for a bad value
 * and {@link NullPointerException} for a missing one, with the message {@code "<Setting> <rule>"}
 * ({@code "Region must be one of ..."}).
 */
public final class InvalidRequestException extends CallFluxException {

    private static final long serialVersionUID = 1L;

    /** The parameter or value that broke the rule. */
    private final String field;
    /** What the value must be. */
    private final String rule;

    /**
     * Creates the exception with the message {@code "<field>: <rule>"}.
     *
     * @param field Twilio's parameter name or the value's name, e.g. {@code "TimeLimit"}
     * @param rule  what the value must be, e.g. {@code "must be positive"}; must not echo a secret
     * @throws NullPointerException if {@code field} or {@code rule} is {@code null}
     */
    public InvalidRequestException(String field, String rule) {
        super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(rule, "rule"));
        this.field = field;
        this.rule = rule;
    }

    /**
     * The parameter or value that broke the rule, e.g. {@code "Twiml"}.
     *
     * @return the name, never {@code null}
     */
    public String field() {
        return field;
    }

    /**
     * The rule, e.g. {@code "must be at most 4000 characters (got 4012)"}.
     *
     * @return the rule, never {@code null}
     */
    public String rule() {
        return rule;
    }

    @Override
    public boolean isTransient() {
        return false;
    }

    @Override
    public boolean mayHaveBeenApplied() {
        return false;
    }
}
