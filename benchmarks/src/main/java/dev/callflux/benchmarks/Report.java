package dev.callflux.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The load comparison's markdown: one table, both clients side by side, and the ratio CallFlux / twilio-java. */
public final class Report {

    static final String CALLFLUX = "callflux";
    static final String TWILIO = "twilio-java";
    static final String TWILIO_VT = "twilio-java-vt";
    static final String JDK_HTTP = "jdk-http";
    static final String CALLFLUX_JDK_TLS = "callflux-jdktls";
    static final String CALLFLUX_25 = "callflux-25";
    static final String CALLFLUX_PREWARM = "callflux-prewarm";

    /** The column heading of a client (variant) name. */
    static String label(String client) {
        switch (client) {
            case CALLFLUX: return "CallFlux";
            case TWILIO: return "twilio-java";
            case TWILIO_VT: return "twilio-java VT (Java 25)";
            case JDK_HTTP: return "JDK HttpClient";
            case CALLFLUX_JDK_TLS: return "CallFlux, JDK TLS";
            case CALLFLUX_25: return "CallFlux (Java 25)";
            case CALLFLUX_PREWARM: return "CallFlux, warmup() first";
            default: return client;
        }
    }

    private Report() {
    }

    /** A metric row: how to show one outcome's value, and its number for the ratio (NaN: no ratio). */
    private record Metric(String name, Function<Outcome, String> text, Function<Outcome, Double> value) {
    }

    private static List<Metric> metrics(LoadCase c) {
        List<Metric> m = new ArrayList<>();
        m.add(new Metric("succeeded / failed", o -> String.format(Locale.ROOT, "%,d / %,d%s",
                o.result().longValue("ok"), o.result().longValue("failed"),
                o.result().longValue("failed") > 0 ? " **(" + o.result().string("failures") + ")**" : ""),
                o -> Double.NaN));
        m.add(new Metric("wall time (s)", o -> fmt("%.2f", o.seconds()), Outcome::seconds));
        m.add(new Metric("first call done after (ms)", o -> fmt("%.0f", o.firstResultMillis()), Outcome::firstResultMillis));
        m.add(new Metric("throughput (calls/s)", o -> fmt("%,.0f", o.callsPerSecond()), Outcome::callsPerSecond));
        if (c.latencyMs() > 0) {
            m.add(new Metric(String.format(Locale.ROOT, "share of bound C/L = %,.0f calls/s", c.boundCallsPerSecond()),
                    o -> share(o.callsPerSecond() / c.boundCallsPerSecond()),
                    o -> o.callsPerSecond() / c.boundCallsPerSecond()));
        }
        m.add(new Metric("client CPU per call (µs)", o -> fmt("%.1f", o.cpuMicrosPerCall()), Outcome::cpuMicrosPerCall));
        m.add(new Metric("client CPU (cores busy)", o -> fmt("%.2f", o.cpuCores()), Outcome::cpuCores));
        m.add(new Metric("peak threads (JVM, ThreadMXBean)", o -> o.result().string("peakThreadsJvm"),
                o -> (double) o.result().longValue("peakThreadsJvm")));
        m.add(new Metric("peak threads (OS, /proc every 20 ms)", o -> o.result().string("peakThreadsOs"),
                o -> (double) o.result().longValue("peakThreadsOs")));
        m.add(new Metric("peak RSS, VmHWM (MiB)", o -> fmt("%.0f", o.peakRssMiB()), Outcome::peakRssMiB));
        m.add(new Metric("GC in phase (collections / ms)", o -> o.result().string("gcCount") + " / "
                + o.result().string("gcMillis"), o -> (double) o.result().longValue("gcMillis")));
        m.add(new Metric("simulator CPU per call (µs)", o -> fmt("%.1f", o.simCpuMicrosPerCall()),
                Outcome::simCpuMicrosPerCall));
        m.add(new Metric("simulator CPU (cores busy)", o -> fmt("%.2f", o.simCpuCores()), Outcome::simCpuCores));
        m.add(new Metric("simulator: requests seen / peak in flight", o -> o.simRequests().isPresent()
                ? String.format(Locale.ROOT, "%,d / %,d", o.simRequests().getAsLong(),
                        o.simPeakConcurrency().orElse(-1)) : "n/a", o -> Double.NaN));
        m.add(new Metric("simulator: TLS handshakes / resumed", o -> o.simLedgerValue("tlsHandshakes").orElse(0) == 0 ? "-"
                : String.format(Locale.ROOT, "%,d / %,d", o.simLedgerValue("tlsHandshakes").getAsLong(),
                        o.simLedgerValue("tlsResumed").orElse(0)), o -> Double.NaN));
        m.add(new Metric("load average before run (1 min)", o -> o.loadAverageBefore(), o -> Double.NaN));
        return m;
    }

