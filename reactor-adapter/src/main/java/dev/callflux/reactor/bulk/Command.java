package dev.callflux.reactor.bulk;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.reactor.bulk.ConcurrencyLimit.Permit;
import dev.callflux.reactor.bulk.ConcurrencyLimit.Signal;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * One command's life: {@code NEW} → (waits for a permit) {@code ACQUIRING} → (waits for its rate slot)
 * {@code SLOT} → {@code READY} → {@code SENDING} → {@code DONE}, or after a failure {@code DECIDING} →
 * {@code BACKOFF} → {@code ACQUIRING} again. {@code CANCELLED} from anywhere. Transitions happen under
 * the command's lock; callbacks (the limit, the listener, the request) run outside it. Whoever takes
 * the permit out of the {@code permit} field hands it back.
 */
final class Command<T> implements CoreSubscriber<Call>, ConcurrencyLimit.Waiter, Runnable {
    private static final int NEW = 0;
    private static final int ACQUIRING = 1;
    private static final int SLOT = 2;
    private static final int READY = 3;
    private static final int SENDING = 4;
    private static final int DECIDING = 5;
    private static final int BACKOFF = 6;
    private static final int DONE = 7;
    private static final int CANCELLED = 8;

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
        batch.listeners.forEach(BulkListener::onCommandStarted);
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
        account = command.accountSid() != null ? command.accountSid() : batch.engine.defaultAccount;
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

    /** The rate slot has come, the retry's wait is over, or the event loop runs the request it was handed. */
    @Override
    public void run() {
        int s;
        synchronized (this) {
            s = state;
            if (s == SLOT) {
                state = READY;
            }
            if (s == SLOT || s == BACKOFF) {
                timer = null;
            }
        }
        if (s == SLOT) {
            attempt();
        } else if (s == READY) {
            send();
        } else if (s == BACKOFF) {
            acquire();
        }
    }

    /**
     * Holding a permit. On one of the client's event loops (a permit handed on by an exchange that just ended)
     * the request starts from a new task of that loop, after the work it is doing, so the ending exchange has
     * returned or closed its connection before the next request asks the pool for one. Sent inline instead,
     * a batch with injected resets waited forever (BulkUpdateTest's 5xx-and-resets batch: a hang within 20
     * repetitions, none in 20 with this hop). Elsewhere (the source's thread, a timer) at once.
     */
    private void attempt() {
        EventExecutor loop = batch.engine.loops.current();
        if (loop == null) {
            send();
        } else {
            loop.execute(this);
        }
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
                int n = attempts;
                batch.listeners.forEach(l -> l.onAttemptStarted(n));
            }
        }
        if (p != null) {
            batch.limit.release(p, Signal.NEUTRAL);
            finish(failure(batch.stoppedError()));
            return;
        }
        batch.engine.updater.update(account, callSid, command.request()).subscribe(this);
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
        batch.listeners.forEach(l -> l.onAttemptFinished(true));
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
        batch.listeners.forEach(l -> l.onAttemptFinished(false));
        retryOrFail(error);
    }

    private void retryOrFail(Throwable error) {
        if (!batch.stopping()) { // no resends once the batch is stopping
            Optional<Duration> delay;
            try {
                delay = batch.policy.nextDelay(command.request(), error, attempts, rateLimited, elapsed());
            } catch (RuntimeException policyBug) {
                // A Backoff of the application's that throws or answers null: not resent, and the command still
                // gets its one result, the attempt's error with the bug attached.
                error.addSuppressed(policyBug);
                delay = Optional.empty();
            }
            if (delay.isPresent()) {
                Duration d = delay.get();
                int n = attempts;
                batch.listeners.forEach(l -> l.onRetry(error, n, d));
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
                case READY:
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
            batch.listeners.forEach(l -> l.onAttemptFinished(false));
        }
        batch.cancelled(this);
    }

    /**
     * What a failed attempt says about Twilio's concurrency limit: a 429 lowers it; any other answer below 500
     * but 401/403 (an ended call's 21220, a 404) was served within the limit, so it may grow as on a success (a
     * rerun over ended calls would otherwise stay at the initial limit); 5xx, auth and transport errors say nothing.
     */
    private static Signal signal(Throwable error) {
        if (!(error instanceof TwilioApiException)) {
            return Signal.NEUTRAL;
        }
        TwilioApiException api = (TwilioApiException) error;
        int status = api.statusCode();
        if (api.isRateLimited()) {
            return Signal.RATE_LIMITED;
        }
        return status >= 400 && status < 500 && status != 401 && status != 403 ? Signal.SUCCESS : Signal.NEUTRAL;
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
