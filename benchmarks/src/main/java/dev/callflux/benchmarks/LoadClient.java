package dev.callflux.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One client run, in its own JVM (started by {@link LoadComparison} or by hand): optionally a warm-up of
 * {@code --warmup} calls, then the measured phase of {@code --calls} calls at {@code --concurrency}, with
 * CallFlux or twilio-java against a running simulator. Prints one {@link ResultLine} to standard output.
 *
 * <pre>
 * java -Xmx1g -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar dev.callflux.benchmarks.LoadClient \
 *     --client callflux --base-url http://127.0.0.1:PORT --account-sid AC... --auth-token T \
 *     --calls 50000 --warmup 20000 --concurrency 64 [--sim-pid PID] [--twilio-mode async|threads] [--jfr out.jfr]
 * </pre>
 *
 * Measured over the measured phase only: wall time, this process's CPU time
 * ({@code OperatingSystemMXBean.getProcessCpuTime}), the simulator's CPU time ({@code /proc/PID/stat}),
 * peak threads (the JVM's peak thread count, reset when the phase starts, and the OS thread count sampled
 * from {@code /proc/self/status} every 20 ms) and GC. Peak RSS ({@code VmHWM}) is the process's, warm-up included.
 */
public final class LoadClient {

    static final Set<String> FLAGS = Set.of("client", "base-url", "account-sid", "auth-token", "calls", "warmup",
            "concurrency", "sim-pid", "twilio-mode", "jfr", "thread-sample-ms", "prewarm");

    /** Tags that keep the warm-up's call SIDs apart from the measured phase's. */
    static final int WARMUP_TAG = 0x0000a11;
    static final int MEASURED_TAG = 0x0000b22;

    private LoadClient() {
    }

