package dev.callflux.reactor.bulk;

import dev.callflux.reactor.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * One subscription of a batch: the source's subscriber, the subscriber's {@code Subscription}, and the
 * state its commands share. Results are queued by the commands (from any thread) and delivered by
 * {@link #drain()}, which also asks the source for one command per result delivered.
 */
final class Batch<T> implements CoreSubscriber<BulkCommand<T>>, Subscription {
    final BulkEngine<T> engine;
    final BulkOptions options;
    final RetryPolicy policy;
    final int maxInFlight;
    final Listeners listeners;
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

    Batch(BulkEngine<T> engine, BulkOptions options, int maxInFlight, CoreSubscriber<? super BulkResult<T>> actual) {
        this.engine = engine;
        this.options = options;
        this.policy = options.retryPolicy();
        this.actual = actual;
        this.maxInFlight = maxInFlight;
        this.listeners = new Listeners(options.listeners());
        this.limit = new ConcurrencyLimit(maxInFlight, options.adaptive(), options.initialLimit(),
                n -> listeners.forEach(l -> l.onLimitChanged(n)));
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
            int initial = limit.limit();
            listeners.forEach(l -> l.onBatchStarted(maxInFlight));
            listeners.forEach(l -> l.onLimitChanged(initial));
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
            listeners.forEach(BulkListener::onBatchFinished);
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
                listeners.forEach(l -> l.onResult(v));
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
