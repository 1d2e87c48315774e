package dev.callflux.examples.cli;

import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.kafka.CommandRecords;
import dev.callflux.kafka.ResultRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka side of the CLI's Kafka commands: that the brokers answer, that the topics exist (created when they
 * do not), and Kafka's errors in the CLI's words. Only those commands load it.
 */
final class KafkaSetup {

    /** How long the brokers have to answer before a command gives up on them. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private KafkaSetup() {
    }

    /** Something about Kafka the user must fix; the command stops (exit 3) with this message. */
    static final class KafkaProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KafkaProblem(String message) {
            super(message);
        }
    }

    /**
     * Makes sure the worker's three topics exist: the commands topic (created with {@code partitions}), the
     * results topic (compacted) and the intents topic (compacted, as many partitions as the commands topic).
     *
     * @return a line for each topic created
     * @throws KafkaProblem if the brokers do not answer, refuse, or the intents topic is too small
     */
    static List<String> ensureWorkerTopics(Properties kafka, String commands, int partitions, String results, String intents) {
        try (Admin admin = admin(kafka)) {
            List<String> created = new ArrayList<>();
            int commandPartitions = ensure(admin, kafka, commands, partitions, false, created);
            ensure(admin, kafka, results, partitions, true, created);
            int intentPartitions = ensure(admin, kafka, intents, commandPartitions, true, created);
            if (intentPartitions < commandPartitions) {
                throw new KafkaProblem("the intents topic " + intents + " has " + intentPartitions + " partitions, fewer than the "
                        + commandPartitions + " of " + commands + ": give it as many (kafka-topics.sh --alter --partitions "
                        + commandPartitions + "), or name another with --intents-topic");
            }
            return created;
        }
    }

    /** Makes sure {@code topic} exists, creating it with {@code partitions}; returns a line if it was created. */
    static List<String> ensureTopic(Properties kafka, String topic, int partitions) {
        try (Admin admin = admin(kafka)) {
            List<String> created = new ArrayList<>();
            ensure(admin, kafka, topic, partitions, false, created);
            return created;
        }
    }

    /** Whether {@code topic} exists. */
    static boolean exists(Properties kafka, String topic) {
        try (Admin admin = admin(kafka)) {
            return describe(admin, kafka, topic) != null;
        }
    }

    private static int ensure(Admin admin, Properties kafka, String topic, int partitions, boolean compacted, List<String> created) {
        TopicDescription d = describe(admin, kafka, topic);
        if (d != null) {
            return d.partitions().size();
        }
        Map<String, String> configs = new HashMap<>();
        if (compacted) {
            configs.put("cleanup.policy", "compact");
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(configs))).all()
                    .get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            created.add("created the topic " + topic + " (" + partitions + " partitions" + (compacted ? ", compacted" : "") + ")");
            return partitions;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) { // another worker was quicker
                TopicDescription now = describe(admin, kafka, topic);
                return now == null ? partitions : now.partitions().size();
            }
            throw problem(e.getCause(), kafka, "cannot create the topic " + topic);
        } catch (java.util.concurrent.TimeoutException e) {
            throw unanswered(kafka);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaProblem("interrupted");
        }
    }

    /** The topic's description, or {@code null} if it does not exist. */
    private static TopicDescription describe(Admin admin, Properties kafka, String topic) {
        try {
            return admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                    .get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw problem(e.getCause(), kafka, "cannot read the topic " + topic);
        } catch (java.util.concurrent.TimeoutException e) {
            throw unanswered(kafka);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaProblem("interrupted");
        }
    }

    private static Admin admin(Properties kafka) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ANSWER_TIMEOUT.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ANSWER_TIMEOUT.toMillis());
        try {
            return Admin.create(p);
        } catch (KafkaException e) {
            throw problem(e, kafka, "cannot connect to Kafka");
        }
    }

    private static KafkaProblem unanswered(Properties kafka) {
        return new KafkaProblem("no Kafka broker answered at " + kafka.getProperty("bootstrap.servers") + " (--bootstrap-servers) within "
                + ANSWER_TIMEOUT.toSeconds() + " s: is it running, and is that its address?");
    }

    private static KafkaProblem problem(Throwable e, Properties kafka, String doing) {
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return unanswered(kafka); // the Admin client's own timeout, which ends with ours
        }
        return new KafkaProblem(doing + ": " + describe(e, kafka));
    }

    /** A Kafka failure in the CLI's words: what went wrong and what to check, never a class name. */
    static String describe(Throwable e, Properties kafka) {
        String servers = kafka.getProperty("bootstrap.servers");
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer from the Kafka brokers at " + servers + " (--bootstrap-servers) in time";
        }
        if (e instanceof AuthenticationException) {
            return "the Kafka brokers at " + servers + " refused the credentials (check --kafka-config)";
        }
        if (e instanceof AuthorizationException) {
            return "the Kafka brokers at " + servers + " refused access (" + e.getMessage() + ")";
        }
        if (e instanceof org.apache.kafka.common.config.ConfigException) {
            return "a Kafka setting is wrong: " + e.getMessage();
        }
        String message = e == null ? null : e.getMessage();
        return message != null && !message.isBlank() ? message : "Kafka failed (run with --verbose for details)";
    }

    /** What {@link #enqueue} did. */
    record Enqueued(long written, long duplicates, long invalid, long failed, String firstFailure, double seconds) {
    }

    /** Told of a line that is not a call SID: its number and text. */
    interface InvalidLine {
        void accept(long number, String text);
    }

    /**
     * Writes one command record per call SID of {@code lines} (keyed by {@code account}, id {@code batch-LINE}),
     * a SID seen before once only, and waits until the broker has acknowledged every record.
     *
     * @param invalid told of the first {@link HangupCommand#INVALID_LINES_SHOWN} lines that are not call SIDs
     */
    static Enqueued enqueue(Properties kafka, String topic, String account, String batch, UpdateCallRequest update,
                            Stream<SidInput.Line> lines, InvalidLine invalid) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(ANSWER_TIMEOUT.toMillis()));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        long started = System.nanoTime();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> first = new AtomicReference<>();
        long sent = 0;
        long duplicates = 0;
        long invalidLines = 0;
        SidSet seen = new SidSet();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (SidInput.Line line : (Iterable<SidInput.Line>) lines::iterator) {
                String sid = line.text();
                if (!CallSid.isValid(sid)) {
                    if (++invalidLines <= HangupCommand.INVALID_LINES_SHOWN) {
                        invalid.accept(line.number(), sid);
                    }
                    continue;
                }
                if (!seen.add(sid)) {
                    duplicates++;
                    continue;
                }
                byte[] value = CommandRecords.value(batch + "-" + line.number(), sid, null, update, false);
                try {
                    producer.send(new ProducerRecord<>(topic, account, value), (md, e) -> {
                        if (e != null) {
                            failed.incrementAndGet();
                            first.compareAndSet(null, e);
                        }
                    });
                } catch (KafkaException e) {
                    throw problem(e, kafka, "cannot write to " + topic);
                }
                sent++;
            }
            producer.flush();
        } catch (KafkaException e) {
            throw problem(e, kafka, "cannot write to " + topic);
        }
        Throwable f = first.get();
        return new Enqueued(sent - failed.get(), duplicates, invalidLines, failed.get(), f == null ? null : describe(f, kafka),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Reads the result records of {@code topic} from its beginning, each to {@code onResult}, until
     * {@code stop} (asked between polls, about every 200 ms) says so or, with {@code toEnd}, the end of the
     * topic as it was when reading began is reached.
     *
     * @return how many records were not result records (skipped)
     * @throws KafkaProblem if the topic does not exist or the brokers do not answer
     */
    static long readResults(Properties kafka, String topic, boolean toEnd, Consumer<ResultRecord> onResult, BooleanSupplier stop) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ANSWER_TIMEOUT.toMillis());
        long unreadable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<PartitionInfo> info = consumer.partitionsFor(topic, ANSWER_TIMEOUT);
            // Waiting for results, the topic may be yet to come: the first worker creates it.
            while (!toEnd && (info == null || info.isEmpty()) && !stop.getAsBoolean()) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
                info = consumer.partitionsFor(topic, ANSWER_TIMEOUT);
            }
            if (info == null || info.isEmpty()) {
                if (!toEnd) {
                    return 0;
                }
                throw new KafkaProblem("there is no topic " + topic + " at " + kafka.getProperty("bootstrap.servers")
                        + ": a worker creates it when it starts (or name the results topic with --topic)");
            }
            List<TopicPartition> parts = info.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (!stop.getAsBoolean()) {
                if (toEnd && parts.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    ResultRecord result;
                    try {
                        result = ResultRecord.parse(r.value());
                    } catch (IllegalArgumentException notAResult) {
                        unreadable++;
                        continue;
                    }
                    onResult.accept(result);
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unanswered(kafka);
        } catch (KafkaException e) {
            throw problem(e, kafka, "cannot read " + topic);
        }
        return unreadable;
    }
}
