package dev.callflux.core.error;

import java.util.Objects;

/**
 * The exchange with Twilio failed below the level of an HTTP error status: no connection, a timeout, a
 * reset, or a response that could not be read. {@link #requestSent()} says whether the request may have
 * reached Twilio, which decides whether resending is safe for an update that is not idempotent.
 */
public final class CallFluxTransportException extends CallFluxException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** No connection could be made (refused, unreachable, DNS, TLS handshake). Nothing was sent. */
        CONNECT,
        /** No pooled connection became free in time. Nothing was sent. */
        POOL_ACQUIRE_TIMEOUT,
        /** No response arrived within the response timeout. */
        RESPONSE_TIMEOUT,
        /** The connection closed or was reset before a complete response arrived. */
        CONNECTION_CLOSED,
        /** A response arrived but could not be read (truncated, not JSON, not a Call). */
        MALFORMED_RESPONSE,
        /** The response body was larger than the client accepts. */
        RESPONSE_TOO_LARGE
    }

    /** What went wrong; never {@code null}. */
    private final Kind kind;
    /** Whether any part of the request may have reached Twilio. */
    private final boolean requestSent;

    /**
     * Creates the exception; the message gets the kind as a prefix and a note on whether the request was sent.
     *
     * @param kind        what went wrong, not {@code null}
     * @param requestSent whether any part of the request may have reached Twilio
     * @param message     what happened; must not contain credentials
     * @param cause       the underlying failure, or {@code null}
     * @throws NullPointerException if {@code kind} is {@code null}
     */
    public CallFluxTransportException(Kind kind, boolean requestSent, String message, Throwable cause) {
        super(Objects.requireNonNull(kind, "kind") + ": " + message
                + (requestSent ? " (the request may have reached Twilio)" : " (the request was not sent)"), cause);
        this.kind = kind;
        this.requestSent = requestSent;
    }

    /**
     * What went wrong.
     *
     * @return the kind, never {@code null}
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether any part of the request may have reached Twilio.
     *
     * @return {@code false} only if nothing was sent, so Twilio certainly did not act on the request
     */
    public boolean requestSent() {
        return requestSent;
    }

    @Override
    public boolean isTransient() {
        return true;
    }

    @Override
    public boolean mayHaveBeenApplied() {
        return requestSent;
    }
}
