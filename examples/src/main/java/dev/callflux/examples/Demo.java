package dev.callflux.examples;

import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Flux;

/**
 * Hangs up N simulated calls through CallFlux against the built-in {@link TwilioSimulator}: no Twilio
 * account needed. Run with {@code java -jar examples/target/callflux.jar demo [calls] [concurrency]}.
 */
public final class Demo {

    static final int DEFAULT_CALLS = 1_000;
    static final int DEFAULT_CONCURRENCY = 50;

    private Demo() {
    }

    /** The outcome of a demo run. */
    public record Summary(int calls, long succeeded, long failed, Map<String, Long> failures, Duration elapsed) {

        public double callsPerSecond() {
            return calls / Math.max(elapsed.toNanos() / 1e9, 1e-9);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "hung up %,d calls: %,d succeeded, %,d failed%s in %.2f s (%,.0f calls/s)",
                    calls, succeeded, failed, failures.isEmpty() ? "" : " " + failures,
                    elapsed.toNanos() / 1e9, callsPerSecond());
        }
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_CALLS;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_CONCURRENCY;
        try (TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofMillis(20))
                .latencyJitter(Duration.ofMillis(10)).start()) {
            System.out.println("TwilioSimulator listening on " + sim.baseUrl());
            System.out.println("Hanging up " + calls + " calls, " + concurrency + " at a time...");
            Summary summary = run(sim, calls, concurrency);
            System.out.println(summary);
            if (summary.failed() > 0) {
                System.exit(1);
            }
        }
    }

    /** Hangs up {@code calls} generated call SIDs on the simulator, at most {@code concurrency} at a time. */
    public static Summary run(TwilioSimulator sim, int calls, int concurrency) {
        try (CallFluxClient client = CallFluxClient.builder()
                .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                .baseUrl(sim.baseUrl())
                .maxConnections(concurrency)
                .build()) {
            Map<String, Long> failures = new TreeMap<>();
            long start = System.nanoTime();
            long succeeded = client.hangupAll(Flux.range(0, calls).map(Demo::callSid), BulkOptions.builder().maxInFlight(concurrency).build())
                    .doOnNext(result -> result.error().ifPresent(e -> failures.merge(e.getClass().getSimpleName(), 1L, Long::sum)))
                    .filter(BulkResult::isSuccess)
                    .count()
                    .block();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new Summary(calls, succeeded, calls - succeeded, failures, elapsed);
        }
    }

    static String callSid(int i) {
        return "CA" + "dea1".repeat(4) + HexFormat.of().toHexDigits((long) i);
    }
}
