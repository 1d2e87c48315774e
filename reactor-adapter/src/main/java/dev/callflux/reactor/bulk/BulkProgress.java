package dev.callflux.reactor.bulk;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Counts a bulk run's events into {@link Snapshot}s, for a progress bar or a log line. Add it to the
 * options, then read {@link #snapshot()} or subscribe to {@link #snapshots(Duration)}:
 *
 * <pre>{@code
 * BulkProgress progress = new BulkProgress();
 * progress.snapshots(Duration.ofSeconds(1)).subscribe(s -> System.err.println(s));
 * client.hangupAll(sids, BulkOptions.builder().listener(progress).build()).subscribe(...);
 * }</pre>
 *
 * Thread-safe. One instance watches one batch at a time.
 */
public final class BulkProgress implements BulkListener {

    /**
     * The state of a batch at one moment.
     *
     * @param started   commands taken from the source
     * @param succeeded results delivered with outcome {@code SUCCEEDED}
     * @param alreadyEnded results delivered with outcome {@code ALREADY_ENDED}: hang-ups of calls that had ended
     * @param failed    results delivered with outcome {@code FAILED}: certainly not applied
     * @param unknown   results delivered with outcome {@code UNKNOWN}: may have been applied
     * @param retries   resends scheduled so far, all commands together
     * @param inFlight  requests sent and not yet answered
     * @param limit     the run's concurrency limit now (its {@code maxInFlight} when not adaptive)
     * @param elapsed   time since the batch started, frozen when it finished; zero before it starts
     * @param finished  whether the batch has ended and nothing of it is in flight any more
     */
    public record Snapshot(long started, long succeeded, long alreadyEnded, long failed, long unknown, long retries,
                           int inFlight, int limit, Duration elapsed, boolean finished) {

        /**
         * Commands with a result.
         *
         * @return {@code succeeded + alreadyEnded + failed + unknown}
         */
        public long done() {
            return succeeded + alreadyEnded + failed + unknown;
        }

        /**
         * Results per second so far.
         *
         * @return {@link #done()} divided by {@code elapsed} in seconds; 0 before any time has elapsed
         */
        public double ratePerSecond() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds <= 0 ? 0 : done() / seconds;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%,d done (%,d ok, %,d already ended, %,d failed, %,d unknown), %,d retries, %d in flight, limit %d, %.0f/s",
                    done(), succeeded, alreadyEnded, failed, unknown, retries, inFlight, limit, ratePerSecond());
        }
    }

    private final LongAdder started = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder alreadyEnded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger limit = new AtomicInteger();
    private final AtomicLong startNanos = new AtomicLong();
    private final AtomicLong endNanos = new AtomicLong();
    private final Sinks.Empty<Void> finished = Sinks.empty();

    /** A progress with nothing counted yet, for one batch at a time. */
    public BulkProgress() {
    }

    @Override
    public void onBatchStarted(int maxInFlight) {
        startNanos.set(now());
        limit.compareAndSet(0, maxInFlight);
    }

    @Override
    public void onCommandStarted() {
        started.increment();
    }

    @Override
    public void onAttemptStarted(int attempt) {
        inFlight.incrementAndGet();
    }

    @Override
    public void onAttemptFinished(boolean success) {
        inFlight.decrementAndGet();
    }

    @Override
    public void onRetry(Throwable error, int attempt, Duration delay) {
        retries.increment();
    }

    @Override
    public void onLimitChanged(int newLimit) {
        limit.set(newLimit);
    }

    @Override
    public void onResult(BulkResult<?> result) {
        switch (result.outcome()) {
            case SUCCEEDED: succeeded.increment(); break;
            case ALREADY_ENDED: alreadyEnded.increment(); break;
            case FAILED: failed.increment(); break;
            default: unknown.increment(); break;
        }
    }

    @Override
    public void onBatchFinished() {
        endNanos.set(now());
        finished.tryEmitEmpty();
    }

    /**
     * The counts now.
     *
     * @return a new snapshot; all zero before the batch starts
     */
    public Snapshot snapshot() {
        long start = startNanos.get();
        long end = endNanos.get();
        long elapsed = start == 0 ? 0 : (end != 0 ? end : now()) - start;
        return new Snapshot(started.sum(), succeeded.sum(), alreadyEnded.sum(), failed.sum(), unknown.sum(), retries.sum(),
                inFlight.get(), limit.get(), Duration.ofNanos(Math.max(0, elapsed)), end != 0);
    }

    /**
     * Completes when the batch has finished and nothing of it is in flight any more.
     *
     * @return a {@code Mono} that completes empty, at once if the batch has already finished
     */
    public reactor.core.publisher.Mono<Void> finished() {
        return finished.asMono();
    }

    /**
     * A snapshot every {@code interval}, and a last one when the batch finishes; then completes.
     *
     * @param interval time between snapshots, positive; the first comes one interval after subscription
     * @return a cold {@code Flux} ticking on Reactor's parallel scheduler; its last snapshot has
     *         {@code finished} set
     */
    public Flux<Snapshot> snapshots(Duration interval) {
        return Flux.interval(interval)
                .map(tick -> snapshot())
                .takeUntilOther(finished.asMono())
                .concatWith(reactor.core.publisher.Mono.fromSupplier(this::snapshot));
    }

    private static long now() {
        return Math.max(1, Schedulers.parallel().now(TimeUnit.NANOSECONDS));
    }
}
