package dev.callflux.reactor.bulk;

import dev.callflux.core.error.CallFluxException;

/**
 * The command was not sent because its batch was stopping ({@code stopOnError} met a final failure, the
 * {@code stopWhen} signal came, or a fatal error stopped it) while the command waited for its turn. Nothing
 * was applied, so a rerun may send it. After a fatal error ({@link BulkOptions.Builder#fatalErrorThreshold(int)})
 * {@link #getCause()} is the error that stopped the batch: Twilio refusing the credentials, or the endpoint
 * out of reach.
 */
public final class BatchStoppedException extends CallFluxException {

    private static final long serialVersionUID = 1L;

    BatchStoppedException() {
        super("not sent: the batch was stopping");
    }

    BatchStoppedException(Throwable fatal) {
        super("not sent: the batch stopped: " + FatalErrors.describe(fatal), fatal);
    }

    /**
     * Whether a fatal error stopped the batch (rather than the caller, or {@code stopOnError}).
     *
     * @return {@code true} when {@link #getCause()} is the error that stopped the batch
     */
    public boolean isFatal() {
        return getCause() != null;
    }

    @Override
    public boolean isTransient() {
        return true;
    }

    @Override
    public boolean mayHaveBeenApplied() {
        return false;
    }
}
