package dev.callflux.reactor.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before a retry. {@code retry} counts from 1 (the wait before the second attempt).
 * Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface Backoff {

    /** The wait before retry number {@code retry} (1-based). Never negative. */
    Duration delay(int retry);

    /** No wait at all. */
    static Backoff none() {
        return retry -> Duration.ZERO;
    }

    /** The same wait every time. */
    static Backoff fixed(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return retry -> delay;
    }

    /**
     * Exponential backoff with full jitter: a uniformly random wait between zero and
     * {@code min(cap, base × 2^(retry-1))}. Spreads the retries of many commands that failed together,
     * which is what a burst of 429s needs.
     */
    static Backoff fullJitter(Duration base, Duration cap) {
        return fullJitter(base, cap, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@link #fullJitter(Duration, Duration)} with a given source of uniform numbers in [0, 1), for tests. */
    static Backoff fullJitter(Duration base, Duration cap, DoubleSupplier random) {
        Objects.requireNonNull(random, "random");
        long baseNanos = base.toNanos();
        long capNanos = cap.toNanos();
        if (baseNanos <= 0 || capNanos < baseNanos) {
            throw new IllegalArgumentException("need 0 < base <= cap, got base " + base + " and cap " + cap);
        }
        return retry -> {
            double exponential = baseNanos * Math.pow(2, Math.max(0, retry - 1));
            long ceiling = exponential >= capNanos ? capNanos : (long) exponential;
            return Duration.ofNanos((long) (random.getAsDouble() * ceiling));
        };
    }
}
