package dev.callflux.reactor.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.CallFluxTransportException.Kind;
import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.UpdateCallRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final UpdateCallRequest HANGUP = UpdateCallRequest.hangup();
    private static final UpdateCallRequest REDIRECT = UpdateCallRequest.redirect("https://example.com/next.xml");
    private static final RetryPolicy POLICY = RetryPolicy.builder().backoff(Backoff.fixed(Duration.ofMillis(100)))
            .maxAttempts(3).maxTotalTime(Duration.ofSeconds(10)).build();

    private static TwilioApiException api(int status) {
        return new TwilioApiException(status, null, null, null, null, null, null, null);
    }

    private static TwilioApiException rateLimited(Duration retryAfter) {
        return new TwilioApiException(429, 20429, "Too Many Requests", null, null, null, retryAfter, null);
    }

    @Test
    void rateLimitedAndUnsentFailuresAreAlwaysSafeToResend() {
        for (UpdateCallRequest request : new UpdateCallRequest[] {HANGUP, REDIRECT}) {
            assertThat(POLICY.isSafeToResend(request, rateLimited(null))).isTrue();
            assertThat(POLICY.isSafeToResend(request, new CallFluxTransportException(Kind.CONNECT, false, "refused", null))).isTrue();
            assertThat(POLICY.isSafeToResend(request, new CallFluxTransportException(Kind.POOL_ACQUIRE_TIMEOUT, false, "pool", null))).isTrue();
        }
    }

    @Test
    void unknownOutcomesAreResentOnlyForIdempotentUpdatesUnlessOptedIn() {
        for (Throwable unknown : new Throwable[] {api(500), api(502), api(503), api(504), api(408),
                new CallFluxTransportException(Kind.RESPONSE_TIMEOUT, true, "slow", null),
                new CallFluxTransportException(Kind.CONNECTION_CLOSED, true, "reset", null)}) {
            assertThat(POLICY.isSafeToResend(HANGUP, unknown)).as(unknown.toString()).isTrue();
            assertThat(POLICY.isSafeToResend(REDIRECT, unknown)).as(unknown.toString()).isFalse();
            assertThat(POLICY.mutate().resendWhenOutcomeUnknown(true).build().isSafeToResend(REDIRECT, unknown)).isTrue();
        }
    }

    @Test
    void finalErrorsAreNeverResent() {
        for (Throwable error : new Throwable[] {api(400), api(401), api(403), api(404),
                new InvalidRequestException("CallSid", "bad"), new IllegalStateException("closed")}) {
            assertThat(POLICY.isSafeToResend(HANGUP, error)).as(error.toString()).isFalse();
            assertThat(POLICY.nextDelay(HANGUP, error, 1, 0, Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void attemptsAreCappedButRateLimitedOnesDoNotCount() {
        assertThat(POLICY.nextDelay(HANGUP, api(503), 2, 0, Duration.ZERO)).hasValue(Duration.ofMillis(100));
        assertThat(POLICY.nextDelay(HANGUP, api(503), 3, 0, Duration.ZERO)).isEmpty();
        // 50 attempts of which 49 were 429: only one counts against the cap of 3.
        assertThat(POLICY.nextDelay(HANGUP, rateLimited(null), 50, 49, Duration.ZERO)).isPresent();
        assertThat(POLICY.nextDelay(HANGUP, api(503), 5, 2, Duration.ZERO)).isEmpty();
    }

    @Test
    void totalTimeIsCapped() {
        assertThat(POLICY.nextDelay(HANGUP, rateLimited(null), 1, 1, Duration.ofMillis(9_850))).hasValue(Duration.ofMillis(100));
        assertThat(POLICY.nextDelay(HANGUP, rateLimited(null), 1, 1, Duration.ofMillis(9_950))).isEmpty();
    }

    @Test
    void retryAfterReplacesTheBackoff() {
        assertThat(POLICY.nextDelay(HANGUP, rateLimited(Duration.ofSeconds(3)), 1, 1, Duration.ZERO)).hasValue(Duration.ofSeconds(3));
        assertThat(POLICY.nextDelay(HANGUP, rateLimited(Duration.ofSeconds(30)), 1, 1, Duration.ZERO)).isEmpty();
    }

    @Test
    void noneNeverRetries() {
        assertThat(RetryPolicy.NONE.nextDelay(HANGUP, rateLimited(null), 1, 1, Duration.ZERO)).isEmpty();
    }

    @Test
    void badSettingsAreIllegalArgumentsAndMissingOnesNullPointersNamingTheSetting() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("MaxAttempts must be at least 1 (got 0)");
        assertThatThrownBy(() -> RetryPolicy.builder().maxTotalTime(Duration.ofSeconds(-1)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("MaxTotalTime must not be negative (got PT-1S)");
        assertThatThrownBy(() -> RetryPolicy.builder().maxTotalTime(null)).isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("MaxTotalTime is required");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(null)).isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("Backoff is required");
        assertThatThrownBy(() -> Backoff.fullJitter(Duration.ZERO, Duration.ofSeconds(10)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Base must be positive (got PT0S)");
        assertThatThrownBy(() -> Backoff.fullJitter(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("Cap must be at least Base (got cap PT1S, base PT2S)");
        assertThatThrownBy(() -> Backoff.fullJitter(null, Duration.ofSeconds(1)))
                .isExactlyInstanceOf(NullPointerException.class).hasMessage("Base is required");
        assertThatThrownBy(() -> Backoff.fullJitter(Duration.ofSeconds(1), null))
                .isExactlyInstanceOf(NullPointerException.class).hasMessage("Cap is required");
        assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("Delay must not be negative (got PT-0.001S)");
        assertThatThrownBy(() -> Backoff.fixed(null)).isExactlyInstanceOf(NullPointerException.class).hasMessage("Delay is required");
    }

    @Test
    void aBackoffThatAnswersNullOrANegativeWaitIsReportedAsItsBugNotScheduled() {
        RetryPolicy answersNull = RetryPolicy.builder().backoff(retry -> null).build();
        RetryPolicy answersNegative = RetryPolicy.builder().backoff(retry -> Duration.ofSeconds(-1)).build();
        assertThatThrownBy(() -> answersNull.nextDelay(HANGUP, api(503), 1, 0, Duration.ZERO))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("Backoff must answer a zero or positive wait (got null for retry 1)");
        assertThatThrownBy(() -> answersNegative.nextDelay(HANGUP, api(503), 2, 0, Duration.ZERO))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("Backoff must answer a zero or positive wait (got PT-1S for retry 2)");
    }

    @Test
    void fullJitterGrowsExponentiallyUpToTheCap() {
        Backoff max = Backoff.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.999_999);
        assertThat(max.delay(1)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(max.delay(2)).isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
        assertThat(max.delay(4)).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
        assertThat(max.delay(5)).isBetween(Duration.ofMillis(1_599), Duration.ofMillis(1_600));
        assertThat(max.delay(6)).isBetween(Duration.ofMillis(1_999), Duration.ofSeconds(2));
        assertThat(max.delay(1_000)).isBetween(Duration.ofMillis(1_999), Duration.ofSeconds(2));
        Backoff min = Backoff.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.0);
        assertThat(min.delay(7)).isZero();
        Backoff real = Backoff.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(2));
        for (int retry = 1; retry < 40; retry++) {
            assertThat(real.delay(retry)).isBetween(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
