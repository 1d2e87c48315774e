package dev.callflux.kafka;

import dev.callflux.reactor.bulk.BulkOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A worker's settings, fixed at build time: the topics, the bulk options, the timeouts and the Kafka client
 * properties (the worker's own settings win over the user's where correctness depends on them: manual
 * commits, {@code acks=all}, idempotence, the serializers).
 *
 * @param bufferLimit the commands read ahead of the run's demand before partitions are paused: the run's
 *                    {@code maxInFlight} ({@code max.poll.records} is a quarter of it)
 */
record WorkerConfig(String commandsTopic, String resultsTopic, String intentsTopic, BulkOptions bulkOptions,
                    Duration revocationTimeout, Duration pollTimeout, int bufferLimit, Properties consumerProps,
                    Properties producerProps) {

    static WorkerConfig of(String bootstrapServers, String groupId, String commandsTopic, String resultsTopic,
                           String intentsTopic, BulkOptions bulkOptions, Duration revocationTimeout,
                           Duration pollTimeout, Map<String, Object> consumerOverrides,
                           Map<String, Object> producerOverrides) {
        int bufferLimit = Math.max(2, bulkOptions.maxInFlight());
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A poll returns one partition's records before the next's: small polls let partitions (accounts) take turns.
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.max(1, bufferLimit / 4)));
        consumer.putAll(consumerOverrides);
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");

        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer.putAll(producerOverrides);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new WorkerConfig(commandsTopic, resultsTopic, intentsTopic != null ? intentsTopic : commandsTopic + "-intents",
                bulkOptions, revocationTimeout, pollTimeout, bufferLimit, consumer, producer);
    }
}