    /**
     * The whole report: {@code header} (markdown, already formatted), the table, then the notes
     * (failures, the case-4 target).
     */
    public static String render(String header, List<LoadCase> cases, Map<LoadCase, Map<String, Outcome>> results) {
        StringBuilder sb = new StringBuilder(header);
        List<String> clients = new ArrayList<>();
        for (Map<String, Outcome> m : results.values()) {
            for (String k : ordered(m).keySet()) {
                if (!clients.contains(k)) {
                    clients.add(k);
                }
            }
        }
        if (clients.isEmpty()) {
            clients = List.of(CALLFLUX, TWILIO);
        }
        List<String> others = clients.stream().filter(k -> !k.equals(CALLFLUX)).toList();
        boolean ratios = clients.contains(CALLFLUX);
        sb.append("\n| case | metric |");
        clients.forEach(k -> sb.append(' ').append(label(k)).append(" |"));
        if (ratios) {
            others.forEach(k -> sb.append(" CallFlux / ").append(label(k)).append(" |"));
        }
        sb.append("\n|---|---|");
        clients.forEach(k -> sb.append("--:|"));
        if (ratios) {
            others.forEach(k -> sb.append("--:|"));
        }
        sb.append('\n');
        List<String> notes = new ArrayList<>();
        for (LoadCase c : cases) {
            Map<String, Outcome> byClient = results.getOrDefault(c, Map.of());
            Outcome cf = byClient.get(CALLFLUX);
            boolean first = true;
            for (Metric m : metrics(c)) {
                String label = first ? "**" + c.id() + "** " + c.title() + "<br>" + c.parameters() : "";
                first = false;
                sb.append("| ").append(label).append(" | ").append(m.name()).append(" |");
                for (String k : clients) {
                    sb.append(' ').append(cell(byClient.get(k), m)).append(" |");
                }
                if (ratios) {
                    for (String k : others) {
                        sb.append(' ').append(ratio(cf, byClient.get(k), m)).append(" |");
                    }
                }
                sb.append('\n');
            }
            for (Outcome o : byClient.values()) {
                if (!o.completed()) {
                    notes.add("**Case " + c.id() + ", " + o.client() + ": the run did not complete**: " + o.error());
                } else if (o.hasFailures()) {
                    notes.add("**Case " + c.id() + ", " + o.client() + ": FAILED calls**: measured "
                            + o.result().string("failed") + " (" + o.result().string("failures") + "), warm-up "
                            + o.result().string("warmupFailed"));
                }
            }
            if (c.latencyMs() > 0 && cf != null && cf.completed()) {
                double share = cf.callsPerSecond() / c.boundCallsPerSecond();
                notes.add(String.format(Locale.ROOT, "Case %s: CallFlux reached %s of C/L (%,.0f of %,.0f calls/s)%s",
                        c.id(), share(share), cf.callsPerSecond(), c.boundCallsPerSecond(),
                        c.id().equals("4") ? (share >= 0.9 ? "; target >= 90 %: met" : "; target >= 90 %: **NOT met**") : ""));
            }
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (String n : notes) {
                sb.append("- ").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    private static String cell(Outcome o, Metric m) {
        if (o == null) {
            return "not run";
        }
        if (!o.completed()) {
            return "**failed**";
        }
        return m.text().apply(o);
    }

    static String ratio(Outcome cf, Outcome tj, Metric m) {
        if (cf == null || tj == null || !cf.completed() || !tj.completed()) {
            return "";
        }
        return ratio(m.value().apply(cf), m.value().apply(tj));
    }

    /** {@code a / b} as {@code 0.42×}; empty when either is not a number or b is 0. */
    static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b) || b == 0) {
            return "";
        }
        double r = a / b;
        return String.format(Locale.ROOT, r >= 10 ? "%.0f×" : "%.2f×", r);
    }

    /** 0.8 as {@code 80 %}, 0.012 as {@code 1.2 %}. */
    static String share(double fraction) {
        double p = 100 * fraction;
        return String.format(Locale.ROOT, p >= 10 ? "%.0f %%" : "%.1f %%", p);
    }

    private static String fmt(String pattern, double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, pattern, v);
    }

    /** Case results in case order, client order CallFlux first. */
    static Map<String, Outcome> ordered(Map<String, Outcome> m) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        if (m.containsKey(CALLFLUX)) {
            out.put(CALLFLUX, m.get(CALLFLUX));
        }
        m.forEach(out::putIfAbsent);
        return out;
    }
}
