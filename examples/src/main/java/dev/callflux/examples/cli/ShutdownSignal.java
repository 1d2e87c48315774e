package dev.callflux.examples.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Ctrl-C or SIGTERM during a command's run: a shutdown hook that asks the run to stop and keeps the JVM alive
 * while the run finishes gracefully (the hook's action decides how long), until {@link #close()} says the run
 * is done. Closing removes the hook when the JVM is not already shutting down.
 */
final class ShutdownSignal implements AutoCloseable {

    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean received = new AtomicBoolean();
    private final Thread hook;

    /** @param onSignal runs on the hook's thread: asks the run to stop, then waits with {@link #awaitFinished} */
    ShutdownSignal(Consumer<ShutdownSignal> onSignal) {
        hook = new Thread(() -> {
            received.set(true);
            onSignal.accept(this);
        }, "callflux-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** @return whether Ctrl-C or SIGTERM came */
    boolean received() {
        return received.get();
    }

    /** @return true if the run finished within {@code millis} */
    boolean awaitFinished(long millis) {
        try {
            return finished.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The run is done: a hook that is running lets the JVM exit now. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for the latch just released
        }
    }
}
