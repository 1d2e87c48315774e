package dev.callflux.reactor.bulk;

import dev.callflux.reactor.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.reactivestreams.Publisher;

/**
 * How a bulk run behaves. Immutable and shareable; {@link #builder()} and {@link #mutate()} make changed
 * copies.
 *
 * <p>Defaults, chosen for Twilio:
 * <ul>
 *   <li>{@link #DEFAULT_MAX_IN_FLIGHT} = 100 requests at once at most: Twilio's usual per-account limit of
 *       concurrent requests, and the client's default pool size.</li>
 *   <li>Adaptive concurrency on, starting at {@link #DEFAULT_INITIAL_LIMIT}: the limit doubles per round of
 *       successes until the first 429, then grows by one per round and shrinks by a third on 429 (AIMD),
 *       never above {@code maxInFlight}. Twilio's real limit varies by account and with other traffic; the
 *       client finds it instead of being told.</li>
 *   <li>No rate cap ({@link #DEFAULT_RATE_PER_SECOND} = 0).</li>
 *   <li>{@link RetryPolicy#DEFAULT}: 429s and unsent requests always retried; hang-ups also after 5xx and
 *       timeouts; redirects never resent when their outcome is unknown.</li>
 *   <li>{@code stopOnError} off: one bad SID should not stop the other 99,999 hang-ups.</li>
 * </ul>
 */
public final class BulkOptions {

    /** Most requests in flight: 100, Twilio's usual per-account concurrency limit and the client's default pool. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 100;
    /** Where the adaptive limit starts: 8; it doubles from there per round of successes until the first 429. */
    public static final int DEFAULT_INITIAL_LIMIT = 8;
    /** No cap on requests started per second (0). */
    public static final double DEFAULT_RATE_PER_SECOND = 0;

    /** All defaults. */
    public static final BulkOptions DEFAULT = builder().build();

    private final int maxInFlight;
    private final boolean adaptive;
    private final int initialLimit;
    private final double ratePerSecond;
    private final RetryPolicy retryPolicy;
    private final boolean stopOnError;
    private final List<BulkListener> listeners;
    private final Publisher<?> stopWhen;

    private BulkOptions(Builder b) {
        this.maxInFlight = b.maxInFlight;
        this.adaptive = b.adaptive;
        this.initialLimit = Math.min(b.initialLimit, b.maxInFlight);
        this.ratePerSecond = b.ratePerSecond;
        this.retryPolicy = b.retryPolicy;
        this.stopOnError = b.stopOnError;
        this.listeners = List.copyOf(b.listeners);
        this.stopWhen = b.stopWhen;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fixed concurrency of {@code maxInFlight}, other settings default. */
    public static BulkOptions fixed(int maxInFlight) {
        return builder().maxInFlight(maxInFlight).adaptive(false).build();
    }

    /** A builder holding these options. */
    public Builder mutate() {
        Builder b = new Builder().maxInFlight(maxInFlight).adaptive(adaptive).initialLimit(initialLimit)
                .ratePerSecond(ratePerSecond).retryPolicy(retryPolicy).stopOnError(stopOnError);
        b.stopWhen = stopWhen;
        b.listeners.addAll(listeners);
        return b;
    }

    /** Most requests in flight at once. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Whether the limit adapts to 429s (else it is {@code maxInFlight}). */
    public boolean adaptive() {
        return adaptive;
    }

    /** The adaptive limit's starting point. */
    public int initialLimit() {
        return initialLimit;
    }

    /** Most requests started per second; 0 for no cap. Retries count. */
    public double ratePerSecond() {
        return ratePerSecond;
    }

    /** When and how failed attempts are retried. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** Whether the batch ends at the first final failure. */
    public boolean stopOnError() {
        return stopOnError;
    }

    /** The listeners told about the batch, in the order they were added. */
    public List<BulkListener> listeners() {
        return listeners;
    }

    /** The signal that stops the batch gracefully, or {@code null}. */
    public Publisher<?> stopWhen() {
        return stopWhen;
    }

    @Override
    public String toString() {
        return "BulkOptions{maxInFlight=" + maxInFlight + ", adaptive=" + adaptive + ", initialLimit=" + initialLimit
                + ", ratePerSecond=" + ratePerSecond + ", retryPolicy=" + retryPolicy + ", stopOnError=" + stopOnError + '}';
    }

    /** Settings of {@link BulkOptions}. */
    public static final class Builder {
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private boolean adaptive = true;
        private int initialLimit = DEFAULT_INITIAL_LIMIT;
        private double ratePerSecond = DEFAULT_RATE_PER_SECOND;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private boolean stopOnError;
        private final List<BulkListener> listeners = new ArrayList<>();
        private Publisher<?> stopWhen;

        private Builder() {
        }

        /** Most requests in flight at once, at least 1. Also the most commands taken from the source ahead. */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** Adapt the limit to 429s (default) or hold it at {@code maxInFlight}. */
        public Builder adaptive(boolean adaptive) {
            this.adaptive = adaptive;
            return this;
        }

        /** Where the adaptive limit starts (capped at {@code maxInFlight}). */
        public Builder initialLimit(int initialLimit) {
            if (initialLimit < 1) {
                throw new IllegalArgumentException("initialLimit must be at least 1, got " + initialLimit);
            }
            this.initialLimit = initialLimit;
            return this;
        }

        /** Most requests started per second, for an account with a known rate budget; 0 for none. */
        public Builder ratePerSecond(double ratePerSecond) {
            if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
                throw new IllegalArgumentException("ratePerSecond must be 0 (none) or positive, got " + ratePerSecond);
            }
            this.ratePerSecond = ratePerSecond;
            return this;
        }

        /** When and how failed attempts are retried; {@link RetryPolicy#DEFAULT} unless set. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * End the batch at the first final failure: no further command is sent, requests in flight finish
         * and deliver their results, then the {@code Flux} completes.
         */
        public Builder stopOnError(boolean stopOnError) {
            this.stopOnError = stopOnError;
            return this;
        }

        /**
         * Stops the batch gracefully when {@code signal} emits or completes (Ctrl-C, a deadline, a
         * shutdown): no further request starts, requests in flight finish and deliver their results,
         * commands already taken but not sent yield a {@link BatchStoppedException} result, then the
         * {@code Flux} completes. Unlike cancelling, nothing is left with an unknown outcome.
         */
        public Builder stopWhen(Publisher<?> signal) {
            this.stopWhen = Objects.requireNonNull(signal, "signal");
            return this;
        }

        /** Adds a listener (progress, meters...). */
        public Builder listener(BulkListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The options, immutable. */
        public BulkOptions build() {
            return new BulkOptions(this);
        }
    }
}
