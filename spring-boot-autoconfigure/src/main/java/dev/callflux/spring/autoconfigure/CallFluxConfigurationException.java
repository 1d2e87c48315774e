package dev.callflux.spring.autoconfigure;

/**
 * CallFlux's settings cannot make a client: credentials missing or malformed, a malformed account SID, region,
 * edge or base URL. {@link CallFluxFailureAnalyzer} turns it into Spring Boot's "APPLICATION FAILED TO START"
 * report. The message names the properties and environment variables, never a secret's value.
 */
public class CallFluxConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** What to do about it. */
    private final String action;

    /**
     * Creates the exception.
     *
     * @param description what is wrong (no secret in it)
     * @param action      what to set, and where
     * @param cause       the library's own error (an {@code IllegalArgumentException} naming the setting), or
     *                    {@code null}
     */
    public CallFluxConfigurationException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    /**
     * What to do about it: the properties or environment variables to set.
     *
     * @return the action, never {@code null}
     */
    public String getAction() {
        return action;
    }
}
