package dev.callflux.kafka;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A worker's life: started, stopping (asked to, or failed), stopped, and the failure that stopped it. Shared
 * by every part of the worker; {@link #fail(Throwable)} may be called from any thread and wakes the poll
 * thread (the one {@code wakeup()} the worker ever makes: demand never does).
 */
final class WorkerState {

    private static final System.Logger LOG = System.getLogger(CallFluxKafkaWorker.class.getName());

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Duration stopTimeout = Duration.ofSeconds(30);
    private volatile Runnable wakeup = () -> { };

    /** Marks the worker started; {@code false} if it was before. */
    boolean start() {
        return started.compareAndSet(false, true);
    }

    boolean started() {
        return started.get();
    }

    /** What a stop or a failure calls to get the poll thread out of its poll ({@code consumer::wakeup}). */
    void onStop(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** Asks for a graceful stop giving in-flight commands {@code timeout}; {@code false} if one was asked already. */
    boolean stop(Duration timeout) {
        if (stopping.get()) {
            return false;
        }
        stopTimeout = timeout; // before stopping is seen: the poll thread reads it once it sees stopping
        if (!stopping.compareAndSet(false, true)) {
            return false;
        }
        wakeup.run();
        return true;
    }

    /** Records the first failure and stops the worker. */
    void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) {
            LOG.log(System.Logger.Level.ERROR, "worker stopping: " + t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        if (stopping.compareAndSet(false, true)) {
            wakeup.run();
        }
    }

    boolean stopping() {
        return stopping.get();
    }

    Duration stopTimeout() {
        return stopTimeout;
    }

    Throwable failure() {
        return failure.get();
    }

    /** Called once by the poll thread when everything is closed. */
    void stopped() {
        stopped.countDown();
    }

    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    boolean running() {
        return started.get() && stopped.getCount() > 0 && !stopping.get();
    }
}
