package dev.callflux.benchmarks;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one machine-readable line a client process prints: {@code LOAD-RESULT key=value key=value ...},
 * keys and values URL-encoded (so a value never holds a space or an {@code =}), read back by the
 * orchestrator with {@link #find(String)}.
 */
public final class ResultLine {

    /** The line's first token. */
    public static final String PREFIX = "LOAD-RESULT";

    private final Map<String, String> fields;

    private ResultLine(Map<String, String> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The fields in the order they were written. */
    public Map<String, String> fields() {
        return fields;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    public String string(String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException("result line has no '" + key + "'");
        }
        return v;
    }

    public long longValue(String key) {
        return Long.parseLong(string(key));
    }

    public double decimal(String key) {
        return Double.parseDouble(string(key));
    }

    /** The line as printed. */
    public String format() {
        StringBuilder sb = new StringBuilder(PREFIX);
        fields.forEach((k, v) -> sb.append(' ').append(encode(k)).append('=').append(encode(v)));
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    /** Parses a line written by {@link #format()}. */
    public static ResultLine parse(String line) {
        String s = line.strip();
        if (!s.startsWith(PREFIX + " ") && !s.equals(PREFIX)) {
            throw new IllegalArgumentException("not a " + PREFIX + " line");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String token : s.substring(PREFIX.length()).trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed field '" + token + "'");
            }
            fields.put(decode(token.substring(0, eq)), decode(token.substring(eq + 1)));
        }
        return new ResultLine(fields);
    }

    /** The last result line in a process's output, if there is one. */
    public static Optional<ResultLine> find(String output) {
        ResultLine found = null;
        for (String line : output.split("\\R")) {
            if (line.startsWith(PREFIX + " ")) {
                found = parse(line);
            }
        }
        return Optional.ofNullable(found);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Collects fields in order. */
    public static final class Builder {
        private final Map<String, String> fields = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder put(String key, Object value) {
            fields.put(key, String.valueOf(value));
            return this;
        }

        public ResultLine build() {
            return new ResultLine(new LinkedHashMap<>(fields));
        }
    }
}
