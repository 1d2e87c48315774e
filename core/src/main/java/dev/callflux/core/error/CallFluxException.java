package dev.callflux.core.error;

/**
 * Root of every exception CallFlux throws or delivers through a {@code Mono}/{@code Flux}.
 *
 * <p>Two questions matter for every failed update of a live phone call, and each subtype answers them:
 * <ul>
 *   <li>{@link #isTransient()}: could the same request succeed if sent again later?</li>
 *   <li>{@link #mayHaveBeenApplied()}: could Twilio have acted on the request although it failed here?
 *       When {@code false}, Twilio certainly did not change the call.</li>
 * </ul>
 *
 * <p>Messages never contain credentials.
 */
public abstract class CallFluxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception without a cause.
     *
     * @param message the detail message; must not contain credentials
     */
    protected CallFluxException(String message) {
        super(message);
    }

    /**
     * Creates an exception with the failure that caused it.
     *
     * @param message the detail message; must not contain credentials
     * @param cause   the underlying failure, or {@code null}
     */
    protected CallFluxException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether sending the same request again later may succeed.
     *
     * @return {@code true} if a later attempt with the same request may succeed
     */
    public abstract boolean isTransient();

    /**
     * Whether Twilio may have applied the update even though this failure was reported. {@code false}
     * means the call is certainly unchanged by this request.
     *
     * @return {@code true} unless Twilio certainly did not act on the request
     */
    public abstract boolean mayHaveBeenApplied();
}
