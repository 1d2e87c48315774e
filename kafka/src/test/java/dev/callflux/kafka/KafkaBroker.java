package dev.callflux.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;

/**
 * A real single-node KRaft broker (Kafka's own {@code KafkaClusterTestKit}) in this JVM, and helpers around it:
 * the fixture of this module's tests and of the CLI's (through the test jar), and of {@link LocalKafka}.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final Admin admin;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.admin = cluster.admin();
    }

    /**
     * A broker on a free port (the test kit binds its listeners' sockets itself, to free ports: a fixed port is
     * not one of its options; {@link #bootstrapServers()} says where it listens).
     */
    public static KafkaBroker start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaBroker(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * Creates the commands, results (compacted) and intents (compacted) topics of one test, and waits until
     * every partition answers on its leader. Created is not ready: a producer that writes to a partition the
     * broker has not yet brought online can have its first batches expire after {@code delivery.timeout.ms}
     * (120 s), silently when nobody reads the send's result: the topic then holds fewer records than the test
     * wrote, and a worker that has read everything sits idle (the "stall" of issue 13).
     */
    public void createTopics(String prefix, int partitions) throws Exception {
        admin.createTopics(List.of(
                new NewTopic(prefix + "-commands", partitions, (short) 1),
                new NewTopic(prefix + "-results", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(prefix + "-commands-intents", partitions, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get();
        awaitReady(prefix + "-commands", partitions);
        awaitReady(prefix + "-results", 1);
        awaitReady(prefix + "-commands-intents", partitions);
    }

    /** Creates one topic and waits until it is ready (see {@link #createTopics}). */
    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
        awaitReady(name, partitions);
    }

    /** Waits (30 s at most) until each partition of {@code topic} has a leader that answers a ListOffsets. */
    public void awaitReady(String topic, int partitions) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            if (d.partitions().size() != partitions || d.partitions().stream().anyMatch(i -> i.leader() == null)) {
                return false;
            }
            endOffsets(topic, partitions); // answered by each partition's leader once it has the partition online
            return true;
        });
    }

    /**
     * Writes every record and waits until the broker acknowledged all of them; throws if any failed (never a
     * silent loss, see {@link #createTopics}).
     */
    public void sendAll(List<ProducerRecord<String, String>> records) {
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Exception> first = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (ProducerRecord<String, String> r : records) {
                producer.send(r, (md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        first.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + records.size() + " records not written", first.get());
        }
    }

    public KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    public void send(String topic, Integer partition, String key, String value) {
        sendAll(List.of(new ProducerRecord<>(topic, partition, key, value)));
    }

    /** Every record of {@code topic} now, read from the beginning: key → values in order. */
    public Map<String, List<JsonNode>> readAll(String topic) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, List<JsonNode>> byKey = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    byKey.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(r.value() == null ? null : CommandCodec.JSON.readTree(r.value()));
                }
            }
        }
        return byKey;
    }

    /** The group's committed offsets of {@code topic}, by partition (absent: none committed). */
    public Map<Integer, Long> committed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<Integer, Long> out = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (tp.topic().equals(topic) && om != null) {
                out.put(tp.partition(), om.offset());
            }
        });
        return out;
    }

    /** The end offsets of {@code topic}, by partition. */
    public Map<Integer, Long> endOffsets(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        for (int i = 0; i < partitions; i++) {
            spec.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        Map<Integer, Long> out = new HashMap<>();
        admin.listOffsets(spec).all().get().forEach((tp, info) -> out.put(tp.partition(), info.offset()));
        return out;
    }

    @Override
    public void close() throws Exception {
        admin.close();
        cluster.close();
    }
}
