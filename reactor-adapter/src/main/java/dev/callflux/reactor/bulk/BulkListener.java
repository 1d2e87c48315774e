package dev.callflux.reactor.bulk;

import java.time.Duration;

/**
 * Watches a bulk run as it goes. Called from the threads that do the work, so implementations must be
 * thread-safe, quick and non-blocking; an exception thrown here is dropped (and reported through
 * Reactor's {@code onErrorDropped} hook) so that it never costs a command its result.
 *
 * <p>{@link BulkProgress} counts these events into snapshots; {@link BulkMeters} turns them into
 * Micrometer meters.
 */
public interface BulkListener {

    /**
     * The batch was subscribed.
     *
     * @param maxInFlight the run's ceiling on requests in flight: the options' {@code maxInFlight}, capped at the
     *                    client's connection pool size
     */
    default void onBatchStarted(int maxInFlight) {
    }

    /** A command was taken from the source. */
    default void onCommandStarted() {
    }

    /**
     * A request is about to be sent ({@code attempt} counts from 1 per command).
     *
     * @param attempt the attempt's number within its command, 429 answers included
     */
    default void onAttemptStarted(int attempt) {
    }

    /**
     * A request finished, successfully or not.
     *
     * @param success {@code true} when Twilio answered 2xx with the call; {@code false} for an error answer, a
     *                transport failure or a cancellation
     */
    default void onAttemptFinished(boolean success) {
    }

    /**
     * A failed attempt will be resent after {@code delay}.
     *
     * @param error   why the attempt failed, usually a {@link dev.callflux.core.error.CallFluxException}
     * @param attempt the number of the attempt that failed, from 1
     * @param delay   the wait before the resend: the server's {@code Retry-After} or the policy's backoff; may be
     *                zero
     */
    default void onRetry(Throwable error, int attempt, Duration delay) {
    }

    /**
     * The concurrency limit changed (adaptive concurrency).
     *
     * @param limit the new limit, between 1 and the run's {@code maxInFlight}; also called once with the
     *              starting limit right after {@link #onBatchStarted(int)}
     */
    default void onLimitChanged(int limit) {
    }

    /**
     * A command has its result.
     *
     * @param result the result; this is called as it is handed to the subscriber, so counts match what the
     *               subscriber received
     */
    default void onResult(BulkResult<?> result) {
    }

    /**
     * The batch ended (completed, failed with the source's error, or cancelled) and every command it had
     * started has unwound: nothing of it is in flight any more.
     */
    default void onBatchFinished() {
    }
}
