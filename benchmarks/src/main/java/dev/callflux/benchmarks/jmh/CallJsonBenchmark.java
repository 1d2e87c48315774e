package dev.callflux.benchmarks.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.callflux.core.encoding.CallJson;
import dev.callflux.core.encoding.ResponseDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing a realistic Call (the "update" example of UpdateCall's 200 response in Twilio's OpenAPI document,
 * 2.1 KB, every property set, nine subresource URIs): CallFlux's streaming {@link CallJson} against Jackson
 * databind reading the same bytes into a {@code Map} (no dates parsed: the floor for any data-binding
 * approach) and twilio-java's own {@code Call.fromJson} with the ObjectMapper {@code TwilioRestClient} uses
 * by default (databind + JavaTimeModule), from a String and from a stream (what {@code update()} does); and
 * the four RFC 2822 dates alone, parsed the way CallJson parses them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
public class CallJsonBenchmark {

    static final String RESOURCE = "/dev/callflux/benchmarks/call-update-example.json";

    byte[] bytes;
    String text;
    ObjectMapper mapper;
    ObjectMapper twilioMapper;
    /** The body's four dates (date_created, date_updated, start_time, end_time). */
    String[] dates;

    @Setup
    public void setup() {
        bytes = callJson();
        text = new String(bytes, StandardCharsets.UTF_8);
        mapper = new ObjectMapper();
        // What TwilioRestClient.Builder uses unless given another.
        twilioMapper = new ObjectMapper().registerModule(new JavaTimeModule());
        try {
            Map<?, ?> m = mapper.readValue(bytes, Map.class);
            dates = new String[] {(String) m.get("date_created"), (String) m.get("date_updated"),
                    (String) m.get("start_time"), (String) m.get("end_time")};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Fail at setup, not in the middle of a measurement, if a parser rejects the document.
        if (!CallJson.parse(bytes).sid().equals(com.twilio.rest.api.v2010.account.Call.fromJson(text, twilioMapper).getSid())) {
            throw new IllegalStateException("the parsers disagree");
        }
    }

    static byte[] callJson() {
        try (InputStream in = CallJsonBenchmark.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public dev.callflux.core.model.Call callJsonBytes() {
        return CallJson.parse(bytes);
    }

    @Benchmark
    public dev.callflux.core.model.Call callJsonString() {
        return CallJson.parse(text);
    }

    /** What the adapter calls for a 200: status check + CallJson. */
    @Benchmark
    public dev.callflux.core.model.Call responseDecoder() {
        return ResponseDecoder.decode(200, bytes, "RQ0123", null, null);
    }

    /**
     * Only the date parsing {@code CallJson} does for this body: the four RFC 2822 dates through
     * {@code ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME)}, to show its share of {@link #callJsonBytes}.
     */
    @Benchmark
    public void rfc1123DatesOnly(Blackhole bh) {
        for (String d : dates) {
            bh.consume(ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME));
        }
    }

    @Benchmark
    public Map<?, ?> jacksonDatabindMap() throws IOException {
        return mapper.readValue(bytes, Map.class);
    }

    @Benchmark
    public com.twilio.rest.api.v2010.account.Call twilioCallFromJsonString() {
        return com.twilio.rest.api.v2010.account.Call.fromJson(text, twilioMapper);
    }

    @Benchmark
    public com.twilio.rest.api.v2010.account.Call twilioCallFromJsonStream() {
        return com.twilio.rest.api.v2010.account.Call.fromJson(new ByteArrayInputStream(bytes), twilioMapper);
    }
}
