package dev.callflux.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The redirect intents of the assigned partitions, as read when each was assigned: command id → the intent
 * record ({@code SENDING}, or {@code DONE} with the result). Partition <i>n</i> of the intents topic holds the
 * intents of partition <i>n</i> of the commands topic. Used by the poll thread only.
 */
final class IntentStore {

    private final String intentsTopic;
    private final Properties readerProps;
    private final Map<Integer, Map<String, byte[]>> intents = new HashMap<>();

    IntentStore(String intentsTopic, Properties consumerProps) {
        this.intentsTopic = intentsTopic;
        this.readerProps = new Properties();
        readerProps.putAll(consumerProps);
        readerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        readerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    }

    /** Reads the intents of commands partition {@code partition} to the end of its intents partition. */
    void load(int partition) {
        Map<String, byte[]> seen = new HashMap<>();
        TopicPartition tp = new TopicPartition(intentsTopic, partition);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(readerProps)) {
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            long end = reader.endOffsets(List.of(tp)).get(tp);
            while (reader.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    String id = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        seen.remove(id);
                    } else {
                        seen.put(id, r.value());
                    }
                }
            }
        }
        intents.put(partition, seen);
    }

    /** The intent recorded for command {@code commandId} of partition {@code partition}, or {@code null}. */
    byte[] prior(int partition, String commandId) {
        return intents.getOrDefault(partition, Map.of()).get(commandId);
    }

    /** Forgets a partition given up. */
    void forget(int partition) {
        intents.remove(partition);
    }
}
