package dev.callflux.reactor.bulk;

import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.TwilioApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer meters for bulk runs (Micrometer is an optional dependency: add {@code micrometer-core} to
 * use this class):
 * <ul>
 *   <li>{@code callflux.bulk.results} (counter, tag {@code outcome}: succeeded, already_ended, failed, unknown)</li>
 *   <li>{@code callflux.bulk.attempts} (counter): requests sent</li>
 *   <li>{@code callflux.bulk.retries} (counter, tag {@code reason}: rate_limited, server_error, transport, other)</li>
 *   <li>{@code callflux.bulk.command.duration} (timer): from a command's start to its result</li>
 *   <li>{@code callflux.bulk.in_flight} and {@code callflux.bulk.concurrency_limit} (gauges)</li>
 * </ul>
 * One instance may watch several batches; the gauges then show their sum and the latest limit.
 */
public final class BulkMeters implements BulkListener {

    private final Counter succeeded;
    private final Counter alreadyEnded;
    private final Counter failed;
    private final Counter unknown;
    private final Counter attempts;
    private final MeterRegistry registry;
    private final Timer duration;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger limit = new AtomicInteger();

    /**
     * Registers the meters listed above in {@code registry} at once, at zero until a batch runs.
     *
     * @param registry where the meters go, not {@code null}
     */
    public BulkMeters(MeterRegistry registry) {
        this.registry = registry;
        this.succeeded = results(registry, "succeeded");
        this.alreadyEnded = results(registry, "already_ended");
        this.failed = results(registry, "failed");
        this.unknown = results(registry, "unknown");
        this.attempts = Counter.builder("callflux.bulk.attempts").description("UpdateCall requests sent by bulk runs")
                .register(registry);
        this.duration = Timer.builder("callflux.bulk.command.duration")
                .description("Time from a bulk command's start to its result, retries included").register(registry);
        Gauge.builder("callflux.bulk.in_flight", inFlight, AtomicInteger::get)
                .description("Bulk requests in flight").register(registry);
        Gauge.builder("callflux.bulk.concurrency_limit", limit, AtomicInteger::get)
                .description("Current concurrency limit of the latest bulk run").register(registry);
    }

    private static Counter results(MeterRegistry registry, String outcome) {
        return Counter.builder("callflux.bulk.results").tag("outcome", outcome)
                .description("Bulk commands by final outcome").register(registry);
    }

    @Override
    public void onBatchStarted(int maxInFlight) {
        limit.set(maxInFlight);
    }

    @Override
    public void onAttemptStarted(int attempt) {
        attempts.increment();
        inFlight.incrementAndGet();
    }

    @Override
    public void onAttemptFinished(boolean success) {
        inFlight.decrementAndGet();
    }

    @Override
    public void onRetry(Throwable error, int attempt, Duration delay) {
        registry.counter("callflux.bulk.retries", "reason", reason(error)).increment();
    }

    private static String reason(Throwable error) {
        if (error instanceof TwilioApiException) {
            TwilioApiException api = (TwilioApiException) error;
            return api.isRateLimited() ? "rate_limited" : api.statusCode() >= 500 ? "server_error" : "other";
        }
        return error instanceof CallFluxException ? "transport" : "other";
    }

    @Override
    public void onLimitChanged(int newLimit) {
        limit.set(newLimit);
    }

    @Override
    public void onResult(BulkResult<?> result) {
        duration.record(result.elapsed());
        switch (result.outcome()) {
            case SUCCEEDED: succeeded.increment(); break;
            case ALREADY_ENDED: alreadyEnded.increment(); break;
            case FAILED: failed.increment(); break;
            default: unknown.increment(); break;
        }
    }

    @Override
    public String toString() {
        return "BulkMeters{" + String.format(Locale.ROOT, "succeeded=%.0f, already_ended=%.0f, failed=%.0f, unknown=%.0f",
                succeeded.count(), alreadyEnded.count(), failed.count(), unknown.count()) + '}';
    }
}
