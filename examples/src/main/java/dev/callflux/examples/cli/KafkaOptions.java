package dev.callflux.examples.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Where the Kafka commands ({@code worker}, {@code enqueue}, {@code results}) find the brokers. No Kafka type
 * appears here: picocli reads every command's options at start, and {@code hangup} must not load Kafka.
 */
final class KafkaOptions {

    /** Where the brokers are when neither the flag nor {@code KAFKA_BOOTSTRAP_SERVERS} says. */
    static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "The Kafka brokers, HOST:PORT[,HOST:PORT...] (default: $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client settings, a .properties file as Kafka's own tools take (security.protocol, sasl.jaas.config...).")
    Path config;

    /** The brokers: the flag, else {@code KAFKA_BOOTSTRAP_SERVERS}, else {@link #DEFAULT_BOOTSTRAP_SERVERS}. */
    String bootstrapServers(Map<String, String> env) {
        String s = bootstrapServers != null ? bootstrapServers : env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "");
        return s.isBlank() ? DEFAULT_BOOTSTRAP_SERVERS : s.strip();
    }

    /** The settings of --kafka-config (empty without it) with {@code bootstrap.servers}; never printed. */
    Properties properties(Map<String, String> env) {
        Properties p = new Properties();
        if (config != null) {
            try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new ClientOptions.UsageException("cannot read --kafka-config " + config + ": " + IoMessages.reason(e));
            } catch (IllegalArgumentException e) {
                throw new ClientOptions.UsageException("--kafka-config " + config + " is not a .properties file");
            }
        }
        p.setProperty("bootstrap.servers", bootstrapServers(env));
        return p;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; anything else is a usage error naming {@code flag}. */
    static Duration duration(String flag, String value) {
        Matcher m = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ClientOptions.UsageException(flag + " must be a duration such as 500ms, 30s, 5m or 1h, not " + value);
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms": return Duration.ofMillis(n);
            case "s": return Duration.ofSeconds(n);
            case "m": return Duration.ofMinutes(n);
            default: return Duration.ofHours(n);
        }
    }
}
