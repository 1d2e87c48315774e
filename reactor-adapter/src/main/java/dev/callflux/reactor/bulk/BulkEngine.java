package dev.callflux.reactor.bulk;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.TwilioResponse;
import dev.callflux.reactor.bulk.ConcurrencyLimit.Permit;
import dev.callflux.reactor.bulk.ConcurrencyLimit.Signal;
import dev.callflux.reactor.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;
import reactor.util.retry.Retry;

/**
 * Runs a batch of updates: commands in, exactly one {@link BulkResult} out per command taken from the
 * source. Use it through {@link CallFluxClient#updateAll(Publisher, BulkOptions)}.
 *
 * <p>Flow: the source is read with backpressure, at most {@code maxInFlight} commands ahead of the
 * results the subscriber has taken; each command waits for a permit of the {@link ConcurrencyLimit} (and
 * a slot of the rate cap), sends one request, and hands the permit back with what the answer said about
 * Twilio's limit; the {@link RetryPolicy} alone decides whether to resend, and after how long. The
 * subscriber cancelling cancels the requests in flight. A source error is delivered after the commands
 * already taken have their results.
 */
public final class BulkEngine {

    private final CallFluxClient client;
    private final int poolSize;

    /**
     * @param poolSize the client's connection pool size, or 0 if unknown; the concurrency never exceeds it
     */
    public BulkEngine(CallFluxClient client, int poolSize) {
        this.client = client;
        this.poolSize = poolSize;
    }

    /** A cold batch: nothing is read or sent before subscription. */
    public <T> Flux<BulkResult<T>> run(Publisher<BulkCommand<T>> commands, BulkOptions options) {
        return Flux.defer(() -> {
            Batch batch = new Batch(options, poolSize);
            Flux<BulkCommand<T>> source = Flux.from(commands);
            if (options.stopOnError()) {
                source = source.takeUntilOther(batch.stop.asMono());
            }
            return source
                    .flatMapDelayError(command -> execute(command, batch), batch.maxInFlight, 1)
                    // Counted as delivered, so a listener's totals match what the subscriber received.
                    .doOnNext(batch.listener::onResult)
                    .doOnSubscribe(s -> {
                        batch.listener.onBatchStarted(batch.maxInFlight);
                        batch.listener.onLimitChanged(batch.limit.limit());
                    })
                    // Runs before the cancel travels upstream: nothing may start while the batch unwinds.
                    .doOnCancel(batch::cancel)
                    .doFinally(signal -> batch.terminated());
        });
    }

    private <T> Mono<BulkResult<T>> execute(BulkCommand<T> command, Batch batch) {
        return Mono.defer(() -> {
            batch.commandStarted();
            long start = batch.now();
            AttemptCount count = new AttemptCount();
            CallSid callSid;
            try {
                callSid = CallSid.of(command.callSid());
            } catch (InvalidRequestException e) {
                return Mono.just(batch.finish(BulkResult.failure(command.correlation(), command.callSid(), e, 0, Duration.ZERO)));
            }
            AccountSid account = command.accountSid() != null ? command.accountSid() : client.accountSid();
            RetryPolicy policy = batch.options.retryPolicy();

            Mono<TwilioResponse<Call>> attempt = Mono.usingWhen(
                    batch.limit.acquire(),
                    permit -> batch.startAttempt().then(Mono.defer(() -> {
                        int n = count.attempts.incrementAndGet();
                        batch.listener.onAttemptStarted(n);
                        return client.updateWithResponse(account, callSid, command.request());
                    })),
                    permit -> batch.release(permit, Signal.SUCCESS, true),
                    (permit, error) -> batch.release(permit, signal(error, count), false),
                    permit -> batch.release(permit, Signal.NEUTRAL, false));

            return attempt
                    .retryWhen(Retry.from(failures -> failures.concatMap(failure -> {
                        Throwable error = failure.failure();
                        if (batch.stopping()) {
                            return Mono.error(error); // no resends once the batch is stopping
                        }
                        Duration elapsed = Duration.ofNanos(batch.now() - start);
                        Optional<Duration> delay = policy.nextDelay(command.request(), error, count.attempts.get(),
                                count.rateLimited.get(), elapsed);
                        if (delay.isEmpty()) {
                            return Mono.error(error);
                        }
                        batch.listener.onRetry(error, count.attempts.get(), delay.get());
                        return delay.get().isZero() ? Mono.just(0L) : Mono.delay(delay.get());
                    })))
                    .map(response -> BulkResult.success(command.correlation(), command.callSid(), response.value(),
                            count.attempts.get(), Duration.ofNanos(batch.now() - start)))
                    .onErrorResume(error -> Mono.just(BulkResult.failure(command.correlation(), command.callSid(),
                            error, count.attempts.get(), Duration.ofNanos(batch.now() - start))))
                    .map(batch::finish)
                    .doFinally(signal -> batch.commandEnded());
        });
    }

