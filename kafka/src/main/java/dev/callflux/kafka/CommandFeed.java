package dev.callflux.kafka;

import dev.callflux.reactor.bulk.BulkCommand;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The commands read and not yet taken by the bulk run, and the run's demand: the {@code Publisher} side of the
 * worker. Commands are handed to the run only as far as it asks ({@link #drain()}, serialised, from any
 * thread), one partition's after another's in turn, so that one busy account (its partition) does not fill
 * the run while the others wait; the poll thread reads {@link #waiting()}, {@link #waiting(TopicPartition)}
 * and {@link #demand()} to pause and resume partitions.
 */
final class CommandFeed {

    /**
     * A command read and waiting for the run's demand; claimed once, by the run or by a revocation. A redirect
     * carries what records its intent: that happens only once the run asks for it, so a crash leaves
     * {@code SENDING} intents (answered {@code UNKNOWN} after it) only for redirects the run had taken.
     */
    private static final class Ready {
        final BulkCommand<Coordinates> command;
        final Consumer<Runnable> recordIntent;
        final AtomicBoolean claimed = new AtomicBoolean();

        Ready(BulkCommand<Coordinates> command, Consumer<Runnable> recordIntent) {
            this.command = command;
            this.recordIntent = recordIntent;
        }
    }

    /** Waiting commands, a queue per partition: the run takes them in turn, so every account gets its share. */
    private final Map<TopicPartition, PartitionQueue> ready = new ConcurrentHashMap<>();
    /** Redirects whose intent is acknowledged: the run's demand for them is already counted. */
    private final ConcurrentLinkedQueue<BulkCommand<Coordinates>> released = new ConcurrentLinkedQueue<>();
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
        enqueue(command, null);
    }

    /**
     * Adds a redirect: when the run asks for it, {@code recordIntent} is given what to run once its intent is
     * acknowledged (handing the redirect to the run).
     */
    void enqueueRedirect(BulkCommand<Coordinates> command, Consumer<Runnable> recordIntent) {
        enqueue(command, recordIntent);
    }

    private void enqueue(BulkCommand<Coordinates> command, Consumer<Runnable> recordIntent) {
        Coordinates at = command.correlation();
        PartitionQueue q = ready.computeIfAbsent(new TopicPartition(at.topic(), at.partition()), k -> new PartitionQueue());
        q.queue.add(new Ready(command, recordIntent));
        q.count.incrementAndGet();
        readyCount.incrementAndGet();
        drain();
    }

    /** One partition's waiting commands. */
    private static final class PartitionQueue {
        final ConcurrentLinkedQueue<Ready> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger count = new AtomicInteger();
    }

    /** Hands waiting commands to the bulk run, as far as its demand goes; from any thread, serialised. */
    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            FluxSink<BulkCommand<Coordinates>> s = sink;
            for (BulkCommand<Coordinates> c = s == null ? null : released.poll(); c != null; c = released.poll()) {
                s.next(c); // its demand was counted when its intent was asked for
            }
            // One command of each partition in turn, as far as the demand goes.
            boolean more = true;
            while (s != null && more && demand.get() > 0) {
                more = false;
                for (PartitionQueue q : ready.values()) {
                    if (demand.get() <= 0) {
                        break;
                    }
                    Ready r = q.queue.poll();
                    if (r == null) {
                        continue;
                    }
                    more = true;
                    if (!r.claimed.compareAndSet(false, true)) {
                        continue;
                    }
                    q.count.decrementAndGet();
                    readyCount.decrementAndGet();
                    demand.decrementAndGet();
                    if (r.recordIntent == null) {
                        s.next(r.command);
                    } else {
                        r.recordIntent.accept(() -> {
                            released.add(r.command);
                            drain();
                        });
                    }
                }
            }
        } while (wip.decrementAndGet() != 0);
        // No wakeup() here: the poll thread, polling briefly while partitions are paused, resumes them itself.
    }

    /**
     * Takes back the waiting commands of {@code partitions} (a waiting redirect has no intent yet: it goes back
     * too; one whose intent is being recorded runs), telling {@code dropped} the offset of each.
     */
    void dropWaiting(Set<TopicPartition> partitions, Consumer<Coordinates> dropped) {
        for (TopicPartition tp : partitions) {
            PartitionQueue q = ready.get(tp);
            if (q == null) {
                continue;
            }
            for (Ready r : q.queue) {
                if (r.claimed.compareAndSet(false, true)) {
                    q.queue.remove(r);
                    q.count.decrementAndGet();
                    readyCount.decrementAndGet();
                    dropped.accept(r.command.correlation());
                }
            }
        }
    }

    /** Commands waiting for the run's demand. */
    int waiting() {
        return readyCount.get();
    }

    /** Commands of {@code partition} waiting for the run's demand. */
    int waiting(TopicPartition partition) {
        PartitionQueue q = ready.get(partition);
        return q == null ? 0 : q.count.get();
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
