package dev.callflux.reactor.bulk;

import dev.callflux.core.model.AccountSid;
import dev.callflux.reactor.internal.CallUpdater;
import dev.callflux.reactor.internal.EventLoops;
import dev.callflux.reactor.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

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
 *   <li>Fatal errors stop the batch: after {@link #DEFAULT_FATAL_ERROR_THRESHOLD} attempts in a row refused for
 *       the credentials (401, 403), or unable to connect before anything reached the endpoint, nothing more is
 *       sent (see {@link Builder#fatalErrorThreshold(int)}).</li>
 * </ul>
 *
 * <p>As with {@code CallFluxClientBuilder}, a bad setting throws {@link IllegalArgumentException} and a missing one
 * {@link NullPointerException}, the message the setting's name, a space and the rule
 * ({@code "MaxInFlight must be at least 1 (got 0)"}).
 */
public final class BulkOptions {

    /** Most requests in flight: 100, Twilio's usual per-account concurrency limit and the client's default pool. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 100;
    /** Where the adaptive limit starts: 8; it doubles from there per round of successes until the first 429. */
    public static final int DEFAULT_INITIAL_LIMIT = 8;
    /** No cap on requests started per second (0). */
    public static final double DEFAULT_RATE_PER_SECOND = 0;

    /**
     * Ten attempts in a row that say the batch cannot succeed stop it. Why ten: one 401 can belong to a single
     * command (another account's call under a parent's credentials) and one refused connection to a single
     * stale address, so one is not proof; ten in a row with nothing succeeding in between is, and at the usual
     * concurrency they arrive within the first second, so a batch with dead credentials or no endpoint ends in
     * seconds instead of sending (and retrying) every command.
     */
    public static final int DEFAULT_FATAL_ERROR_THRESHOLD = 10;

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
    private final int fatalErrorThreshold;

    private BulkOptions(Builder b) {
        this.fatalErrorThreshold = b.fatalErrorThreshold;
        this.maxInFlight = b.maxInFlight;
        this.adaptive = b.adaptive;
        this.initialLimit = Math.min(b.initialLimit, b.maxInFlight);
        this.ratePerSecond = b.ratePerSecond;
        this.retryPolicy = b.retryPolicy;
        this.stopOnError = b.stopOnError;
        this.listeners = List.copyOf(b.listeners);
        this.stopWhen = b.stopWhen;
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder; without changes it builds options equal in effect to {@link #DEFAULT}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fixed concurrency of {@code maxInFlight}, other settings default.
     *
     * @param maxInFlight requests in flight at once, at least 1 (still capped by the client's connection pool)
     * @return options with adaptive concurrency off
     * @throws IllegalArgumentException if {@code maxInFlight} is less than 1
     */
    public static BulkOptions fixed(int maxInFlight) {
        return builder().maxInFlight(maxInFlight).adaptive(false).build();
    }

    /**
     * A builder holding these options.
     *
     * @return a new builder with these settings, listeners and stop signal; changing it leaves these options as
     *         they are
     */
    public Builder mutate() {
        Builder b = new Builder().maxInFlight(maxInFlight).adaptive(adaptive).initialLimit(initialLimit)
                .ratePerSecond(ratePerSecond).retryPolicy(retryPolicy).stopOnError(stopOnError)
                .fatalErrorThreshold(fatalErrorThreshold);
        b.stopWhen = stopWhen;
        b.listeners.addAll(listeners);
        return b;
    }

    /**
     * Most requests in flight at once.
     *
     * @return at least 1, {@link #DEFAULT_MAX_IN_FLIGHT} unless set; a run uses the smaller of this and the
     *         client's own connection pool size
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * Whether the limit adapts to 429s (else it is {@code maxInFlight}).
     *
     * @return {@code true} unless set otherwise
     */
    public boolean adaptive() {
        return adaptive;
    }

    /**
     * The adaptive limit's starting point.
     *
     * @return between 1 and {@link #maxInFlight()}, {@link #DEFAULT_INITIAL_LIMIT} unless set; unused when not
     *         {@link #adaptive()}
     */
    public int initialLimit() {
        return initialLimit;
    }

    /**
     * Most requests started per second; 0 for no cap. Retries count.
     *
     * @return 0 (the default) or a positive, finite rate
     */
    public double ratePerSecond() {
        return ratePerSecond;
    }

    /**
     * When and how failed attempts are retried.
     *
     * @return the policy, {@link RetryPolicy#DEFAULT} unless set; never {@code null}
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * Whether the batch ends at the first final failure.
     *
     * @return {@code false} unless set: by default every command runs whatever the others' results
     */
    public boolean stopOnError() {
        return stopOnError;
    }

    /**
     * How many fatal attempts in a row stop the batch.
     *
     * @return 0 when the rule is off, otherwise at least 1; {@link #DEFAULT_FATAL_ERROR_THRESHOLD} unless set
     */
    public int fatalErrorThreshold() {
        return fatalErrorThreshold;
    }

    /**
     * The listeners told about the batch, in the order they were added.
     *
     * @return an unmodifiable list, empty unless listeners were added
     */
    public List<BulkListener> listeners() {
        return listeners;
    }

    /**
     * The signal that stops the batch gracefully, or {@code null}.
     *
     * @return the publisher given to {@link Builder#stopWhen(Publisher)}, or {@code null} when none was
     */
    public Publisher<?> stopWhen() {
        return stopWhen;
    }

    /**
     * Internal: how {@code CallFluxClient} runs a batch, the one way into the bulk engine from outside this
     * package (the engine must not depend on the client). Not part of CallFlux's API: use
     * {@code CallFluxClient.updateAll}.
     *
     * @hidden
     * @param <T>            the type of the commands' correlation values
     * @param commands       the commands, read with backpressure
     * @param options        how the batch runs, not {@code null}
     * @param updater        sends one request
     * @param defaultAccount the account of commands that name none
     * @param poolSize       the client's connection pool size, or 0 if unknown; the concurrency never exceeds it
     * @param loops          the event loops the client's connections run on
     * @return a cold {@code Flux} of exactly one result per command taken, in completion order
     */
    public static <T> Flux<BulkResult<T>> run(Publisher<BulkCommand<T>> commands, BulkOptions options,
                                              CallUpdater updater, AccountSid defaultAccount, int poolSize,
                                              EventLoops loops) {
        return new BulkEngine<>(updater, defaultAccount, poolSize, loops, commands, options);
    }

    @Override
    public String toString() {
        return "BulkOptions{maxInFlight=" + maxInFlight + ", adaptive=" + adaptive + ", initialLimit=" + initialLimit
                + ", ratePerSecond=" + ratePerSecond + ", retryPolicy=" + retryPolicy + ", stopOnError=" + stopOnError
                + ", fatalErrorThreshold=" + fatalErrorThreshold + '}';
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
        private int fatalErrorThreshold = DEFAULT_FATAL_ERROR_THRESHOLD;

        private Builder() {
        }

        /**
         * Most requests in flight at once, at least 1. Also the most commands taken from the source ahead.
         *
         * @param maxInFlight at least 1; {@link #DEFAULT_MAX_IN_FLIGHT} unless set
         * @return this builder
         * @throws IllegalArgumentException if {@code maxInFlight} is less than 1
         */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("MaxInFlight must be at least 1 (got " + maxInFlight + ")");
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Adapt the limit to 429s (default) or hold it at {@code maxInFlight}.
         *
         * @param adaptive {@code true} to adapt, {@code false} for a fixed limit
         * @return this builder
         */
        public Builder adaptive(boolean adaptive) {
            this.adaptive = adaptive;
            return this;
        }

        /**
         * Where the adaptive limit starts (capped at {@code maxInFlight}).
         *
         * @param initialLimit at least 1; {@link #DEFAULT_INITIAL_LIMIT} unless set
         * @return this builder
         * @throws IllegalArgumentException if {@code initialLimit} is less than 1
         */
        public Builder initialLimit(int initialLimit) {
            if (initialLimit < 1) {
                throw new IllegalArgumentException("InitialLimit must be at least 1 (got " + initialLimit + ")");
            }
            this.initialLimit = initialLimit;
            return this;
        }

        /**
         * Most requests started per second, for an account with a known rate budget; 0 for none.
         *
         * @param ratePerSecond requests per second, 0 or positive and finite; fractions are allowed (0.5 is one
         *                      request every 2 seconds)
         * @return this builder
         * @throws IllegalArgumentException if {@code ratePerSecond} is negative, NaN or infinite
         */
        public Builder ratePerSecond(double ratePerSecond) {
            if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
                throw new IllegalArgumentException("RatePerSecond must be 0 (none) or a positive finite number (got " + ratePerSecond + ")");
            }
            this.ratePerSecond = ratePerSecond;
            return this;
        }

        /**
         * When and how failed attempts are retried; {@link RetryPolicy#DEFAULT} unless set.
         *
         * @param retryPolicy the policy, {@link RetryPolicy#NONE} to never resend; {@code null} throws
         *                    {@link NullPointerException}
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "RetryPolicy is required");
            return this;
        }

        /**
         * End the batch at the first final failure: no further command is sent, requests in flight finish
         * and deliver their results, then the {@code Flux} completes.
         *
         * @param stopOnError {@code true} to stop at the first result that is not a success, whether
         *                    {@code FAILED} or {@code UNKNOWN}; {@code false} by default
         * @return this builder
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
         *
         * @param signal any publisher: its first value, its completion or its error stops the batch; {@code null}
         *               throws {@link NullPointerException}. Each subscription of the batch subscribes to it
         * @return this builder
         */
        public Builder stopWhen(Publisher<?> signal) {
            this.stopWhen = Objects.requireNonNull(signal, "StopWhen is required");
            return this;
        }

        /**
         * Stops the batch when it cannot succeed: after {@code threshold} attempts in a row that Twilio refused
         * for the credentials (401 or 403) with no other answer in between, or, before any request of the batch
         * got an HTTP answer, {@code threshold} attempts in a row that could not connect at all (connection
         * refused, unknown host, TLS failure). Once it trips nothing more is sent or resent: requests in flight
         * finish, and every other command, those still unread from the source included, ends at once with a
         * {@link BatchStoppedException} whose cause is the error that tripped the rule (certainly not applied,
         * so a rerun sends it). An outage after the endpoint has answered does not trip it: retries ride it out.
         *
         * @param threshold attempts in a row, at least 1; 0 turns the rule off;
         *                  {@link #DEFAULT_FATAL_ERROR_THRESHOLD} unless set
         * @return this builder
         * @throws IllegalArgumentException if {@code threshold} is negative
         */
        public Builder fatalErrorThreshold(int threshold) {
            if (threshold < 0) {
                throw new IllegalArgumentException("FatalErrorThreshold must be 0 (off) or positive (got " + threshold + ")");
            }
            this.fatalErrorThreshold = threshold;
            return this;
        }

        /**
         * Adds a listener (progress, meters...).
         *
         * @param listener a thread-safe, non-blocking listener, told of events after those added before it;
         *                 {@code null} throws {@link NullPointerException}
         * @return this builder
         */
        public Builder listener(BulkListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "BulkListener is required"));
            return this;
        }

        /**
         * The options, immutable.
         *
         * @return new options; the builder can go on being changed without affecting them
         */
        public BulkOptions build() {
            return new BulkOptions(this);
        }
    }
}
