package dev.callflux.kafka;

import dev.callflux.reactor.bulk.BulkCommand;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The commands read and not yet taken by the bulk run, and the run's demand: the {@code Publisher} side of the
 * worker. Commands are handed to the run only as far as it asks ({@link #drain()}, serialised, from any
 * thread); the poll thread reads {@link #waiting()} and {@link #demand()} to pause and resume partitions.
 */
final class CommandFeed {

    /** A command read and waiting for the run's demand; claimed once, by the run or by a revocation. */
    private static final class Ready {
        final BulkCommand<Coordinates> command;
        final AtomicBoolean claimed = new AtomicBoolean();

        Ready(BulkCommand<Coordinates> command) {
            this.command = command;
        }
    }

    private final ConcurrentLinkedQueue<Ready> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readyCount = new AtomicInteger();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile FluxSink<BulkCommand<Coordinates>> sink;

    /**
     * The commands, as the bulk run's source; subscribe once.
     *
     * @param onCancel called if the run cancels its source (it stopped taking commands)
     */
    Flux<BulkCommand<Coordinates>> commands(Runnable onCancel) {
        return Flux.create(s -> {
            sink = s;
            s.onRequest(n -> {
                demand.getAndAccumulate(n, (a, x) -> a + x < 0 ? Long.MAX_VALUE : a + x);
                drain();
            });
            s.onCancel(onCancel::run);
        });
    }

    /** Adds a command behind those waiting and hands what the demand allows to the run; from any thread. */
    void enqueue(BulkCommand<Coordinates> command) {
        ready.add(new Ready(command));
        readyCount.incrementAndGet();
        drain();
    }

    /** Hands waiting commands to the bulk run, as far as its demand goes; from any thread, serialised. */
    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            FluxSink<BulkCommand<Coordinates>> s = sink;
            while (s != null && demand.get() > 0) {
                Ready r = ready.poll();
                if (r == null) {
                    break;
                }
                if (!r.claimed.compareAndSet(false, true)) {
                    continue;
                }
                readyCount.decrementAndGet();
                demand.decrementAndGet();
                s.next(r.command);
            }
        } while (wip.decrementAndGet() != 0);
        // No wakeup() here: the poll thread, polling briefly while partitions are paused, resumes them itself.
    }

    /**
     * Takes back the waiting hang-ups of {@code partitions} (waiting redirects, whose intent is written, still
     * run), telling {@code dropped} the offset of each.
     */
    void dropWaiting(Set<TopicPartition> partitions, java.util.function.Consumer<Coordinates> dropped) {
        for (Ready r : ready) {
            Coordinates at = r.command.correlation();
            TopicPartition tp = new TopicPartition(at.topic(), at.partition());
            if (!at.redirect() && partitions.contains(tp) && r.claimed.compareAndSet(false, true)) {
                ready.remove(r);
                readyCount.decrementAndGet();
                dropped.accept(at);
            }
        }
    }

    /** Commands waiting for the run's demand. */
    int waiting() {
        return readyCount.get();
    }

    /** Commands the run asked for and has not been given. */
    long demand() {
        return demand.get();
    }

    /** Ends the run's source: no more commands. */
    void complete() {
        FluxSink<BulkCommand<Coordinates>> s = sink;
        if (s != null) {
            s.complete();
        }
    }

    @Override
    public String toString() {
        return "demand=" + demand.get() + ", waiting=" + readyCount.get();
    }
}
