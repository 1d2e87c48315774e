package dev.callflux.reactor.bulk;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.ConcurrencyLimit.Permit;
import dev.callflux.reactor.bulk.ConcurrencyLimit.Signal;
import dev.callflux.reactor.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

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
 *
 * <p>Built for throughput: a batch is one subscriber of the source that merges the results itself (a
 * queue drained by whichever thread finds work, as {@code flatMap} does), and each command is one small
 * state machine ({@link Command}) rather than a chain of operators per command: it moves from waiting
 * for a permit to waiting for its rate slot, sending, deciding on a retry and waiting for it, under its
 * own lock, with the listener's events where the operator chain had them.
 */
public final class BulkEngine {

    private final CallFluxClient client;
    private final int poolSize;

    /**
     * @param client   the client that sends each command's requests
     * @param poolSize the client's connection pool size, or 0 if unknown; the concurrency never exceeds it
     */
    public BulkEngine(CallFluxClient client, int poolSize) {
        this.client = client;
        this.poolSize = poolSize;
    }

    /**
     * A cold batch: nothing is read or sent before subscription.
     *
     * @param <T>      the type of the commands' correlation values
     * @param commands the commands, read with backpressure
     * @param options  how the batch runs, not {@code null}
     * @return a {@code Flux} of exactly one result per command taken, in completion order; each subscription
     *         runs the batch anew
     */
    public <T> Flux<BulkResult<T>> run(Publisher<BulkCommand<T>> commands, BulkOptions options) {
        return new BatchFlux<>(client, poolSize, commands, options);
    }

    private static Signal signal(Throwable error) {
        return error instanceof TwilioApiException && ((TwilioApiException) error).isRateLimited()
                ? Signal.RATE_LIMITED : Signal.NEUTRAL;
    }

    /** The batch as a cold {@code Flux}: each subscription is a new {@link Batch}. */
    private static final class BatchFlux<T> extends Flux<BulkResult<T>> {
        private final CallFluxClient client;
        private final int poolSize;
        private final Publisher<BulkCommand<T>> commands;
        private final BulkOptions options;