    public static void main(String[] args) throws Exception {
        Flags f;
        try {
            f = Flags.parse(args, FLAGS);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try {
            ResultLine result = run(f);
            System.out.println(result.format());
            System.out.flush();
            status = 0;
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        // twilio-java's executor threads are not daemons: do not wait 60 s for them to idle out.
        System.exit(status);
    }

    static ResultLine run(Flags f) throws Exception {
        String client = f.required("client");
        String baseUrl = f.required("base-url");
        String account = f.required("account-sid");
        String token = f.required("auth-token");
        int calls = f.integer("calls", 10_000);
        int warmup = f.integer("warmup", 0);
        int concurrency = f.integer("concurrency", 64);
        long simPid = f.longValue("sim-pid", -1);
        String jfr = f.string("jfr", null);
        long samplePeriod = f.longValue("thread-sample-ms", 20);
        TwilioJavaDriver.Mode mode = TwilioJavaDriver.Mode.parse(f.string("twilio-mode", "async"));

        Driver driver;
        String description;
        switch (client) {
            case "callflux": {
                CallFluxDriver d = new CallFluxDriver(baseUrl, account, token, concurrency, f.bool("prewarm", false));
                driver = new Driver() {
                    @Override
                    public void run(Stream<String> sids, Tally tally) {
                        d.hangupAll(sids, concurrency, tally);
                    }

                    @Override
                    public void close() {
                        d.close();
                    }
                };
                description = CallFluxDriver.DESCRIPTION;
                break;
            }
            case "twilio-java": {
                TwilioJavaDriver d = new TwilioJavaDriver(baseUrl, account, token, concurrency, mode);
                driver = new Driver() {
                    @Override
                    public void run(Stream<String> sids, Tally tally) throws InterruptedException {
                        d.hangupAll(sids, concurrency, tally);
                    }

                    @Override
                    public void close() {
                        d.close();
                    }
                };
                description = mode == TwilioJavaDriver.Mode.ASYNC ? "twilio-java updateAsync + Semaphore(C)"
                        : "twilio-java C threads x update()";
                break;
            }
            case "twilio-java-vt": {
                TwilioJavaDriver d = new TwilioJavaDriver(baseUrl, account, token, concurrency, TwilioJavaDriver.Mode.VIRTUAL);
                driver = new Driver() {
                    @Override
                    public void run(Stream<String> sids, Tally tally) throws InterruptedException {
                        d.hangupAll(sids, concurrency, tally);
                    }

                    @Override
                    public void close() {
                        d.close();
                    }
                };
                description = "twilio-java update() on one virtual thread per call, Semaphore(C)";
                break;
            }
            case "jdk-http": {
                JdkHttpDriver d = new JdkHttpDriver(baseUrl, account, token);
                driver = new Driver() {
                    @Override
                    public void run(Stream<String> sids, Tally tally) throws InterruptedException {
                        d.hangupAll(sids, concurrency, tally);
                    }

                    @Override
                    public void close() {
                        d.close();
                    }
                };
                description = JdkHttpDriver.DESCRIPTION;
                break;
            }
            default:
                throw new IllegalArgumentException("--client must be callflux, twilio-java, twilio-java-vt or jdk-http, got " + client);
        }

        Tally warm = new Tally();
        long warmNanos = 0;
        if (warmup > 0) {
            long t0 = System.nanoTime();
            driver.run(sids(WARMUP_TAG, warmup), warm);
            warmNanos = System.nanoTime() - t0;
            // Start the measured phase from the same clean heap for both clients.
            System.gc();
            Thread.sleep(200);
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        threads.resetPeakThreadCount();
        JfrSession recording = jfr == null ? null : JfrSession.start(Path.of(jfr));
        long gcCount0 = gcCount();
        long gcMillis0 = gcMillis();
        Tally tally = new Tally();
        long sim0 = simPid > 0 ? ProcStats.processCpuNanos(simPid) : -1;
        long cpu0 = ProcStats.selfCpuNanos();
        long t0 = System.nanoTime();
        long peakOs;
        try (ProcStats.ThreadSampler sampler = new ProcStats.ThreadSampler(samplePeriod)) {
            driver.run(sids(MEASURED_TAG, calls), tally);
            peakOs = sampler.peak();
        }
        long wall = System.nanoTime() - t0;
        long first = tally.firstResultNanoTime() == 0 ? -1 : tally.firstResultNanoTime() - t0;
        long cpu1 = ProcStats.selfCpuNanos();
        long sim1 = simPid > 0 ? ProcStats.processCpuNanos(simPid) : -1;
        int peakJvm = threads.getPeakThreadCount();
        long gcCount = gcCount() - gcCount0;
        long gcMillis = gcMillis() - gcMillis0;
        if (recording != null) {
            recording.stop();
        }
        long hwm = ProcStats.selfStatus("VmHWM").orElse(-1);
        driver.close();

        return ResultLine.builder()
                .put("client", client)
                .put("driver", description)
                .put("calls", calls)
                .put("concurrency", concurrency)
                .put("warmupCalls", warmup)
                .put("warmupOk", warm.succeeded())
                .put("warmupFailed", warm.failed())
                .put("warmupNanos", warmNanos)
                .put("ok", tally.succeeded())
                .put("failed", tally.failed())
                .put("failures", tally.failuresText())
                .put("wallNanos", wall)
                .put("firstResultNanos", first)
                .put("cpuNanos", cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0)
                .put("simCpuNanos", sim0 < 0 || sim1 < 0 ? -1 : sim1 - sim0)
                .put("peakThreadsJvm", peakJvm)
                .put("peakThreadsOs", peakOs)
                .put("vmHwmKb", hwm)
                .put("gcCount", gcCount)
                .put("gcMillis", gcMillis)
                .put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                .put("jvmFlags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
                .put("cpus", Runtime.getRuntime().availableProcessors())
                .build();
    }

    /** {@code count} distinct, well-formed call SIDs: {@code CA}, the tag, then the index, 32 hex digits. */
    static Stream<String> sids(int tag, int count) {
        HexFormat hex = HexFormat.of();
        String prefix = "CA" + hex.toHexDigits(tag) + "00000000";
        return IntStream.range(0, count).mapToObj(i -> prefix + hex.toHexDigits((long) i));
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    private interface Driver extends AutoCloseable {
        void run(Stream<String> sids, Tally tally) throws Exception;

        @Override
        void close();
    }
}
