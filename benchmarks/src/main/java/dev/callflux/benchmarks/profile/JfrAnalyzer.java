package dev.callflux.benchmarks.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Aggregates a JFR recording into "where does the CPU go" tables, with the JDK's own
 * {@code jdk.jfr.consumer} API (no {@code jfr} tool needed): Java execution samples by the category of the
 * top frame (self time), by the first non-JDK frame (JDK work charged to the library that asked for it),
 * and by category anywhere on the stack (inclusive); the hottest methods; named probes (header work, JSON
 * parsing, ...); allocation samples by class and by caller; threads; GC pauses; CPU load.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.callflux.benchmarks.profile.JfrAnalyzer FILE.jfr [calls]
 * </pre>
 */
public final class JfrAnalyzer {

    /** Stack predicates reported as "share of samples with this on the stack". */
    static final Map<String, Predicate<RecordedFrame>> PROBES = probes();

    private final Map<Category, Long> self = new EnumMap<>(Category.class);
    private final Map<Category, Long> byCaller = new EnumMap<>(Category.class);
    private final Map<Category, Long> inclusive = new EnumMap<>(Category.class);
    private final Map<String, Long> hotMethods = new HashMap<>();
    private final Map<String, Long> hotNonJdkMethods = new HashMap<>();
    private final Map<String, Long> probeHits = new LinkedHashMap<>();
    private final Map<String, Long> threads = new HashMap<>();
    private final Map<String, Long> allocByClass = new HashMap<>();
    private final Map<Category, Long> allocByCaller = new EnumMap<>(Category.class);
    private final Map<String, double[]> threadCpu = new HashMap<>();
    private long samples;
    private long nativeSamples;
    private long allocBytes;
    private long gcCount;
    private Duration gcPauses = Duration.ZERO;
    private double jvmCpuSum;
    private double machineCpuSum;
    private long cpuLoadEvents;

