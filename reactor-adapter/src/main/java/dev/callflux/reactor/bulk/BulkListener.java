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

    /** The batch was subscribed. */
    default void onBatchStarted(int maxInFlight) {
    }

    /** A command was taken from the source. */
    default void onCommandStarted() {
    }

    /** A request is about to be sent ({@code attempt} counts from 1 per command). */
    default void onAttemptStarted(int attempt) {
    }

    /** A request finished, successfully or not. */
    default void onAttemptFinished(boolean success) {
    }

    /** A failed attempt will be resent after {@code delay}. */
    default void onRetry(Throwable error, int attempt, Duration delay) {
    }

    /** The concurrency limit changed (adaptive concurrency). */
    default void onLimitChanged(int limit) {
    }

    /** A command has its result. */
    default void onResult(BulkResult<?> result) {
    }

    /**
     * The batch ended (completed, failed with the source's error, or cancelled) and every command it had
     * started has unwound: nothing of it is in flight any more.
     */
    default void onBatchFinished() {
    }
}
