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

    /**
     * The wait before retry number {@code retry} (1-based). Never negative.
     *
     * @param retry 1 for the wait after the first attempt, 2 after the second, and so on
     * @return the wait, zero or positive, never {@code null}
     */
    Duration delay(int retry);

    /**
     * No wait at all.
     *
     * @return a backoff whose every delay is {@link Duration#ZERO}
     */
    static Backoff none() {
        return retry -> Duration.ZERO;
    }

    /**
     * The same wait every time.
     *
     * @param delay the wait, zero or positive
     * @return a backoff that always answers {@code delay}
     * @throws NullPointerException if {@code delay} is {@code null} ({@code "Delay is required"})
     * @throws IllegalArgumentException if it is negative ({@code "Delay must not be negative (got PT-1S)"})
     */
    static Backoff fixed(Duration delay) {
        Objects.requireNonNull(delay, "Delay is required");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("Delay must not be negative (got " + delay + ")");
        }
        return retry -> delay;
    }

    /**
     * Exponential backoff with full jitter: a uniformly random wait between zero and
     * {@code min(cap, base × 2^(retry-1))}. Spreads the retries of many commands that failed together,
     * which is what a burst of 429s needs.
     *
     * @param base the ceiling for the first retry, positive ({@code 100ms} in {@link RetryPolicy#DEFAULT_BACKOFF})
     * @param cap  the largest ceiling, at least {@code base} ({@code 10s} in the default)
     * @return a backoff drawing from {@link ThreadLocalRandom}
     * @throws NullPointerException if {@code base} or {@code cap} is {@code null}
     * @throws IllegalArgumentException unless {@code 0 < base <= cap}
     *         ({@code "Base must be positive (got PT0S)"}, {@code "Cap must be at least Base (got cap PT1S, base PT2S)"})
     */
    static Backoff fullJitter(Duration base, Duration cap) {
        return fullJitter(base, cap, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * {@link #fullJitter(Duration, Duration)} with a given source of uniform numbers in [0, 1), for tests.
     *
     * @param base   the ceiling for the first retry, positive
     * @param cap    the largest ceiling, at least {@code base}
     * @param random called once per delay; must return values in [0, 1) and be thread-safe
     * @return a backoff drawing from {@code random}
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException unless {@code 0 < base <= cap}
     */
    static Backoff fullJitter(Duration base, Duration cap, DoubleSupplier random) {
        Objects.requireNonNull(base, "Base is required");
        Objects.requireNonNull(cap, "Cap is required");
        Objects.requireNonNull(random, "Random is required");
        long baseNanos = base.toNanos();
        long capNanos = cap.toNanos();
        if (baseNanos <= 0) {
            throw new IllegalArgumentException("Base must be positive (got " + base + ")");
        }
        if (capNanos < baseNanos) {
            throw new IllegalArgumentException("Cap must be at least Base (got cap " + cap + ", base " + base + ")");
        }
        return retry -> {
            double exponential = baseNanos * Math.pow(2, Math.max(0, retry - 1));
            long ceiling = exponential >= capNanos ? capNanos : (long) exponential;
            return Duration.ofNanos((long) (random.getAsDouble() * ceiling));
        };
    }
}