    private JfrAnalyzer() {
        PROBES.keySet().forEach(k -> probeHits.put(k, 0L));
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("Usage: JfrAnalyzer FILE.jfr [calls-in-recording]");
            System.exit(2);
        }
        long calls = args.length > 1 ? Long.parseLong(args[1]) : -1;
        System.out.println(analyze(Path.of(args[0])).markdown(calls, 25));
    }

    /** Reads the whole recording. */
    public static JfrAnalyzer analyze(Path jfr) throws IOException {
        JfrAnalyzer a = new JfrAnalyzer();
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                a.accept(file.readEvent());
            }
        }
        return a;
    }

    private void accept(RecordedEvent e) {
        switch (e.getEventType().getName()) {
            case "jdk.ExecutionSample": executionSample(e); break;
            case "jdk.NativeMethodSample": nativeSamples++; break;
            case "jdk.ObjectAllocationSample": allocation(e); break;
            case "jdk.GarbageCollection":
                gcCount++;
                gcPauses = gcPauses.plus(e.getDuration("sumOfPauses"));
                break;
            case "jdk.CPULoad":
                jvmCpuSum += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                machineCpuSum += e.getFloat("machineTotal");
                cpuLoadEvents++;
                break;
            case "jdk.ThreadCPULoad": {
                RecordedThread t = e.getThread("eventThread");
                String name = (t == null ? "?" : t.getJavaThreadId() + " " + t.getJavaName());
                double[] sum = threadCpu.computeIfAbsent(name, k -> new double[2]);
                sum[0] += e.getFloat("user") + e.getFloat("system");
                sum[1]++;
                break;
            }
            default: break;
        }
    }

    private void executionSample(RecordedEvent e) {
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
            return;
        }
        samples++;
        List<RecordedFrame> frames = st.getFrames();
        RecordedFrame top = frames.get(0);
        Category topCat = category(top);
        add(self, topCat, 1);
        add(hotMethods, method(top), 1);
        Set<Category> seen = EnumSet.noneOf(Category.class);
        Category caller = null;
        String callerMethod = null;
        for (RecordedFrame f : frames) {
            Category c = category(f);
            seen.add(c);
            if (caller == null && !c.isJdk()) {
                caller = c;
                callerMethod = method(f);
            }
        }
        add(byCaller, caller == null ? topCat : caller, 1);
        if (callerMethod != null) {
            add(hotNonJdkMethods, callerMethod, 1);
        }
        for (Category c : seen) {
            add(inclusive, c, 1);
        }
        for (Map.Entry<String, Predicate<RecordedFrame>> p : PROBES.entrySet()) {
            for (RecordedFrame f : frames) {
                if (p.getValue().test(f)) {
                    probeHits.merge(p.getKey(), 1L, Long::sum);
                    break;
                }
            }
        }
        add(threads, threadGroup(e.getThread("sampledThread")), 1);
    }

    /** A thread's earliest allocation sample, held back: see {@link #allocation}. */
    private record AllocSample(java.time.Instant time, long weight, String cls, Category caller) {
    }

    private final Map<Long, AllocSample> firstAllocByThread = new HashMap<>();

    /**
     * A thread's first allocation sample in the recording carries the weight of everything the thread
     * allocated since its previous sample, before the recording started (the warm-up: hundreds of MB), so
     * the earliest sample of every thread is left out.
     */
    private void allocation(RecordedEvent e) {
        long weight = e.getLong("weight");
        String cls = e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
        RecordedStackTrace st = e.getStackTrace();
        Category caller = Category.OTHER;
        if (st != null) {
            for (RecordedFrame f : st.getFrames()) {
                Category c = category(f);
                if (!c.isJdk()) {
                    caller = c;
                    break;
                }
            }
        }
        AllocSample sample = new AllocSample(e.getStartTime(), weight, cls, caller);
        RecordedThread t = e.getThread("eventThread");
        long tid = t == null ? -1 : t.getId();
        AllocSample first = firstAllocByThread.get(tid);
        if (first == null || sample.time().isBefore(first.time())) {
            firstAllocByThread.put(tid, sample);
            if (first == null) {
                return;
            }
            sample = first;
        }
        allocBytes += sample.weight();
        add(allocByClass, sample.cls(), sample.weight());
        add(allocByCaller, sample.caller(), sample.weight());
    }

    private static <K> void add(Map<K, Long> m, K k, long n) {
        m.merge(k, n, Long::sum);
    }

    static Category category(RecordedFrame f) {
        return f.getMethod() == null ? Category.OTHER : Category.of(f.getMethod().getType().getName());
    }

    static String method(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** Thread names with their numbers folded: {@code reactor-http-epoll-2} becomes {@code reactor-http-epoll-#}. */
    static String threadGroup(RecordedThread t) {
        if (t == null) {
            return "?";
        }
        String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }

    private static Map<String, Predicate<RecordedFrame>> probes() {
        Map<String, Predicate<RecordedFrame>> m = new LinkedHashMap<>();
        m.put("HTTP header work: a *Headers* class or a *header* method on the stack", f -> {
            if (f.getMethod() == null) {
                return false;
            }
            String cls = f.getMethod().getType().getName();
            String name = f.getMethod().getName().toLowerCase(Locale.ROOT);
            return (cls.startsWith("io.netty.") || cls.startsWith("reactor.netty.") || cls.startsWith("dev.callflux."))
                    && (cls.contains("Headers") || name.contains("header"));
        });
        m.put("JSON parsing: CallJson / ResponseDecoder on the stack", f -> category(f) == Category.CALLFLUX_JSON);
        m.put("date parsing: java.time on the stack", f -> category(f) == Category.JAVA_TIME);
        m.put("form encoding: FormEncoder on the stack", f -> category(f) == Category.CALLFLUX_FORM);
        m.put("request URI: ApiEndpoint / SIDs / URI parsing on the stack", f -> {
            String s = method(f);
            return s.startsWith("dev.callflux.core.http.ApiEndpoint") || s.startsWith("dev.callflux.core.model.CallSid")
                    || s.startsWith("dev.callflux.core.model.AccountSid") || s.startsWith("dev.callflux.core.model.Sids")
                    || s.startsWith("reactor.netty.http.client.UriEndpoint") || s.startsWith("java.net.URI");
        });
        m.put("connection pool: reactor.netty.resources / pool on the stack", f -> category(f) == Category.REACTOR_NETTY_POOL);
        m.put("response body aggregation: ByteBufFlux.asByteArray / collect", f -> {
            String s = method(f);
            return s.startsWith("reactor.netty.ByteBufFlux") || s.contains("MonoCollect")
                    || s.contains("UpdateCallTransport$Bytes");
        });
        m.put("socket I/O: epoll / NIO reads and writes on the stack", f -> category(f) == Category.NETTY_TRANSPORT
                || category(f) == Category.JDK_NET_IO);
        m.put("logging: slf4j / reactor.util.Logger / java.util.logging", f -> {
            String s = method(f);
            return s.startsWith("org.slf4j.") || s.startsWith("reactor.util.Logger") || s.startsWith("reactor.util.Loggers")
                    || s.startsWith("java.util.logging.");
        });
        return m;
    }

    /** The report; {@code calls} (if known, else -1) turns allocation into bytes per call. */
    public String markdown(long calls, int top) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Java execution samples: %,d (JFR samples threads running Java code; "
                + "GC, JIT and threads blocked in epoll_wait are not in them). Native-method samples: %,d.%n%n", samples, nativeSamples));
        if (cpuLoadEvents > 0) {
            sb.append(String.format(Locale.ROOT, "CPU while recording (jdk.CPULoad averages): this JVM %.0f %%, "
                    + "whole machine %.0f %% of all cores.%n%n", 100 * jvmCpuSum / cpuLoadEvents, 100 * machineCpuSum / cpuLoadEvents));
        }
        sb.append("### CPU by category\n\n");
        sb.append("- **self**: the sample's top frame is in the category.\n");
        sb.append("- **by caller**: JDK frames charged to the first non-JDK frame below them (e.g. `java.time` parsing called by CallJson counts as CallJson).\n");
        sb.append("- **inclusive**: the category appears anywhere on the stack (sums to more than 100 %).\n\n");
        sb.append("| category | self | by caller | inclusive |\n|---|--:|--:|--:|\n");
        List<Category> order = new ArrayList<>(List.of(Category.values()));
        order.sort((a, b) -> Long.compare(byCaller.getOrDefault(b, 0L) + self.getOrDefault(b, 0L),
                byCaller.getOrDefault(a, 0L) + self.getOrDefault(a, 0L)));
        for (Category c : order) {
            long s = self.getOrDefault(c, 0L);
            long b = byCaller.getOrDefault(c, 0L);
            long i = inclusive.getOrDefault(c, 0L);
            if (s + b + i == 0) {
                continue;
            }
            sb.append("| ").append(c.label()).append(" | ").append(pct(s, samples)).append(" | ")
                    .append(pct(b, samples)).append(" | ").append(pct(i, samples)).append(" |\n");
        }
        sb.append("\n### Probes (share of samples with this on the stack)\n\n| probe | samples |\n|---|--:|\n");
        probeHits.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(pct(v, samples)).append(" |\n"));

        sb.append("\n### Hottest methods (self, top frame)\n\n| method | self |\n|---|--:|\n");
        topEntries(hotMethods, top).forEach(e -> sb.append("| `").append(e.getKey()).append("` | ")
                .append(pct(e.getValue(), samples)).append(" |\n"));
        sb.append("\n### Hottest non-JDK frames (first non-JDK frame of each sample)\n\n| method | samples |\n|---|--:|\n");
        topEntries(hotNonJdkMethods, top).forEach(e -> sb.append("| `").append(e.getKey()).append("` | ")
                .append(pct(e.getValue(), samples)).append(" |\n"));

        sb.append("\n### Threads\n\nCPU: mean of jdk.ThreadCPULoad (user + system) per thread, summed over the "
                + "threads of a group, as a share of all the machine's cores; it includes threads JFR does not "
                + "sample (JIT compilers).\n\n| thread | execution samples | CPU (share of machine) |\n|---|--:|--:|\n");
        Map<String, Double> groupCpu = new HashMap<>();
        threadCpu.forEach((idAndName, sum) -> {
            String name = idAndName.substring(idAndName.indexOf(' ') + 1);
            groupCpu.merge(name.replaceAll("\\d+", "#"), sum[1] == 0 ? 0 : sum[0] / sum[1], Double::sum);
        });
        Map<String, Long> rows = new HashMap<>(threads);
        groupCpu.keySet().forEach(k -> rows.putIfAbsent(k, 0L));
        List<Map.Entry<String, Long>> threadRows = new ArrayList<>(rows.entrySet());
        threadRows.sort(java.util.Comparator.<Map.Entry<String, Long>>comparingDouble(
                e -> groupCpu.getOrDefault(e.getKey(), 0.0)).thenComparingLong(Map.Entry::getValue).reversed());
        threadRows.stream().limit(15).forEach(e -> {
            Double cpu = groupCpu.get(e.getKey());
            sb.append("| ").append(e.getKey()).append(" | ").append(pct(e.getValue(), samples)).append(" | ")
                    .append(cpu == null ? "" : String.format(Locale.ROOT, "%.1f %%", 100 * cpu)).append(" |\n");
        });

        sb.append(String.format(Locale.ROOT, "%n### Allocation (jdk.ObjectAllocationSample, weighted)%n%nEstimated total %,.0f MiB%s.%n%n",
                allocBytes / 1048576.0, calls > 0 ? String.format(Locale.ROOT, ", about %,.0f bytes per call", allocBytes / (double) calls) : ""));
        sb.append("Sampled allocations are weighted by the bytes allocated since the thread's previous sample, "
                + "so the class column is statistical (an object that often starts a new TLAB collects the weight "
                + "of others); the caller column is the sturdier view. Each thread's first sample is left out: its "
                + "weight covers the thread's allocation before the recording started.\n\n");
        sb.append("| allocated by (first non-JDK frame) | share |\n|---|--:|\n");
        topEntries(allocByCaller, 12).forEach(e -> sb.append("| ").append(e.getKey().label()).append(" | ")
                .append(pct(e.getValue(), allocBytes)).append(" |\n"));
        sb.append("\n| class | share |\n|---|--:|\n");
        topEntries(allocByClass, 15).forEach(e -> sb.append("| `").append(e.getKey()).append("` | ")
                .append(pct(e.getValue(), allocBytes)).append(" |\n"));

        sb.append(String.format(Locale.ROOT, "%nGC while recording: %d collections, %d ms of pauses.%n", gcCount, gcPauses.toMillis()));
        return sb.toString();
    }

    private static <K> List<Map.Entry<K, Long>> topEntries(Map<K, Long> m, int n) {
        List<Map.Entry<K, Long>> l = new ArrayList<>(m.entrySet());
        l.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        return l.subList(0, Math.min(n, l.size()));
    }

    static String pct(long part, long whole) {
        return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }

    public long samples() {
        return samples;
    }
}
