package dev.callflux.reactor.bulk;

import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Spaces request starts evenly at a given rate: the n-th start waits for its slot, one interval after the
 * previous one. Reads the clock of {@link Schedulers#parallel()}, so virtual time in tests drives it.
 */
final class RateLimit {

    private final long intervalNanos;
    private long nextSlotNanos = Long.MIN_VALUE;

    private RateLimit(double perSecond) {
        this.intervalNanos = (long) (1e9 / perSecond);
    }

    /** A limiter for {@code perSecond}, or {@code null} for none (0). */
    static RateLimit of(double perSecond) {
        return perSecond > 0 ? new RateLimit(perSecond) : null;
    }

    /** Takes the next slot: how long the caller must wait for it, in nanoseconds (0 or less: none). */
    long reserveNanos() {
        Scheduler clock = Schedulers.parallel();
        long now = clock.now(TimeUnit.NANOSECONDS);
        long slot;
        synchronized (this) {
            slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + intervalNanos;
        }
        return slot - now;
    }
}
