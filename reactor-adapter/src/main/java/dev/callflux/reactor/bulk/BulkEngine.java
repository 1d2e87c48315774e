package dev.callflux.reactor.bulk;

import dev.callflux.core.model.AccountSid;
import dev.callflux.reactor.internal.CallUpdater;
import dev.callflux.reactor.internal.EventLoops;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * A batch of updates as a cold {@code Flux}: commands in, exactly one {@link BulkResult} out per command
 * taken from the source; each subscription is a new {@link Batch}. Reached through
 * {@link BulkOptions#run(Publisher, BulkOptions, CallUpdater, AccountSid, int, EventLoops)}, which is how
 * {@code CallFluxClient.updateAll} runs it.
 *
 * <p>Flow: the source is read with backpressure, at most {@code maxInFlight} commands ahead of the
 * results the subscriber has taken; each command waits for a permit of the {@link ConcurrencyLimit} (and
 * a slot of the {@link RateLimit}), sends one request, and hands the permit back with what the answer said
 * about Twilio's limit; the {@link dev.callflux.reactor.retry.RetryPolicy} alone decides whether to resend,
 * and after how long. The subscriber cancelling cancels the requests in flight. A source error is delivered
 * after the commands already taken have their results.
 *
 * <p>Hand-written for CPU: a batch is one subscriber of the source that merges the results itself
 * ({@link Batch}: a queue drained by whichever thread finds work, as {@code flatMap} does), and each command
 * is one small state machine ({@link Command}) rather than a chain of operators per command. A batch on
 * {@code flatMapDelayError} passed every test but cost about 6 % more CPU per call ({@code LoadComparison}
 * case 2), mostly {@code flatMap}'s drain loop, which scans every inner subscriber on each drain.
 * {@code BulkEngineTckTest} holds it to the Reactive Streams rules.
 */
final class BulkEngine<T> extends Flux<BulkResult<T>> {

    final CallUpdater updater;
    final AccountSid defaultAccount;
    final EventLoops loops;
    private final int poolSize;
    private final Publisher<BulkCommand<T>> commands;
    private final BulkOptions options;

    /**
     * @param updater        sends one request
     * @param defaultAccount the account of commands that name none
     * @param poolSize       the client's connection pool size, or 0 if unknown; the concurrency never exceeds it
     * @param loops          the event loops the client's connections run on
     */
    BulkEngine(CallUpdater updater, AccountSid defaultAccount, int poolSize, EventLoops loops,
               Publisher<BulkCommand<T>> commands, BulkOptions options) {
        this.updater = updater;
        this.defaultAccount = defaultAccount;
        this.loops = loops;
        this.poolSize = poolSize;
        this.commands = commands;
        this.options = options;
    }

    @Override
    public void subscribe(CoreSubscriber<? super BulkResult<T>> actual) {
        Flux<BulkCommand<T>> source;
        Batch<T> batch;
        try {
            source = Flux.from(commands);
            int maxInFlight = poolSize > 0 ? Math.min(options.maxInFlight(), poolSize) : options.maxInFlight();
            batch = new Batch<>(this, options, maxInFlight, actual);
        } catch (RuntimeException e) {
            Operators.error(actual, e);
            return;
        }
        source.subscribe(batch);
    }
}
