package dev.callflux.benchmarks.jmh;

import dev.callflux.core.encoding.FormEncoder;
import dev.callflux.core.model.CallbackMethod;
import dev.callflux.core.model.UpdateCallParameter;
import dev.callflux.core.model.UpdateCallRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link FormEncoder#encode}: the hang-up body ({@code Status=completed}) and a request with every parameter
 * that can go together (all but {@code Url}, which excludes {@code Twiml}), its TwiML full of non-ASCII text;
 * against {@link URLEncoder} joining the same parameters (the JDK's way), and building + validating +
 * encoding the large request (what a caller pays per redirect).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
public class FormEncoderBenchmark {

    /** Inline TwiML with accents, CJK, an emoji (a surrogate pair) and characters that must be escaped. */
    static final String TWIML = "<Response><Say language=\"de-DE\">Auf Wiederhören, schöne Grüße aus Köln &amp; "
            + "bis bald!</Say><Say language=\"fr-FR\">Ça marche — à bientôt ¿qué tal? 通話を終了します 👋</Say>"
            + "<Pause length=\"1\"/><Hangup/></Response>";

    UpdateCallRequest hangup;
    UpdateCallRequest all;

    @org.openjdk.jmh.annotations.Setup
    public void setup() {
        hangup = UpdateCallRequest.hangup();
        all = allParameters();
    }

    static UpdateCallRequest allParameters() {
        return UpdateCallRequest.builder()
                .method(CallbackMethod.POST)
                .status("completed")
                .fallbackUrl("https://example.com/fallback.xml?reason=primary%20failed&lang=de")
                .fallbackMethod(CallbackMethod.GET)
                .statusCallback("https://hooks.example.com/twilio/status?tenant=acme&call=42")
                .statusCallbackMethod(CallbackMethod.POST)
                .twiml(TWIML)
                .timeLimit(14_400)
                .build();
    }

    @Benchmark
    public byte[] encodeHangup() {
        return FormEncoder.encode(hangup);
    }

    @Benchmark
    public byte[] encodeAllParameters() {
        return FormEncoder.encode(all);
    }

    /** The JDK baseline: {@code name=URLEncoder.encode(value)&...} into a String, then its bytes. */
    @Benchmark
    public byte[] urlEncoderAllParameters() {
        StringBuilder sb = new StringBuilder(256);
        for (Map.Entry<UpdateCallParameter, String> p : all.parameters()) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p.getKey().wireName()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public byte[] buildValidateEncodeAllParameters() {
        return FormEncoder.encode(allParameters());
    }
}
