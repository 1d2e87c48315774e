package dev.callflux.kafka;

import dev.callflux.reactor.bulk.BulkCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The poll thread ({@code callflux-kafka-poll}) and everything it owns: the {@link KafkaConsumer}, the
 * progress of each assigned partition and the intents read for them. It polls, turns each record into a
 * command (or a result at once: a bad record, a redirect already recorded), pauses a partition once its share
 * of the read-ahead waits and every partition while a poll's worth waits that the bulk run has not asked for,
 * resumes each at half (polling briefly meanwhile: it is never woken for demand), and commits each partition up
 * to its first record without an acknowledged result.
 */
final class PollLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(CallFluxKafkaWorker.class.getName());
    /** How long the poll thread polls while partitions are paused, before it checks the run's demand again. */
    private static final Duration PAUSED_POLL = Duration.ofMillis(20);
    /** Async commits at most this often (small polls come many a second); revocations and stops commit at once. */
    private static final long COMMIT_EVERY_NANOS = 50_000_000L;

    private final WorkerConfig config;
    private final WorkerState state;
    private final CommandFeed feed;
    private final ResultWriter writer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final IntentStore intents;
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final AtomicLong taken = new AtomicLong();
    private final Runnable onClose;

    private volatile boolean holding;
    private volatile long polls;
    private volatile long pausedPolls;
    private volatile int maxBatch;
    private volatile String partitions = "";
    private long lastSnapshot;
    private long lastCommit;

    /**
     * @param onClose what the worker closes once the consumer has left the group (the bulk run, the writer)
     */
    PollLoop(WorkerConfig config, WorkerState state, CommandFeed feed, ResultWriter writer, Runnable onClose) {
        this.config = config;
        this.state = state;
        this.feed = feed;
        this.writer = writer;
        this.onClose = onClose;
        this.consumer = new KafkaConsumer<>(config.consumerProps());
        this.intents = new IntentStore(config.intentsTopic(), config.consumerProps());
        state.onStop(consumer::wakeup);
    }

    @Override
    public void run() {
        try {
            checkIntentsTopic();
            consumer.subscribe(List.of(config.commandsTopic()), new RebalanceListener(this));
            while (!state.stopping()) {
                takeCompletions();
                if (System.nanoTime() - lastCommit > COMMIT_EVERY_NANOS) {
                    lastCommit = System.nanoTime();
                    commit(false, progress.keySet());
                }
                pauseOrResume();
                ConsumerRecords<byte[], byte[]> records;
                try {
                    // While anything is paused, a short poll: the next pass resumes what the run has made room for.
                    records = consumer.poll(consumer.paused().isEmpty() ? config.pollTimeout() : PAUSED_POLL);
                } catch (WakeupException e) {
                    continue; // a stop: the loop ends
                }
                polls++;
                if (!consumer.paused().isEmpty()) {
                    pausedPolls++;
                }
                maxBatch = Math.max(maxBatch, records.count());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    take(r);
                }
                feed.drain();
                snapshot();
            }
            shutdown();
        } catch (Throwable t) {
            state.fail(t);
            try {
                shutdown();
            } catch (Throwable t2) {
                t.addSuppressed(t2);
            }
        } finally {
            state.stopped();
        }
    }

    private void checkIntentsTopic() {
        List<PartitionInfo> commandParts = consumer.partitionsFor(config.commandsTopic());
        List<PartitionInfo> intentParts = consumer.partitionsFor(config.intentsTopic());
        int c = commandParts == null ? 0 : commandParts.size();
        int i = intentParts == null ? 0 : intentParts.size();
        if (i < c) {
            throw new IllegalStateException("the intents topic " + config.intentsTopic() + " has " + i
                    + " partitions; it needs at least as many as the commands topic " + config.commandsTopic() + " (" + c + ")");
        }
    }

    /** Everything taken finishes (bounded), is committed, and the consumer leaves the group. */
    private void shutdown() {
        holding = false;
        Set<TopicPartition> all = new HashSet<>(progress.keySet());
        awaitIdle(all, state.stopTimeout());
        feed.complete();
        try {
            commit(true, all);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "final commit failed: " + e.getClass().getSimpleName());
        }
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } finally {
            onClose.run();
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        taken.incrementAndGet();
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        progress.computeIfAbsent(tp, k -> new PartitionProgress()).taken(r.offset());
        ParsedCommand c = CommandCodec.parse(r.topic(), r.partition(), r.offset(), r.key(), r.value());
        if (!c.isValid()) {
            writer.write(c.at(), CommandCodec.refused(c), false);
            return;
        }
        if (c.isRedirect()) {
            byte[] prior = intents.prior(r.partition(), c.at().commandId());
            if (prior != null && !c.resendAllowed()) {
                byte[] stored = CommandCodec.storedResult(prior);
                writer.write(c.at(), stored.length > 0 ? stored : CommandCodec.inDoubt(c), false);
                return;
            }
            // its intent is recorded when the run asks for it, not now: see CommandFeed
            feed.enqueueRedirect(command(c), thenSend -> writer.writeIntent(c.at(), thenSend));
            return;
        }
        feed.enqueue(command(c));
    }

    private static BulkCommand<Coordinates> command(ParsedCommand c) {
        BulkCommand<Coordinates> command = BulkCommand.of(c.callSid(), c.request(), c.at());
        return c.account() != null ? command.inAccount(c.account()) : command;
    }

    private void pauseOrResume() {
        Set<TopicPartition> assigned = consumer.assignment();
        int limit = config.bufferLimit();
        int waiting = feed.waiting();
        // Hysteresis: hold once a poll's worth waits that the run has not asked for; let go at half of it.
        // (Pausing at every momentary lack of demand makes the consumer drop and refetch, and crawls.)
        boolean hold = holding ? waiting > limit / 2 : waiting >= limit && feed.demand() == 0;
        holding = hold;
        // And each partition on its own once it has its share waiting: the consumer returns one partition's
        // records after another's, so without this one account's backlog would fill the run while the
        // partitions of the others (other accounts, other Twilio limits) sit unread.
        int share = Math.max(2, limit / Math.max(1, assigned.size()));
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> toPause = new HashSet<>();
        Set<TopicPartition> toResume = new HashSet<>();
        for (TopicPartition tp : assigned) {
            int w = feed.waiting(tp);
            boolean isPaused = paused.contains(tp);
            boolean full = isPaused ? w > share / 2 : w >= share;
            if ((hold || full) && !isPaused) {
                toPause.add(tp);
            } else if (!hold && !full && isPaused) {
                toResume.add(tp);
            }
        }
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }

    private void takeCompletions() {
        Coordinates c;
        while ((c = writer.nextCompletion()) != null) {
            complete(c);
        }
    }

    private void complete(Coordinates c) {
        PartitionProgress p = progress.get(new TopicPartition(c.topic(), c.partition()));
        if (p != null) {
            p.done(c.offset());
        }
    }

    /** Commits each of {@code partitions} whose commit position moved; synchronously for a revocation or a stop. */
    void commit(boolean sync, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionProgress p = progress.get(tp);
            if (p != null && p.changed()) {
                long position = p.commitPosition();
                offsets.put(tp, new OffsetAndMetadata(position));
                p.committed(position);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            uninterrupted(() -> {
                consumer.commitSync(offsets);
                return null;
            });
        } else {
            consumer.commitAsync(offsets, (o, e) -> {
                if (e != null) {
                    LOG.log(System.Logger.Level.DEBUG, "async commit failed, retried by the next one: "
                            + e.getClass().getSimpleName());
                    for (TopicPartition tp : o.keySet()) {
                        PartitionProgress p = progress.get(tp);
                        if (p != null) {
                            p.committed(-1);
                        }
                    }
                }
            });
        }
    }

    /** Waits, at most {@code timeout}, until every taken record of {@code partitions} has an acknowledged result. */
    void awaitIdle(Set<TopicPartition> partitions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!idle(partitions) && state.failure() == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.log(System.Logger.Level.WARNING, "commands still in flight after " + timeout
                        + "; their records are not committed and will be delivered again");
                return;
            }
            try {
                Coordinates c = writer.nextCompletion(left);
                if (c != null) {
                    complete(c);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            takeCompletions();
        }
    }

    private boolean idle(Set<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionProgress p = progress.get(tp);
            if (p != null && !p.idle()) {
                return false;
            }
        }
        return true;
    }

    /** Takes back the waiting hang-ups of partitions lost (not revoked): the next owner runs them. */
    void dropWaiting(Set<TopicPartition> partitions) {
        feed.dropWaiting(partitions, at -> {
            PartitionProgress p = progress.get(new TopicPartition(at.topic(), at.partition()));
            if (p != null) {
                p.dropped(at.offset());
            }
        });
    }

    /** Forgets the progress and the intents of partitions given up. */
    void forget(Set<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            progress.remove(tp);
            intents.forget(tp.partition());
        }
    }

    /** Starts each of {@code partitions} again from its committed offset. */
    void seekToCommitted(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = uninterrupted(() -> consumer.committed(partitions));
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata om = committed.get(tp);
            if (om != null) {
                consumer.seek(tp, om.offset());
            }
        }
    }

    /** Reads the intents of an assigned partition. */
    void loadIntents(int partition) {
        intents.load(partition);
    }

    /**
     * Runs a blocking consumer call to its end even if a stop's {@code wakeup()} lands in it (the stop is seen
     * by the loop through {@link WorkerState#stopping()}). A {@link WakeupException} escaping a rebalance
     * callback would leave the consumer half through its rebalance: revoked partitions kept with their old
     * positions, and no {@code onPartitionsAssigned} for them when the join is retried.
     */
    private static <T> T uninterrupted(Supplier<T> call) {
        for (int i = 0; ; i++) {
            try {
                return call.get();
            } catch (WakeupException e) {
                if (i >= 3) {
                    throw e;
                }
            }
        }
    }

    /** Each assigned partition's state, for the worker's {@code toString()}: taken, open, committed, lag. */
    private void snapshot() {
        long now = System.nanoTime();
        if (now - lastSnapshot < 500_000_000L) {
            return;
        }
        lastSnapshot = now;
        StringBuilder sb = new StringBuilder();
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> assigned = new ArrayList<>(consumer.assignment());
        assigned.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        for (TopicPartition tp : assigned) {
            PartitionProgress p = progress.get(tp);
            OptionalLong lag = consumer.currentLag(tp);
            sb.append(sb.length() == 0 ? "" : " ").append(tp.partition()).append('{')
                    .append(p == null ? "nothing taken" : p.toString())
                    .append(", lag=").append(lag.isPresent() ? String.valueOf(lag.getAsLong()) : "?")
                    .append(paused.contains(tp) ? ", paused" : "").append('}');
        }
        partitions = sb.toString();
    }

    Duration revocationTimeout() {
        return config.revocationTimeout();
    }

    /** Command records taken since start, including those a rebalance gave back. */
    long taken() {
        return taken.get();
    }

    @Override
    public String toString() {
        return "polls=" + polls + ", pausedPolls=" + pausedPolls + ", maxBatch=" + maxBatch + ", " + feed
                + ", holding=" + holding + ", partitions=[" + partitions + "]";
    }
}