    private static Signal signal(Throwable error, AttemptCount count) {
        if (error instanceof TwilioApiException && ((TwilioApiException) error).isRateLimited()) {
            count.rateLimited.incrementAndGet();
            return Signal.RATE_LIMITED;
        }
        return Signal.NEUTRAL;
    }

    /** Per command: attempts made, and how many were answered 429. */
    private static final class AttemptCount {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger rateLimited = new AtomicInteger();
    }

    /** The state one subscription of a batch shares across its commands. */
    private static final class Batch {
        final BulkOptions options;
        final int maxInFlight;
        final BulkListener listener;
        final ConcurrencyLimit limit;
        final RateLimit rate;
        final Sinks.Empty<Void> stop = Sinks.empty();
        final AtomicInteger activeCommands = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        volatile boolean stopped;
        volatile boolean cancelled;
        volatile boolean terminated;

        Batch(BulkOptions options, int poolSize) {
            this.options = options;
            this.maxInFlight = poolSize > 0 ? Math.min(options.maxInFlight(), poolSize) : options.maxInFlight();
            this.listener = SafeListener.of(options.listeners());
            this.limit = new ConcurrencyLimit(maxInFlight, options.adaptive(), options.initialLimit(), listener::onLimitChanged);
            this.rate = RateLimit.of(options.ratePerSecond());
        }

        long now() {
            return Schedulers.parallel().now(TimeUnit.NANOSECONDS);
        }

        boolean stopping() {
            return stopped || cancelled;
        }

        /** The rate slot, then a last look at whether the batch is stopping before anything is sent. */
        Mono<Void> startAttempt() {
            Mono<Void> slot = rate == null ? Mono.empty() : rate.acquire();
            return slot.then(Mono.defer(() -> stopping() ? Mono.error(new BatchStoppedException()) : Mono.empty()));
        }

        void commandStarted() {
            activeCommands.incrementAndGet();
            listener.onCommandStarted();
        }

        void commandEnded() {
            if (activeCommands.decrementAndGet() == 0 && terminated) {
                finished();
            }
        }

        void cancel() {
            cancelled = true;
        }

        /** The result Flux ended; the batch is finished once its last command has unwound too. */
        void terminated() {
            terminated = true;
            if (activeCommands.get() == 0) {
                finished();
            }
        }

        private void finished() {
            if (finished.compareAndSet(false, true)) {
                listener.onBatchFinished();
            }
        }

        Mono<Void> release(Permit permit, Signal signal, boolean success) {
            limit.release(permit, signal);
            listener.onAttemptFinished(success);
            return Mono.empty();
        }

        <T> BulkResult<T> finish(BulkResult<T> result) {
            if (options.stopOnError() && !result.isSuccess() && !stopped) {
                stopped = true;
                stop.tryEmitEmpty();
            }
            return result;
        }
    }

    /** Listeners whose exceptions are dropped, so that they can never cost a command its result. */
    private static final class SafeListener implements BulkListener {
        private final List<BulkListener> listeners;

        private SafeListener(List<BulkListener> listeners) {
            this.listeners = listeners;
        }

        static BulkListener of(List<BulkListener> listeners) {
            return new SafeListener(listeners);
        }

        private void each(Consumer<BulkListener> event) {
            for (BulkListener l : listeners) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    Operators.onErrorDropped(e, Context.empty());
                }
            }
        }

        @Override public void onBatchStarted(int maxInFlight) { each(l -> l.onBatchStarted(maxInFlight)); }
        @Override public void onCommandStarted() { each(BulkListener::onCommandStarted); }
        @Override public void onAttemptStarted(int attempt) { each(l -> l.onAttemptStarted(attempt)); }
        @Override public void onAttemptFinished(boolean success) { each(l -> l.onAttemptFinished(success)); }
        @Override public void onRetry(Throwable error, int attempt, Duration delay) { each(l -> l.onRetry(error, attempt, delay)); }
        @Override public void onLimitChanged(int newLimit) { each(l -> l.onLimitChanged(newLimit)); }
        @Override public void onResult(BulkResult<?> result) { each(l -> l.onResult(result)); }
        @Override public void onBatchFinished() { each(BulkListener::onBatchFinished); }
    }
}
