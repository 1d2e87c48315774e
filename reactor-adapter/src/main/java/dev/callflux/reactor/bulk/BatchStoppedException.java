package dev.callflux.reactor.bulk;

import dev.callflux.core.error.CallFluxException;

/**
 * The command was not sent because its batch was stopping ({@code stopOnError} met a final failure, or the
 * {@code stopWhen} signal came) while the command waited for its turn. Nothing was applied.
 */
public final class BatchStoppedException extends CallFluxException {

    private static final long serialVersionUID = 1L;

    BatchStoppedException() {
        super("not sent: the batch was stopping");
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
