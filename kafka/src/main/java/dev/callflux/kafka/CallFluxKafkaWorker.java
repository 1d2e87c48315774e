package dev.callflux.kafka;

import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkCommand;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A worker of a consumer group that takes UpdateCall commands from a Kafka topic and writes one result record
 * per command: the library entry point for applications that embed the worker (the {@code callflux worker}
 * command is one).
 *
 * <pre>{@code
 * try (CallFluxClient client = CallFluxClient.builder().credentials(...).build();
 *      CallFluxKafkaWorker worker = CallFluxKafkaWorker.builder(client)
 *              .bootstrapServers("localhost:9092").groupId("hangups")
 *              .commandsTopic("callflux-commands").resultsTopic("callflux-results")
 *              .build().start()) {
 *     ... // until the application stops; close() stops gracefully
 * }
 * }</pre>
 *
 * <h2>How it runs</h2>
 * One thread ({@code callflux-kafka-poll}) owns the {@link KafkaConsumer}: it polls, reads each record into a
 * command, and hands commands to one long-lived {@link CallFluxClient#updateAll(org.reactivestreams.Publisher,
 * BulkOptions)} as a {@code Publisher}, honouring its demand: when the bulk run has no demand and a poll's worth
 * of commands ({@code maxInFlight} of the bulk options) waits, every assigned partition is paused (the consumer
 * keeps polling, so it stays in the group), and resumed once the run has taken half of them. The correlation value of each bulk command is the record's
 * coordinates and command id, so each result releases exactly its record.
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li><b>At least once, offsets behind results.</b> A partition's offset is committed only up to the first
 *     record whose result the broker has not acknowledged ({@code acks=all}, idempotent producer). After a
 *     crash, records past the committed offset are delivered again.</li>
 * <li><b>One result per command id.</b> Results are keyed by command id; a record that cannot be read (bad
 *     JSON, an unknown field, a bad SID, a missing id) gets a {@code FAILED} result naming the field and the
 *     partition moves on. A hang-up delivered again after a crash is sent again (it is idempotent: the second
 *     answer is {@code ALREADY_ENDED}) and its result written again under the same key: make the results topic
 *     compacted ({@code cleanup.policy=compact}) and read it by key, and the later record replaces the
 *     earlier. Each result record carries the {@code topic}, {@code partition} and {@code offset} it answers.</li>
 * <li><b>A redirect is never sent twice.</b> Before a {@code Url}/{@code Twiml} command is sent, its intent
 *     ({@code SENDING}) is written to the intents topic, keyed by command id, in the partition of the same
 *     number as the command's, and acknowledged; once its result is known, the intent is replaced by
 *     {@code DONE} with the result, before the result record is written. When a partition is assigned, the
 *     worker reads that intents partition; a redirect delivered again whose intent is {@code SENDING} gets the
 *     result {@code UNKNOWN} ("may have been applied") and is not sent, unless the command says
 *     {@code "resend": true}; one whose intent is {@code DONE} gets its recorded result written again, the
 *     same bytes, and is not sent.</li>
 * <li><b>Rebalances.</b> On revocation, the worker stops taking records of the revoked partitions, lets the
 *     commands it has taken of them (at most a poll's worth waiting, plus those in flight) finish, for at most
 *     {@link Builder#revocationTimeout(Duration)}, commits what their results allow, and then lets the
 *     partitions go. A redirect still in flight past that bound is safe: the next owner finds its intent.</li>
 * </ul>
 * The intents topic must have at least as many partitions as the commands topic; {@link #start()} fails the
 * worker otherwise (see {@link #failure()}).
 *
 * <p>Thread-safe. Credentials stay in the {@link CallFluxClient}: no record, log line or message of the worker
 * carries them.
 */
public final class CallFluxKafkaWorker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CallFluxKafkaWorker.class.getName());
    /** How long the poll thread polls while partitions are paused, before it checks the run's demand again. */
    private static final Duration PAUSED_POLL = Duration.ofMillis(20);

    private final CallFluxClient client;
    private final String commandsTopic;
    private final String resultsTopic;
    private final String intentsTopic;
    private final BulkOptions bulkOptions;
    private final Duration revocationTimeout;
    private final Duration pollTimeout;
    private final int bufferLimit;
    private final Properties consumerProps;
    private final Properties producerProps;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Duration stopTimeout = Duration.ofSeconds(30);

    // Handed from any thread to the poll thread.
    private final ConcurrentLinkedQueue<Ready> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readyCount = new AtomicInteger();
    private final LinkedBlockingQueue<Coordinates> completions = new LinkedBlockingQueue<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong resultsWritten = new AtomicLong();
    private final AtomicLong commandsTaken = new AtomicLong();
    private volatile FluxSink<BulkCommand<Coordinates>> sink;

    // The poll thread's own.
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final Map<Integer, Map<String, byte[]>> intents = new HashMap<>();
    private final Set<TopicPartition> givenUp = new HashSet<>();
    private Thread pollThread;
    private volatile boolean holding;
    private volatile long polls;
    private volatile long pausedPolls;
    private volatile int maxBatch;
    private Disposable run;
    private Scheduler resultScheduler;

    /** A command read and waiting for the bulk run's demand; claimed once, by the run or by a revocation. */
    private static final class Ready {
        final BulkCommand<Coordinates> command;
        final AtomicBoolean claimed = new AtomicBoolean();

        Ready(BulkCommand<Coordinates> command) {
            this.command = command;
        }
    }

    private CallFluxKafkaWorker(Builder b) {
        this.client = b.client;
        this.commandsTopic = b.commandsTopic;
        this.resultsTopic = b.resultsTopic;
        this.intentsTopic = b.intentsTopic != null ? b.intentsTopic : b.commandsTopic + "-intents";
        this.bulkOptions = b.bulkOptions;
        this.revocationTimeout = b.revocationTimeout;
        this.pollTimeout = b.pollTimeout;
        this.bufferLimit = Math.max(2, b.bulkOptions.maxInFlight());

        consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, b.groupId);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(bufferLimit));
        consumerProps.putAll(b.consumerOverrides);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");

        producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producerProps.putAll(b.producerOverrides);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    /**
     * A builder of a worker that sends through {@code client}.
     *
     * @param client the client; the worker does not close it. {@code null} throws {@link NullPointerException}
     * @return a new builder
     */
    public static Builder builder(CallFluxClient client) {
        return new Builder(client);
    }

    /**
     * Joins the group and starts taking commands, on a thread of its own; returns at once.
     *
     * @return this worker
     * @throws IllegalStateException if it was started before
     */
    public CallFluxKafkaWorker start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the worker was started already");
        }
        consumer = new KafkaConsumer<>(consumerProps);
        producer = new KafkaProducer<>(producerProps);
        resultScheduler = Schedulers.newSingle("callflux-kafka-results", true);
        Flux<BulkCommand<Coordinates>> commands = Flux.create(s -> {
            sink = s;
            s.onRequest(n -> {
                demand.getAndAccumulate(n, (a, x) -> a + x < 0 ? Long.MAX_VALUE : a + x);
                drain();
            });
            s.onCancel(() -> {
                if (!stopping.get()) {
                    fail(new IllegalStateException("the bulk run stopped taking commands"));
                }
            });
        });
        run = client.updateAll(commands, bulkOptions)
                .publishOn(resultScheduler)
                .subscribe(this::onResult, this::fail);
        pollThread = new Thread(this::pollLoop, "callflux-kafka-poll");
        pollThread.setDaemon(false);
        pollThread.start();
        return this;
    }

    /**
     * Stops gracefully: takes no more records, lets the commands in flight finish (for at most {@code timeout}),
     * writes their results, commits, and leaves the group. Blocks until then; does nothing after the first call
     * but wait.
     *
     * @param timeout how long the commands in flight may take; {@code null} throws {@link NullPointerException}
     * @return {@code true} if the worker stopped within {@code timeout} plus a few seconds to leave the group
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (!started.get()) {
            return true;
        }
        if (stopping.compareAndSet(false, true)) {
            stopTimeout = timeout;
            consumer.wakeup();
        }
        return stopped.await(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    }

    /** Stops gracefully, giving the commands in flight 30 seconds; see {@link #stop(Duration)}. */
    @Override
    public void close() {
        try {
            stop(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the worker is taking commands: started, and neither stopped nor failed.
     *
     * @return {@code true} while it runs
     */
    public boolean isRunning() {
        return started.get() && stopped.getCount() > 0 && !stopping.get();
    }

    /**
     * Why the worker stopped on its own, if it did: the results could not be written, the bulk run ended, the
     * intents topic is missing or too small...
     *
     * @return the failure, or {@code null} while there is none
     */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Result records written and acknowledged by the broker since start.
     *
     * @return the count
     */
    public long resultsWritten() {
        return resultsWritten.get();
    }

    /**
     * Command records taken from the commands topic since start, including those a rebalance gave back.
     *
     * @return the count
     */
    public long commandsTaken() {
        return commandsTaken.get();
    }

    @Override
    public String toString() {
        return "CallFluxKafkaWorker{commands=" + commandsTopic + ", results=" + resultsTopic + ", intents="
                + intentsTopic + ", running=" + isRunning() + ", polls=" + polls + ", pausedPolls=" + pausedPolls
                + ", maxBatch=" + maxBatch + ", demand=" + demand.get() + ", waiting=" + readyCount.get() + ", holding=" + holding + ", partitions=[" + partitionsSnapshot + "]}";
    }

    // ---------------------------------------------------------------------------------------------- poll thread

    private void pollLoop() {
        try {
            checkIntentsTopic();
            consumer.subscribe(List.of(commandsTopic), new Rebalance());
            while (!stopping.get()) {
                takeCompletions();
                commit(false, progress.keySet());
                pauseOrResume();
                ConsumerRecords<byte[], byte[]> records;
                try {
                    // While paused, a short poll: the next pass resumes as soon as the run has taken half.
                    records = consumer.poll(holding ? PAUSED_POLL : pollTimeout);
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
                drain();
                snapshot();
            }
            shutdown();
        } catch (Throwable t) {
            fail(t);
            try {
                shutdown();
            } catch (Throwable t2) {
                t.addSuppressed(t2);
            }
        } finally {
            stopped.countDown();
        }
    }

    private volatile String partitionsSnapshot = "";
    private long lastSnapshot;

    /** Each assigned partition's state, for {@link #toString()}: taken, open, committed, lag (poll thread). */
    private void snapshot() {
        long now = System.nanoTime();
        if (now - lastSnapshot < 500_000_000L) {
            return;
        }
        lastSnapshot = now;
        StringBuilder sb = new StringBuilder();
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> assigned = new ArrayList<>(consumer.assignment());
        assigned.sort(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        for (TopicPartition tp : assigned) {
            PartitionProgress p = progress.get(tp);
            java.util.OptionalLong lag = consumer.currentLag(tp);
            sb.append(sb.length() == 0 ? "" : " ").append(tp.partition()).append('{')
                    .append(p == null ? "nothing taken" : p.toString())
                    .append(", lag=").append(lag.isPresent() ? String.valueOf(lag.getAsLong()) : "?")
                    .append(paused.contains(tp) ? ", paused" : "").append('}');
        }
        partitionsSnapshot = sb.toString();
    }

    private void checkIntentsTopic() {
        List<PartitionInfo> commandParts = consumer.partitionsFor(commandsTopic);
        List<PartitionInfo> intentParts = consumer.partitionsFor(intentsTopic);
        int c = commandParts == null ? 0 : commandParts.size();
        int i = intentParts == null ? 0 : intentParts.size();
        if (i < c) {
            throw new IllegalStateException("the intents topic " + intentsTopic + " has " + i
                    + " partitions; it needs at least as many as the commands topic " + commandsTopic + " (" + c + ")");
        }
    }

    private void shutdown() {
        holding = false;
        // Everything taken finishes, bounded; what does not is delivered again to the next owner.
        Set<TopicPartition> all = new HashSet<>(progress.keySet());
        FluxSink<BulkCommand<Coordinates>> s = sink;
        awaitIdle(all, stopTimeout);
        if (s != null) {
            s.complete();
        }
        try {
            commit(true, all);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "final commit failed: " + e.getClass().getSimpleName());
        }
        if (run != null) {
            run.dispose();
        }
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        producer.close(Duration.ofSeconds(5));
        if (resultScheduler != null) {
            resultScheduler.dispose();
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        commandsTaken.incrementAndGet();
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        PartitionProgress p = progress.computeIfAbsent(tp, k -> new PartitionProgress());
        p.taken(r.offset());
        ParsedCommand c = CommandCodec.parse(r.topic(), r.partition(), r.offset(), r.key(), r.value());
        if (!c.isValid()) {
            writeResult(c.at(), CommandCodec.refused(c), false);
            return;
        }
        if (c.isRedirect()) {
            byte[] prior = intents.getOrDefault(r.partition(), Map.of()).get(c.at().commandId());
            if (prior != null && !c.resendAllowed()) {
                byte[] stored = CommandCodec.storedResult(prior);
                writeResult(c.at(), stored.length > 0 ? stored : CommandCodec.inDoubt(c), false);
                return;
            }
            BulkCommand<Coordinates> command = command(c);
            producer.send(new ProducerRecord<>(intentsTopic, r.partition(), c.at().commandId(),
                    CommandCodec.intent(c.at())), (md, e) -> {
                if (e != null) {
                    fail(new IllegalStateException("an intent could not be recorded: " + e.getClass().getSimpleName()));
                } else {
                    enqueue(command);
                }
            });
            return;
        }
        enqueue(command(c));
    }

    private static BulkCommand<Coordinates> command(ParsedCommand c) {
        BulkCommand<Coordinates> command = BulkCommand.of(c.callSid(), c.request(), c.at());
        return c.account() != null ? command.inAccount(c.account()) : command;
    }

    private void enqueue(BulkCommand<Coordinates> command) {
        ready.add(new Ready(command));
        readyCount.incrementAndGet();
        drain();
    }

    /** Hands waiting commands to the bulk run, as far as its demand goes; from any thread, serialised. */
    private void drain() {
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

    private void pauseOrResume() {
        Set<TopicPartition> assigned = consumer.assignment();
        int waiting = readyCount.get();
        // Hysteresis: hold once a poll's worth waits that the run has not asked for; let go at half of it.
        // (Pausing at every momentary lack of demand makes the consumer drop and refetch, and crawls.)
        boolean hold = holding ? waiting > bufferLimit / 2 : waiting >= bufferLimit && demand.get() == 0;
        holding = hold;
        if (hold) {
            Set<TopicPartition> toPause = new HashSet<>(assigned);
            toPause.removeAll(consumer.paused());
            if (!toPause.isEmpty()) {
                consumer.pause(toPause);
            }
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void takeCompletions() {
        Coordinates c;
        while ((c = completions.poll()) != null) {
            complete(c);
        }
    }

    private void complete(Coordinates c) {
        PartitionProgress p = progress.get(new TopicPartition(c.topic(), c.partition()));
        if (p != null) {
            p.done(c.offset());
        }
    }

    private void commit(boolean sync, Collection<TopicPartition> partitions) {
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

    /**
     * Runs a blocking consumer call to its end even if a stop's {@code wakeup()} lands in it (the stop is seen
     * by the loop through {@code stopping}). A {@link WakeupException} escaping a rebalance callback would leave
     * the consumer half through its rebalance: revoked partitions kept with their old positions, and no
     * {@code onPartitionsAssigned} for them when the join is retried.
     */
    private static <T> T uninterrupted(java.util.function.Supplier<T> call) {
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

    /** Takes back the waiting hang-ups of {@code partitions}; waiting redirects (intent written) still run. */
    private void dropReady(Set<TopicPartition> partitions) {
        for (Ready r : ready) {
            Coordinates at = r.command.correlation();
            TopicPartition tp = new TopicPartition(at.topic(), at.partition());
            if (!at.redirect() && partitions.contains(tp) && r.claimed.compareAndSet(false, true)) {
                ready.remove(r);
                readyCount.decrementAndGet();
                PartitionProgress p = progress.get(tp);
                if (p != null) {
                    p.dropped(at.offset());
                }
            }
        }
    }

    /** Waits, at most {@code timeout}, until every taken record of {@code partitions} has an acknowledged result. */
    private void awaitIdle(Set<TopicPartition> partitions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!idle(partitions) && failure.get() == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.log(System.Logger.Level.WARNING, "commands still in flight after " + timeout
                        + "; their records are not committed and will be delivered again");
                return;
            }
            try {
                Coordinates c = completions.poll(left, TimeUnit.NANOSECONDS);
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

    /** Reads an intents partition to its end: the redirects of the matching commands partition seen before. */
    private Map<String, byte[]> loadIntents(int partition) {
        Properties props = new Properties();
        props.putAll(consumerProps);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, byte[]> seen = new HashMap<>();
        TopicPartition tp = new TopicPartition(intentsTopic, partition);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(props)) {
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            long end = reader.endOffsets(List.of(tp)).get(tp);
            while (reader.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    String id = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        seen.remove(id);
                    } else {
                        seen.put(id, r.value());
                    }
                }
            }
        }
        return seen;
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Set<TopicPartition> revoked = new HashSet<>(partitions);
            // Everything taken of these partitions (at most a poll's worth waits) runs to its result, bounded:
            // giving waiting records back left some unread by anyone (see the rebalance test).
            awaitIdle(revoked, revocationTimeout);
            commit(true, revoked);
            forget(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            Set<TopicPartition> lost = new HashSet<>(partitions);
            dropReady(lost);
            forget(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // A partition given up and given back keeps the consumer's position, past the records this worker
            // gave back or left unfinished: start it again from the committed offset.
            Set<TopicPartition> back = new HashSet<>(partitions);
            back.retainAll(givenUp);
            givenUp.clear();
            if (!back.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> committed = uninterrupted(() -> consumer.committed(back));
                for (TopicPartition tp : back) {
                    OffsetAndMetadata om = committed.get(tp);
                    if (om != null) {
                        consumer.seek(tp, om.offset());
                    }
                }
            }
            for (TopicPartition tp : partitions) {
                intents.put(tp.partition(), loadIntents(tp.partition()));
            }
        }

        private void forget(Set<TopicPartition> partitions) {
            givenUp.addAll(partitions);
            for (TopicPartition tp : partitions) {
                progress.remove(tp);
                intents.remove(tp.partition());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- results

    private void onResult(BulkResult<Coordinates> r) {
        writeResult(r.correlation(), CommandCodec.result(r), r.correlation().redirect());
    }

    /** Writes a result (a redirect's first into its intent), and completes its record once acknowledged. */
    private void writeResult(Coordinates at, byte[] result, boolean redirect) {
        if (redirect) {
            producer.send(new ProducerRecord<>(intentsTopic, at.partition(), at.commandId(),
                    CommandCodec.done(at, result)), (md, e) -> {
                if (e != null) {
                    fail(new IllegalStateException("a result could not be recorded: " + e.getClass().getSimpleName()));
                } else {
                    // not from the producer's I/O thread: a send there could wait for buffer space only it frees
                    resultScheduler.schedule(() -> writeResult(at, result, false));
                }
            });
            return;
        }
        producer.send(new ProducerRecord<>(resultsTopic, at.commandId(), result), (md, e) -> {
            if (e != null) {
                fail(new IllegalStateException("a result could not be written: " + e.getClass().getSimpleName()));
            } else {
                resultsWritten.incrementAndGet();
                completions.add(at);
            }
        });
    }

    private void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) {
            LOG.log(System.Logger.Level.ERROR, "worker stopping: " + t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        if (stopping.compareAndSet(false, true)) {
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        }
    }

    /** Builds a {@link CallFluxKafkaWorker}. Not thread-safe. */
    public static final class Builder {
        private final CallFluxClient client;
        private String bootstrapServers;
        private String groupId;
        private String commandsTopic;
        private String resultsTopic;
        private String intentsTopic;
        private BulkOptions bulkOptions = BulkOptions.DEFAULT;
        private Duration revocationTimeout = Duration.ofSeconds(30);
        private Duration pollTimeout = Duration.ofMillis(100);
        private final Map<String, Object> consumerOverrides = new HashMap<>();
        private final Map<String, Object> producerOverrides = new HashMap<>();

        private Builder(CallFluxClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * The brokers, as Kafka's {@code bootstrap.servers}. Required.
         *
         * @param servers {@code host:port[,host:port...]}
         * @return this builder
         */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = Objects.requireNonNull(servers, "servers");
            return this;
        }

        /**
         * The consumer group the workers share. Required.
         *
         * @param groupId the group id
         * @return this builder
         */
        public Builder groupId(String groupId) {
            this.groupId = Objects.requireNonNull(groupId, "groupId");
            return this;
        }

        /**
         * The topic commands are read from (key: the account SID; value: a command's JSON). Required.
         *
         * @param topic the topic name
         * @return this builder
         */
        public Builder commandsTopic(String topic) {
            this.commandsTopic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /**
         * The topic results are written to, keyed by command id; make it compacted. Required.
         *
         * @param topic the topic name
         * @return this builder
         */
        public Builder resultsTopic(String topic) {
            this.resultsTopic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /**
         * The topic of redirect intents, keyed by command id, with at least as many partitions as the commands
         * topic; make it compacted. Default: the commands topic's name followed by {@code -intents}.
         *
         * @param topic the topic name
         * @return this builder
         */
        public Builder intentsTopic(String topic) {
            this.intentsTopic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /**
         * The options of the worker's bulk run; its {@code maxInFlight} also bounds the commands read ahead.
         * Default {@link BulkOptions#DEFAULT}.
         *
         * @param options the options
         * @return this builder
         */
        public Builder bulkOptions(BulkOptions options) {
            this.bulkOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * How long a revocation, or a stop, waits for the commands in flight of the partitions it gives up.
         * Default 30 seconds; keep it under the consumer's {@code max.poll.interval.ms}.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder revocationTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("revocationTimeout must be positive");
            }
            this.revocationTimeout = timeout;
            return this;
        }

        /**
         * A Kafka consumer setting, for what the builder does not cover (security, timeouts...). The worker
         * keeps its own deserializers and {@code enable.auto.commit=false}.
         *
         * @param name  the setting
         * @param value its value
         * @return this builder
         */
        public Builder consumerProperty(String name, Object value) {
            consumerOverrides.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * A Kafka producer setting. The worker keeps its own serializers, {@code acks=all} and idempotence.
         *
         * @param name  the setting
         * @param value its value
         * @return this builder
         */
        public Builder producerProperty(String name, Object value) {
            producerOverrides.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * A worker, not yet started.
         *
         * @return the worker
         * @throws IllegalArgumentException if the servers, the group or a topic is missing
         */
        public CallFluxKafkaWorker build() {
            List<String> missing = new ArrayList<>();
            if (bootstrapServers == null) {
                missing.add("bootstrapServers");
            }
            if (groupId == null) {
                missing.add("groupId");
            }
            if (commandsTopic == null) {
                missing.add("commandsTopic");
            }
            if (resultsTopic == null) {
                missing.add("resultsTopic");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("required: " + String.join(", ", missing));
            }
            return new CallFluxKafkaWorker(this);
        }
    }
}
