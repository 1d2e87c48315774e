package dev.callflux.reactor.reliability;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.reactor.bulk.BulkListener;
import dev.callflux.reactor.bulk.BulkResult;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the batch told its listener: attempts started and finished, retries and why, the waits before
 * retries after a 429, the results delivered, and the end of the batch (a latch: no sleeping). Called on
 * the client's threads, so it only counts (BlockHound watches them).
 */
class Tally implements BulkListener {

    final LongAdder attemptsStarted = new LongAdder();
    final LongAdder attemptsFinished = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder results = new LongAdder();
    final LongAdder rateLimitedRetries = new LongAdder();
    final LongAdder rateLimitedRetriesWithoutWait = new LongAdder();
    final LongAdder rateLimitedRetriesWaitingRetryAfter = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> retryReasons = new ConcurrentHashMap<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Duration retryAfter;

    /** Counts the 429 retries whose wait is exactly {@code d}: the server's Retry-After, honoured. */
    Tally expectRetryAfter(Duration d) {
        this.retryAfter = d;
        return this;
    }

    @Override
    public void onAttemptStarted(int attempt) {
        attemptsStarted.increment();
    }

    @Override
    public void onAttemptFinished(boolean success) {
        attemptsFinished.increment();
    }

    @Override
    public void onRetry(Throwable error, int attempt, Duration delay) {
        retries.increment();
        retryReasons.computeIfAbsent(reason(error), k -> new LongAdder()).increment();
        if (error instanceof TwilioApiException && ((TwilioApiException) error).isRateLimited()) {
            rateLimitedRetries.increment();
            if (delay.isZero()) {
                rateLimitedRetriesWithoutWait.increment();
            }
            Duration expected = retryAfter;
            if (expected != null && delay.equals(expected)) {
                rateLimitedRetriesWaitingRetryAfter.increment();
            }
        }
    }

    @Override
    public void onResult(BulkResult<?> result) {
        results.increment();
    }

    @Override
    public void onBatchFinished() {
        finished.countDown();
    }

    /** Waits for the end of the batch (every command unwound). */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Map<String, Long> retryReasons() {
        Map<String, Long> m = new TreeMap<>();
        retryReasons.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** A short name for what went wrong: {@code 429}, {@code 503}, {@code 502 (no Twilio JSON)}, a transport kind... */
    static String reason(Throwable error) {
        if (error instanceof TwilioApiException) {
            TwilioApiException e = (TwilioApiException) error;
            return e.statusCode() + (e.code().isPresent() ? "" : " (no Twilio JSON)");
        }
        if (error instanceof CallFluxTransportException) {
            return ((CallFluxTransportException) error).kind().name();
        }
        return error.getClass().getSimpleName();
    }
}
