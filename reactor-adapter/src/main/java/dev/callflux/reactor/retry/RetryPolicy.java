package dev.callflux.reactor.retry;

import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.UpdateCallRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a failed attempt is resent, and after how long: the one place that does. Built for
 * phone calls, where resending the wrong request plays a message twice:
 * <ul>
 *   <li>Twilio's 429 (its concurrency limit: "never processed, always safe to retry") and failures before
 *       the request was written (connection refused, no pooled connection) are always retried.</li>
 *   <li>5xx, 408, timeouts and resets after the request may have reached Twilio are retried only when the
 *       update is idempotent (a {@code Status} change without {@code Url}/{@code Twiml}: hanging up twice is
 *       harmless). A redirect is not resent unless {@link Builder#resendWhenOutcomeUnknown(boolean)} says so.</li>
 *   <li>Anything else (400, 401, 404, ...) is final.</li>
 * </ul>
 * Waits follow the {@link Backoff}; a {@code Retry-After} from the server replaces it. Each command has a
 * cap on attempts ({@code maxAttempts}, not counting 429s, which say nothing was processed) and on total
 * time ({@code maxTotalTime}, counting everything).
 *
 * <p>Immutable and thread-safe; {@link #mutate()} derives a changed copy. A bad setting throws
 * {@link IllegalArgumentException} and a missing one {@link NullPointerException}, the message the setting's name,
 * a space and the rule ({@code "MaxAttempts must be at least 1 (got 0)"}).
 */
public final class RetryPolicy {

    /** At most 8 attempts per command, apart from 429 answers. */
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    /** At most 5 minutes per command, waits included: long enough to ride out a 429 storm. */
    public static final Duration DEFAULT_MAX_TOTAL_TIME = Duration.ofMinutes(5);
    /** Full jitter from 100 ms, capped at 10 s. */
    public static final Backoff DEFAULT_BACKOFF = Backoff.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(10));

    /** The defaults above; redirects are never resent when their outcome is unknown. */
    public static final RetryPolicy DEFAULT = builder().build();
    /** Never retry. */
    public static final RetryPolicy NONE = builder().maxAttempts(1).maxTotalTime(Duration.ZERO).build();

    private final int maxAttempts;
    private final Duration maxTotalTime;
    private final Backoff backoff;
    private final boolean resendWhenOutcomeUnknown;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.maxTotalTime = b.maxTotalTime;
        this.backoff = b.backoff;
        this.resendWhenOutcomeUnknown = b.resendWhenOutcomeUnknown;
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder; without changes it builds a policy like {@link #DEFAULT}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this policy's settings.
     *
     * @return a new builder; changing it leaves this policy as it is
     */
    public Builder mutate() {
        return new Builder().maxAttempts(maxAttempts).maxTotalTime(maxTotalTime).backoff(backoff)
                .resendWhenOutcomeUnknown(resendWhenOutcomeUnknown);
    }

    /**
     * Attempts per command, the first included, not counting those answered 429.
     *
     * @return at least 1; {@link #DEFAULT_MAX_ATTEMPTS} unless set
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Time per command from its first attempt, waits included.
     *
     * @return zero or positive; {@link #DEFAULT_MAX_TOTAL_TIME} unless set. Zero means no retry at all
     */
    public Duration maxTotalTime() {
        return maxTotalTime;
    }

    /**
     * The waits between attempts when the server sends no {@code Retry-After}.
     *
     * @return the backoff, {@link #DEFAULT_BACKOFF} unless set; never {@code null}
     */
    public Backoff backoff() {
        return backoff;
    }

    /**
     * Whether redirects are resent even when the previous attempt may have been applied.
     *
     * @return {@code false} unless set
     */
    public boolean resendWhenOutcomeUnknown() {
        return resendWhenOutcomeUnknown;
    }

    /**
     * Whether resending {@code request} after {@code error} is safe, ignoring the caps: the failure is
     * transient, and either nothing was applied or applying twice is harmless (or the caller opted in).
     *
     * @param request the update that failed
     * @param error   why it failed; anything but a {@link CallFluxException} is never resent
     * @return {@code true} when a resend cannot do harm
     */
    public boolean isSafeToResend(UpdateCallRequest request, Throwable error) {
        if (!(error instanceof CallFluxException)) {
            return false;
        }
        CallFluxException e = (CallFluxException) error;
        if (!e.isTransient()) {
            return false;
        }
        return !e.mayHaveBeenApplied() || request.isIdempotent() || resendWhenOutcomeUnknown;
    }

    /**
     * The wait before the next attempt, or empty when {@code error} is final.
     *
     * @param request the update that failed
     * @param error   why the latest attempt failed
     * @param attempts  attempts made so far, this one included
     * @param rateLimitedAttempts how many of them were answered 429
     * @param elapsed   time since the command's first attempt started
     * @return the server's {@code Retry-After} if it sent one, else the backoff's delay for retry number
     *         {@code attempts}; empty when resending is not safe, when the attempts are used up (429s apart), or
     *         when the wait would reach {@code maxTotalTime}
     * @throws IllegalStateException if the {@link Backoff} answers {@code null} or a negative wait (a bug in it)
     */
    public Optional<Duration> nextDelay(UpdateCallRequest request, Throwable error, int attempts,
                                        int rateLimitedAttempts, Duration elapsed) {
        if (!isSafeToResend(request, error)) {
            return Optional.empty();
        }
        if (attempts - rateLimitedAttempts >= maxAttempts && !isRateLimited(error)) {
            return Optional.empty();
        }
        Duration delay = error instanceof TwilioApiException
                ? ((TwilioApiException) error).retryAfter().orElseGet(() -> backoff.delay(attempts))
                : backoff.delay(attempts);
        if (delay == null || delay.isNegative()) {
            throw new IllegalStateException("Backoff must answer a zero or positive wait (got " + delay + " for retry "
                    + attempts + ")");
        }
        if (elapsed.plus(delay).compareTo(maxTotalTime) >= 0) {
            return Optional.empty();
        }
        return Optional.of(delay);
    }

    private static boolean isRateLimited(Throwable error) {
        return error instanceof TwilioApiException && ((TwilioApiException) error).isRateLimited();
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", maxTotalTime=" + maxTotalTime
                + ", resendWhenOutcomeUnknown=" + resendWhenOutcomeUnknown + '}';
    }

    /** Settings of a {@link RetryPolicy}. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration maxTotalTime = DEFAULT_MAX_TOTAL_TIME;
        private Backoff backoff = DEFAULT_BACKOFF;
        private boolean resendWhenOutcomeUnknown;

        private Builder() {
        }

        /**
         * Attempts per command, the first included, not counting those answered 429. At least 1.
         *
         * @param maxAttempts at least 1; 1 resends only after 429s; {@link #DEFAULT_MAX_ATTEMPTS} unless set
         * @return this builder
         * @throws IllegalArgumentException if {@code maxAttempts} is less than 1
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("MaxAttempts must be at least 1 (got " + maxAttempts + ")");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Time per command from its first attempt; no retry starts that would end after it.
         *
         * @param maxTotalTime zero (no retry at all) or positive; {@link #DEFAULT_MAX_TOTAL_TIME} unless set
         * @return this builder
         * @throws NullPointerException if {@code maxTotalTime} is {@code null} ({@code "MaxTotalTime is required"})
         * @throws IllegalArgumentException if {@code maxTotalTime} is negative ({@code "MaxTotalTime must not be negative (got PT-1S)"})
         */
        public Builder maxTotalTime(Duration maxTotalTime) {
            if (maxTotalTime == null) {
                throw new NullPointerException("MaxTotalTime is required");
            }
            if (maxTotalTime.isNegative()) {
                throw new IllegalArgumentException("MaxTotalTime must not be negative (got " + maxTotalTime + ")");
            }
            this.maxTotalTime = maxTotalTime;
            return this;
        }

        /**
         * The waits between attempts when the server sends no {@code Retry-After}.
         *
         * @param backoff the backoff, {@link #DEFAULT_BACKOFF} unless set; {@code null} throws
         *                {@link NullPointerException}
         * @return this builder
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "Backoff is required");
            return this;
        }

        /**
         * Resend redirects ({@code Url}/{@code Twiml}) even when the previous attempt may have been applied
         * (5xx, timeout, reset). Off by default: the call could run its new instructions twice.
         *
         * @param resend {@code true} to resend them anyway
         * @return this builder
         */
        public Builder resendWhenOutcomeUnknown(boolean resend) {
            this.resendWhenOutcomeUnknown = resend;
            return this;
        }

        /**
         * The policy, immutable.
         *
         * @return a new policy; the builder can go on being changed without affecting it
         */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
