package dev.callflux.reactor.bulk;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.TwilioApiException;

/**
 * The rule that stops a batch which cannot succeed (see {@link BulkOptions.Builder#fatalErrorThreshold(int)}):
 * it watches every attempt's answer and says when the batch must stop. Thread-safe; its lock is held only to
 * count.
 */
final class FatalErrors {

    private final int threshold;
    // Guarded by this.
    private int refusedInARow;
    private int unreachableInARow;
    private boolean answered;
    private Throwable tripped;

    FatalErrors(int threshold) {
        this.threshold = threshold;
    }

    /** An attempt got Twilio's answer (a success or an API error other than a credentials refusal). */
    synchronized void answered() {
        answered = true;
        refusedInARow = 0;
        unreachableInARow = 0;
    }

    /**
     * An attempt failed with {@code error}.
     *
     * @return the error that stops the batch when this one trips the rule, otherwise {@code null} (also when
     *         the rule had tripped before)
     */
    synchronized Throwable failed(Throwable error) {
        if (threshold == 0 || tripped != null) {
            return null;
        }
        if (isCredentialsRefusal(error)) {
            answered = true;
            unreachableInARow = 0;
            if (++refusedInARow >= threshold) {
                tripped = error;
            }
        } else if (error instanceof TwilioApiException) {
            answered();
        } else if (!answered && isUnreachable(error)) {
            if (++unreachableInARow >= threshold) {
                tripped = error;
            }
        }
        return tripped;
    }

    /** 401 or 403: the credentials (or the key's rights) are refused, for this command and all that share them. */
    static boolean isCredentialsRefusal(Throwable error) {
        if (!(error instanceof TwilioApiException)) {
            return false;
        }
        int status = ((TwilioApiException) error).statusCode();
        return status == 401 || status == 403;
    }

    /** No connection could be made at all: refused, no route, unknown host, TLS handshake. */
    static boolean isUnreachable(Throwable error) {
        return error instanceof CallFluxTransportException
                && ((CallFluxTransportException) error).kind() == CallFluxTransportException.Kind.CONNECT;
    }

    /** What the stopped commands' results say. */
    static String describe(Throwable fatal) {
        if (isCredentialsRefusal(fatal)) {
            return "Twilio refused the credentials (" + fatal.getMessage() + ")";
        }
        return "the endpoint could not be reached (" + fatal.getMessage() + ")";
    }
}
