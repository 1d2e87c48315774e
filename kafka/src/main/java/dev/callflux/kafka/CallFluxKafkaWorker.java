package dev.callflux.kafka;

import dev.callflux.core.error.TwilioApiException;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BatchStoppedException;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import reactor.core.Disposable;

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
 * BulkOptions)} as a {@code Publisher}, honouring its demand: commands wait in a queue per partition and are
 * handed out one of each partition in turn; a partition is paused (the consumer keeps polling, so it stays in
 * the group) once its share of {@code maxInFlight} waits, every partition while {@code maxInFlight} commands
 * wait unasked for, and each is resumed at half. The correlation value of each bulk command is the record's
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
 * <li><b>Nothing answered that was not done.</b> When Twilio refuses the credentials (401, 403) or the run stops
 *     without sending a command (the endpoint unreachable), the worker writes no result for it and stops (see
 *     {@link #failure()}): its record is not committed, and a worker started with working credentials takes it
 *     again.</li>
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

    private final CallFluxClient client;
    private final WorkerConfig config;
    private final WorkerState state = new WorkerState();
    private final CommandFeed feed = new CommandFeed();
    private volatile ResultWriter writer;
    private volatile PollLoop loop;

    private CallFluxKafkaWorker(CallFluxClient client, WorkerConfig config) {
        this.client = client;
        this.config = config;
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
        if (!state.start()) {
            throw new IllegalStateException("the worker was started already");
        }
        ResultWriter w = new ResultWriter(config.producerProps(), config.resultsTopic(), config.intentsTopic(), state);
        writer = w;
        Disposable run = client.updateAll(feed.commands(() -> {
                    if (!state.stopping()) {
                        state.fail(new IllegalStateException("the bulk run stopped taking commands"));
                    }
                }), config.bulkOptions())
                .publishOn(w.scheduler())
                .subscribe(r -> {
                    Throwable stop = stopsTheWorker(r);
                    if (stop != null) {
                        state.fail(stop); // no result: the record stays uncommitted and comes back once that is fixed
                    } else {
                        w.write(r.correlation(), CommandCodec.result(r), r.correlation().redirect());
                    }
                }, state::fail);
        PollLoop l = new PollLoop(config, state, feed, w, () -> {
            run.dispose();
            w.close();
        });
        loop = l;
        Thread pollThread = new Thread(l, "callflux-kafka-poll");
        pollThread.setDaemon(false);
        pollThread.start();
        return this;
    }

    /**
     * What stops the worker instead of becoming a result: the credentials refused (401, 403), or a command the
     * run did not send because it stopped (the endpoint unreachable...). Such a command must not be answered
     * FAILED and committed: it has not been done, and it can be once the credentials or the endpoint are fixed.
     */
    private static Throwable stopsTheWorker(BulkResult<Coordinates> r) {
        Throwable e = r.error().orElse(null);
        if (e instanceof BatchStoppedException stopped) {
            return stopped.getCause() != null ? stopped.getCause() : stopped;
        }
        if (e instanceof TwilioApiException api && (api.statusCode() == 401 || api.statusCode() == 403)) {
            return e;
        }
        return null;
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
        if (!state.started()) {
            return true;
        }
        state.stop(timeout);
        return state.awaitStopped(timeout.plusSeconds(10));
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
        return state.running();
    }

    /**
     * Why the worker stopped on its own, if it did: the results could not be written, the bulk run ended, the
     * intents topic is missing or too small...
     *
     * @return the failure, or {@code null} while there is none
     */
    public Throwable failure() {
        return state.failure();
    }

    /**
     * Result records written and acknowledged by the broker since start.
     *
     * @return the count
     */
    public long resultsWritten() {
        ResultWriter w = writer;
        return w == null ? 0 : w.written();
    }

    /**
     * Command records taken from the commands topic since start, including those a rebalance gave back.
     *
     * @return the count
     */
    public long commandsTaken() {
        PollLoop l = loop;
        return l == null ? 0 : l.taken();
    }

    /** The topics, whether it runs, and each assigned partition's progress; never a credential. */
    @Override
    public String toString() {
        PollLoop l = loop;
        return "CallFluxKafkaWorker{commands=" + config.commandsTopic() + ", results=" + config.resultsTopic()
                + ", intents=" + config.intentsTopic() + ", running=" + isRunning() + (l == null ? "" : ", " + l) + "}";
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
            return new CallFluxKafkaWorker(client, WorkerConfig.of(bootstrapServers, groupId, commandsTopic, resultsTopic,
                    intentsTopic, bulkOptions, revocationTimeout, pollTimeout, consumerOverrides, producerOverrides));
        }
    }
}
