package dev.callflux.core.error;

import java.util.Objects;

/**
 * An argument broke a rule of the UpdateCall operation. Raised before any byte is sent, so it is never
 * transient and never applied.
 *
 * <p>{@link #field()} is Twilio's parameter name ({@code Url}, {@code TimeLimit}, ...) or the name of the
 * value ({@code CallSid}, {@code AccountSid}, {@code AuthToken}); {@link #rule()} says what the value must
 * be. The message is {@code "<field>: <rule>"}; it never echoes secrets.
 */
public final class InvalidRequestException extends CallFluxException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String rule;

    public InvalidRequestException(String field, String rule) {
        super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(rule, "rule"));
        this.field = field;
        this.rule = rule;
    }

    /** The parameter or value that broke the rule, e.g. {@code "Twiml"}. */
    public String field() {
        return field;
    }

    /** The rule, e.g. {@code "must be at most 4000 characters (got 4012)"}. */
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
