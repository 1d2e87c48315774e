package dev.callflux.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * One case of the load comparison: {@code calls} measured hang-ups at {@code concurrency} against a
 * simulator answering after {@code latencyMs}, after {@code warmup} calls in the same client JVM (0: a cold JVM).
 */
public record LoadCase(String id, String title, int calls, int concurrency, int latencyMs, int warmup) {

    /** The four cases of the comparison, with their default sizes. */
    public static List<LoadCase> defaults() {
        return List.of(
                new LoadCase("1", "cold JVM, first calls (command line)", 10_000, 1_000, 20, 0),
                new LoadCase("2", "warm, CPU-bound (L=0)", 50_000, 64, 0, 20_000),
                new LoadCase("3", "warm, high concurrency", 50_000, 1_000, 20, 20_000),
                new LoadCase("4", "warm, Twilio's usual limit (target >= 0.9 x C/L)", 50_000, 100, 20, 20_000));
    }

    public boolean cold() {
        return warmup == 0;
    }

    /** The throughput bound C/L in calls per second; infinite when L is 0. */
    public double boundCallsPerSecond() {
        return latencyMs == 0 ? Double.POSITIVE_INFINITY : concurrency * 1000.0 / latencyMs;
    }

    /** {@code N=50,000 C=64 L=0 ms warm-up 20,000}. */
    public String parameters() {
        return String.format(java.util.Locale.ROOT, "N=%,d C=%,d L=%d ms, %s", calls, concurrency, latencyMs,
                cold() ? "no warm-up" : String.format(java.util.Locale.ROOT, "warm-up %,d", warmup));
    }

    /**
     * The selected cases with the flags applied: {@code --cases 1,3}; {@code --calls}, {@code --warmup},
     * {@code --concurrency}, {@code --latency-ms} for every selected case (the cold case keeps no warm-up);
     * {@code --case.N.calls} (and {@code .warmup}, {@code .concurrency}, {@code .latency-ms}) for one;
     * {@code --scale F} multiplies calls and warm-ups last (for quick trial runs).
     */
    public static List<LoadCase> select(Flags f) {
        List<String> ids = f.list("cases", List.of("1", "2", "3", "4"));
        double scale = f.decimal("scale", 1.0);
        List<LoadCase> out = new ArrayList<>();
        for (String id : ids) {
            LoadCase c = defaults().stream().filter(d -> d.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown case '" + id + "' (cases: 1, 2, 3, 4)"));
            int calls = f.integer("case." + id + ".calls", f.integer("calls", c.calls()));
            int concurrency = f.integer("case." + id + ".concurrency", f.integer("concurrency", c.concurrency()));
            int latency = f.integer("case." + id + ".latency-ms", f.integer("latency-ms", c.latencyMs()));
            int warmup = f.integer("case." + id + ".warmup", c.cold() ? 0 : f.integer("warmup", c.warmup()));
            calls = Math.max(1, (int) Math.round(calls * scale));
            warmup = (int) Math.round(warmup * scale);
            if (concurrency < 1 || latency < 0 || warmup < 0) {
                throw new IllegalArgumentException("case " + id + ": concurrency must be >= 1, latency and warm-up >= 0");
            }
            out.add(new LoadCase(id, c.title(), calls, concurrency, latency, warmup));
        }
        return out;
    }
}