        BatchFlux(CallFluxClient client, int poolSize, Publisher<BulkCommand<T>> commands, BulkOptions options) {
            this.client = client;
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
                batch = new Batch<>(client, options, poolSize, actual);
            } catch (RuntimeException e) {
                Operators.error(actual, e);
                return;
            }
            source.subscribe(batch);
        }
    }

    /**
     * One subscription of a batch: the source's subscriber, the subscriber's {@code Subscription}, and the
     * state its commands share. Results are queued by the commands (from any thread) and delivered by
     * {@link #drain()}, which also asks the source for one command per result delivered.
     */
    static final class Batch<T> implements CoreSubscriber<BulkCommand<T>>, Subscription {
        final CallFluxClient client;
        final BulkOptions options;
        final RetryPolicy policy;
        final int maxInFlight;
        final BulkListener listener;
        final ConcurrencyLimit limit;
        final RateLimit rate;
        private final CoreSubscriber<? super BulkResult<T>> actual;
        private final Queue<BulkResult<T>> results = Queues.<BulkResult<T>>unboundedMultiproducer().get();

        private volatile Subscription source;
        private volatile int wip;
        private volatile long requested;
        /** Commands taken and not yet unwound (their result queued, or cancelled). */
        private volatile int active;
        private volatile boolean sourceDone;
        private Throwable sourceError;
        volatile boolean stopped;
        volatile boolean cancelled;
        /** The error that tripped the fatal-error rule: nothing more is sent, every further command ends unsent. */
        volatile Throwable fatal;
        final FatalErrors fatalErrors;
        private volatile boolean terminated;
        private volatile int finished;
        /** Set by the draining thread once the terminal signal went out. */
        private boolean done;
        /** The subscription to {@link BulkOptions#stopWhen()}, if any. */
        private volatile Disposable stopSignal;

        /** The commands in flight, for cancellation: an intrusive list guarded by {@code this}. */
        private Command<T> head;

        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<Batch> WIP = AtomicIntegerFieldUpdater.newUpdater(Batch.class, "wip");
        @SuppressWarnings("rawtypes")
        private static final AtomicLongFieldUpdater<Batch> REQUESTED = AtomicLongFieldUpdater.newUpdater(Batch.class, "requested");
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<Batch> ACTIVE = AtomicIntegerFieldUpdater.newUpdater(Batch.class, "active");
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<Batch> FINISHED = AtomicIntegerFieldUpdater.newUpdater(Batch.class, "finished");

        Batch(CallFluxClient client, BulkOptions options, int poolSize, CoreSubscriber<? super BulkResult<T>> actual) {
            this.client = client;
            this.options = options;
            this.policy = options.retryPolicy();
            this.actual = actual;
            this.maxInFlight = poolSize > 0 ? Math.min(options.maxInFlight(), poolSize) : options.maxInFlight();
            this.listener = SafeListener.of(options.listeners());
            this.limit = new ConcurrencyLimit(maxInFlight, options.adaptive(), options.initialLimit(), listener::onLimitChanged);
            this.rate = RateLimit.of(options.ratePerSecond());
            this.fatalErrors = new FatalErrors(options.fatalErrorThreshold());
        }

        long now() {
            return Schedulers.parallel().now(TimeUnit.NANOSECONDS);
        }

        boolean stopping() {
            return stopped || cancelled || fatal != null;
        }

        /** The result of a command that was not sent because the batch is stopping. */
        BatchStoppedException stoppedError() {
            Throwable f = fatal;
            return f == null ? new BatchStoppedException() : new BatchStoppedException(f);
        }

        /** An attempt's answer came: the fatal-error rule counts it. */
        void answered() {
            fatalErrors.answered();
        }

        /**
         * An attempt failed: if that trips the fatal-error rule, nothing more is sent. Unlike {@link #stop()},
         * the source goes on being read, so that every command still gets its (unsent) result.
         */
        void attemptFailed(Throwable error) {
            Throwable tripped = fatalErrors.failed(error);
            if (tripped == null || fatal != null || stopped) {
                return;
            }
            fatal = tripped;
            for (Command<T> c : commands()) {
                c.stopNow();
            }
            drain();
        }

        // ---- the source ----

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(source, s)) {
                source = s;
                listener.onBatchStarted(maxInFlight);
                listener.onLimitChanged(limit.limit());
                actual.onSubscribe(this);
                Publisher<?> stopWhen = options.stopWhen();
                if (stopWhen != null && !cancelled) {
                    // Whatever the signal does (a value, completion, an error), the batch stops gracefully.
                    stopSignal = Mono.from(stopWhen).subscribe(v -> stop(), e -> stop(), this::stop);
                }
                if (!stopping()) {
                    s.request(maxInFlight);
                }
            }
        }

        @Override
        public void onNext(BulkCommand<T> command) {
            if (sourceDone || cancelled) {
                Operators.onDiscard(command, actual.currentContext());
                return;
            }
            ACTIVE.incrementAndGet(this);
            new Command<>(this, command).start();
        }

        @Override
        public void onError(Throwable t) {
            if (sourceDone) {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            sourceError = t;
            sourceDone = true;
            drain();
        }

        @Override
        public void onComplete() {
            if (sourceDone) {
                return;
            }
            sourceDone = true;
            drain();
        }

        /**
         * {@code stopOnError} or {@code stopWhen}: no further command is taken nor sent; requests in flight
         * finish, commands taken but not sent (waiting for a permit, a rate slot or a retry) end at once with
         * a {@link BatchStoppedException}, then the batch completes.
         */
        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            if (!sourceDone) {
                sourceDone = true;
                Subscription s = source;
                if (s != null) {
                    s.cancel();
                }
            }
            for (Command<T> c : commands()) {
                c.stopNow();
            }
            drain();
        }

        private List<Command<T>> commands() {
            List<Command<T>> list = new ArrayList<>();
            synchronized (this) {
                for (Command<T> c = head; c != null; c = c.next) {
                    list.add(c);
                }
            }
            return list;
        }

        // ---- the subscriber's Subscription ----

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                drain();
            }
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            // First: nothing may start while the batch unwinds.
            cancelled = true;
            Subscription s = source;
            if (s != null) {
                s.cancel();
            }
            for (Command<T> c : commands()) {
                c.cancel();
            }
            if (WIP.getAndIncrement(this) == 0) {
                results.clear();
            }
            terminated();
        }

        // ---- the commands ----

        /** @return false if the batch was cancelled: the command must not start */
        boolean register(Command<T> c) {
            synchronized (this) {
                if (cancelled) {
                    return false;
                }
                c.next = head;
                if (head != null) {
                    head.prev = c;
                }
                head = c;
                c.registered = true;
                return true;
            }
        }

        private void unregister(Command<T> c) {
            synchronized (this) {
                if (!c.registered) {
                    return;
                }
                c.registered = false;
                if (c.prev != null) {
                    c.prev.next = c.next;
                } else {
                    head = c.next;
                }
                if (c.next != null) {
                    c.next.prev = c.prev;
                }
                c.prev = null;
                c.next = null;
            }
        }

        /** A command's one result. */
        void emit(Command<T> c, BulkResult<T> result) {
            unregister(c);
            if (options.stopOnError() && !result.isGoalReached()) {
                stop();
            }
            results.offer(result);
            commandEnded();
            drain();
        }

        /** A command unwound without a result: the batch was cancelled. */
        void cancelled(Command<T> c) {
            unregister(c);
            commandEnded();
        }

        private void commandEnded() {
            if (ACTIVE.decrementAndGet(this) == 0 && terminated) {
                finished();
            }
        }

        /** The result Flux ended; the batch is finished once its last command has unwound too. */
        private void terminated() {
            terminated = true;
            Disposable signal = stopSignal;
            if (signal != null) {
                signal.dispose();
            }
            if (active == 0) {
                finished();
            }
        }

        private void finished() {
            if (FINISHED.compareAndSet(this, 0, 1)) {
                listener.onBatchFinished();
            }
        }

        private void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            CoreSubscriber<? super BulkResult<T>> a = actual;
            Queue<BulkResult<T>> q = results;
            for (;;) {
                if (cancelled) {
                    q.clear();
                    return;
                }
                long r = requested;
                long e = 0;
                while (e != r) {
                    BulkResult<T> v = q.poll();
                    if (v == null) {
                        break;
                    }
                    // Counted as delivered, so a listener's totals match what the subscriber received.
                    listener.onResult(v);
                    a.onNext(v);
                    e++;
                    if (cancelled) {
                        q.clear();
                        return;
                    }
                }
                if (e != 0) {
                    if (r != Long.MAX_VALUE) {
                        REQUESTED.addAndGet(this, -e);
                    }
                    if (!sourceDone) {
                        // One command taken per result delivered: never more than maxInFlight ahead.
                        source.request(e);
                    }
                }
                if (sourceDone && active == 0 && q.isEmpty() && !done) {
                    done = true;
                    Throwable error = sourceError;
                    if (error != null) {
                        a.onError(error);
                    } else {
                        a.onComplete();
                    }
                    terminated();
                    return;
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    break;
                }
            }
        }
    }

    /**
     * One command's life: {@code NEW} → (waits for a permit) {@code ACQUIRING} → (waits for its rate slot)
     * {@code SLOT} → {@code READY} → {@code SENDING} → {@code DONE}, or after a failure {@code DECIDING} →
     * {@code BACKOFF} → {@code ACQUIRING} again. {@code CANCELLED} from anywhere. Transitions happen under
     * the command's lock; callbacks (the limit, the listener, the request) run outside it. Whoever takes
     * the permit out of the {@code permit} field hands it back.
     */
    static final class Command<T> implements CoreSubscriber<Call>, ConcurrencyLimit.Waiter, Runnable {
        private static final int NEW = 0;
        private static final int ACQUIRING = 1;
        private static final int SLOT = 2;
        private static final int READY = 3;
        private static final int SENDING = 4;
        private static final int DECIDING = 5;
        private static final int BACKOFF = 6;
        private static final int DONE = 7;
        private static final int CANCELLED = 8;
        private static final int QUEUED = 9;
        static final boolean HOP = !Boolean.getBoolean("callflux.nohop");

        private final Batch<T> batch;
        private final BulkCommand<T> command;
        private int state = NEW;
        private long start;
        private CallSid callSid;
        private AccountSid account;
        private int attempts;
        private int rateLimited;
        private Permit permit;
        private Subscription request;
        private Disposable timer;
        private Call call;
        // The batch's list of commands in flight (guarded by the batch).
        Command<T> prev;
        Command<T> next;
        boolean registered;

        Command(Batch<T> batch, BulkCommand<T> command) {
            this.batch = batch;
            this.command = command;
        }

        void start() {
            batch.listener.onCommandStarted();
            start = batch.now();
            try {
                callSid = CallSid.of(command.callSid());
            } catch (InvalidRequestException e) {
                state = DONE;
                batch.emit(this, BulkResult.failure(command.correlation(), command.callSid(), e, 0, Duration.ZERO));
                return;
            }
            if (batch.fatal != null) {
                state = DONE;
                batch.emit(this, failure(batch.stoppedError()));
                return;
            }
            account = command.accountSid() != null ? command.accountSid() : batch.client.accountSid();
            if (!batch.register(this)) {
                state = CANCELLED;
                batch.cancelled(this);
                return;
            }
            acquire();
        }

        /** Waits for a permit (or takes one at once). */
        private void acquire() {
            synchronized (this) {
                if (state == CANCELLED) {
                    return;
                }
                state = ACQUIRING;
            }
            Permit p = batch.limit.tryAcquire(this);
            if (p != null) {
                onPermit(p);
            }
        }

        @Override
        public void onPermit(Permit p) {
            RateLimit rate = batch.rate;
            long wait = rate == null ? 0 : rate.reserveNanos();
            boolean taken;
            synchronized (this) {
                taken = state == ACQUIRING;
                if (taken) {
                    permit = p;
                    state = wait > 0 ? SLOT : READY;
                }
            }
            if (!taken) {
                // Cancelled while waiting: the permit never reached the command, hand it back as it came.
                batch.limit.release(p, Signal.NEUTRAL);
                return;
            }
            if (wait > 0) {
                Disposable d = Schedulers.parallel().schedule(this, wait, TimeUnit.NANOSECONDS);
                synchronized (this) {
                    if (state == SLOT) {
                        timer = d;
                        return;
                    }
                }
                d.dispose();
                return;
            }
            attempt();
        }

        /** The rate slot has come, or the retry's wait is over. */
        @Override
        public void run() {
            int s;
            synchronized (this) {
                s = state;
                if (s == SLOT) {
                    state = READY;
                    timer = null;
                } else if (s == QUEUED) {
                    state = READY;
                } else if (s == BACKOFF) {
                    timer = null;
                } else {
                    return;
                }
            }
            if (s == SLOT) {
                attempt();
            } else if (s == QUEUED) {
                send();
            } else {
                acquire();
            }
        }

        /**
         * Holding a permit: on an event loop, the request starts from a task of that loop (right after the
         * loop's current work, typically the responses it is reading), elsewhere at once.
         */
        private void attempt() {
            EventExecutor loop = HOP ? ThreadExecutorMap.currentExecutor() : null;
            if (loop == null) {
                send();
                return;
            }
            synchronized (this) {
                if (state != READY) {
                    return;
                }
                state = QUEUED;
            }
            loop.execute(this);
        }

        /** A last look at whether the batch is stopping, then the request. */
        private void send() {
            Permit p = null;
            synchronized (this) {
                if (state != READY) {
                    return; // cancelled, and the permit was handed back by cancel()
                }
                if (batch.stopping()) {
                    state = DONE;
                    p = permit;
                    permit = null;
                } else {
                    state = SENDING;
                    attempts++;
                    call = null;
                    batch.listener.onAttemptStarted(attempts);
                }
            }
            if (p != null) {
                batch.limit.release(p, Signal.NEUTRAL);
                finish(failure(batch.stoppedError()));
                return;
            }
            batch.client.update(account, callSid, command.request()).subscribe(this);
        }

        // ---- the request ----

        @Override
        public Context currentContext() {
            return batch.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            boolean cancel;
            synchronized (this) {
                cancel = state != SENDING;
                if (!cancel) {
                    request = s;
                }
            }
            if (cancel) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(Call value) {
            call = value;
        }

        @Override
        public void onComplete() {
            Permit p;
            Call c;
            synchronized (this) {
                if (state != SENDING) {
                    return;
                }
                state = DONE;
                p = permit;
                permit = null;
                request = null;
                c = call;
                call = null;
            }
            batch.limit.release(p, Signal.SUCCESS);
            batch.answered();
            batch.listener.onAttemptFinished(true);
            finish(c != null
                    ? BulkResult.success(command.correlation(), command.callSid(), c, attempts, elapsed())
                    : failure(new IllegalStateException("the update completed without a response")));
        }

        @Override
        public void onError(Throwable error) {
            Signal signal = signal(error);
            Permit p;
            synchronized (this) {
                if (state != SENDING) {
                    return;
                }
                state = DECIDING;
                p = permit;
                permit = null;
                request = null;
                if (signal == Signal.RATE_LIMITED) {
                    rateLimited++;
                }
            }
            batch.limit.release(p, signal);
            batch.attemptFailed(error);
            batch.listener.onAttemptFinished(false);
            retryOrFail(error);
        }

        private void retryOrFail(Throwable error) {
            if (!batch.stopping()) { // no resends once the batch is stopping
                Optional<Duration> delay = batch.policy.nextDelay(command.request(), error, attempts, rateLimited, elapsed());
                if (delay.isPresent()) {
                    Duration d = delay.get();
                    batch.listener.onRetry(error, attempts, d);
                    if (d.isZero()) {
                        acquire();
                        return;
                    }
                    synchronized (this) {
                        if (state != DECIDING) {
                            return;
                        }
                        state = BACKOFF;
                    }
                    Disposable t = Schedulers.parallel().schedule(this, d.toNanos(), TimeUnit.NANOSECONDS);
                    synchronized (this) {
                        if (state == BACKOFF && timer == null) {
                            timer = t;
                            return;
                        }
                    }
                    t.dispose(); // cancelled or stopped meanwhile (or already run: then disposing does nothing)
                    return;
                }
            }
            synchronized (this) {
                if (state != DECIDING) {
                    return;
                }
                state = DONE;
            }
            finish(failure(error));
        }

        /** The batch is stopping: a command not sent yet (waiting for a permit, its slot or a retry) ends now. */
        void stopNow() {
            Permit p = null;
            Disposable t = null;
            boolean end = false;
            synchronized (this) {
                switch (state) {
                    case ACQUIRING:
                        // If it is no longer waiting, a permit is on its way and attempt() sees the batch stopping.
                        if (batch.limit.cancel(this)) {
                            state = DONE;
                            end = true;
                        }
                        break;
                    case SLOT:
                    case QUEUED:
                        state = DONE;
                        p = permit;
                        permit = null;
                        t = timer;
                        timer = null;
                        end = true;
                        break;
                    case BACKOFF:
                        state = DONE;
                        t = timer;
                        timer = null;
                        end = true;
                        break;
                    default:
                        break;
                }
            }
            if (t != null) {
                t.dispose();
            }
            if (p != null) {
                batch.limit.release(p, Signal.NEUTRAL);
            }
            if (end) {
                finish(failure(batch.stoppedError()));
            }
        }

        /** The batch is cancelled: the request in flight is cancelled, nothing further starts. */
        void cancel() {
            int s;
            Permit p;
            Subscription r;
            Disposable t;
            synchronized (this) {
                s = state;
                if (s == DONE || s == CANCELLED) {
                    return;
                }
                state = CANCELLED;
                p = permit;
                permit = null;
                r = request;
                request = null;
                t = timer;
                timer = null;
            }
            if (t != null) {
                t.dispose();
            }
            if (s == ACQUIRING) {
                // If it is no longer waiting, a permit is on its way: onPermit hands it back.
                batch.limit.cancel(this);
            }
            if (r != null) {
                r.cancel();
            }
            if (p != null) {
                batch.limit.release(p, Signal.NEUTRAL);
            }
            if (s == SENDING) {
                batch.listener.onAttemptFinished(false);
            }
            batch.cancelled(this);
        }

        private Duration elapsed() {
            return Duration.ofNanos(batch.now() - start);
        }

        private BulkResult<T> failure(Throwable error) {
            return BulkResult.failure(command.correlation(), command.callSid(), command.request(), error, attempts, elapsed());
        }

        private void finish(BulkResult<T> result) {
            batch.emit(this, result);
        }
    }

    /** Listeners whose exceptions are dropped, so that they can never cost a command its result. */
    private static final class SafeListener implements BulkListener {
        private static final BulkListener NONE = new BulkListener() {
        };

        private final BulkListener[] listeners;

        private SafeListener(List<BulkListener> listeners) {
            this.listeners = listeners.toArray(new BulkListener[0]);
        }

        static BulkListener of(List<BulkListener> listeners) {
            return listeners.isEmpty() ? NONE : new SafeListener(listeners);
        }

        private static void dropped(RuntimeException e) {
            Operators.onErrorDropped(e, Context.empty());
        }

        @Override
        public void onBatchStarted(int maxInFlight) {
            for (BulkListener l : listeners) {
                try {
                    l.onBatchStarted(maxInFlight);
                } catch (RuntimeException e) {
                    dropped(e);
                }
            }
        }

        @Override
        public void onCommandStarted() {
            for (BulkListener l : listeners) {
                try {
                    l.onCommandStarted();
                } catch (RuntimeException e) {
                    dropped(e);
                }
            }
        }

        @Override
        public void onAttemptStarted(int attempt) {
            for (BulkListener l : listeners) {
                try {
                    l.onAttemptStarted(attempt);
                } catch (RuntimeException e) {
                    dropped(e);
                }
            }
        }

        @Override
        public void onAttemptFinished(boolean success) {
            for (BulkListener l : listeners) {
                try {
                    l.onAttemptFinished(success);
                } catch (RuntimeException e) {
                    dropped(e);
                }
            }
        }

        @Override
        public void onRetry(Throwable error, int attempt, Duration delay) {
            for (BulkListener l : listeners) {
                try {
                    l.onRetry(error, attempt, delay);
                } catch (RuntimeException e) {
                    dropped(e);
                }
            }
        }

        @Override
        public void onLimitChanged(int newLimit) {
            for (BulkListener l : listeners) {
                try {
                    l.onLimitChanged(newLimit);
                } catch (RuntimeException e) {
                    dropped(e);
                }
            }
        }

        @Override
        public void onResult(BulkResult<?> result) {
            for (BulkListener l : listeners) {
                try {
                    l.onResult(result);
                } catch (RuntimeException e) {
                    dropped(e);
                }
            }
        }

        @Override
        public void onBatchFinished() {
            for (BulkListener l : listeners) {
                try {
                    l.onBatchFinished();
                } catch (RuntimeException e) {
                    dropped(e);
                }
            }
        }
    }
}
