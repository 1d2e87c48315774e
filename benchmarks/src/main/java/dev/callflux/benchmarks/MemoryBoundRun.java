package dev.callflux.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory stays bounded by the concurrency, not the batch: hangs up 1,000,000 calls (by default) through
 * the bulk API in a client JVM with {@code -Xmx64m}, against the simulator in its own process (whose ledger
 * of a million calls needs a large heap). Exits 0 only if every call succeeded.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar dev.callflux.benchmarks.MemoryBoundRun [--calls N] [--concurrency C] [--heap 64m]}</pre>
 */
public final class MemoryBoundRun {

    private static final Pattern RESULT = Pattern.compile(
            "MEMORY-RESULT calls=(\\d+) succeeded=(\\d+) failed=(\\d+) seconds=([\\d.]+) heapMax=(\\d+) peakHeapUsed=(\\d+)");

    private MemoryBoundRun() {
    }

    public static void main(String[] args) throws Exception {
        long calls = 1_000_000;
        int concurrency = 100;
        String heap = "64m";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--calls": calls = Long.parseLong(args[i + 1]); break;
                case "--concurrency": concurrency = Integer.parseInt(args[i + 1]); break;
                case "--heap": heap = args[i + 1]; break;
                default: throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = LoadComparison.childClasspath();
        Path logs = LoadComparison.targetDir().resolve("memory-logs");
        Files.createDirectories(logs);
        String account = "AC" + "5".repeat(32);
        String token = "memory-bound-" + Long.toHexString(System.nanoTime());
        try (SimulatorProcess sim = SimulatorProcess.start(java, List.of("-Xmx4g", "-XX:+UseParallelGC"), classpath, 0,
                account, token, logs.resolve("simulator.err"))) {
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-Xms" + heap,
                    "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + logs.resolve("client.hprof"),
                    "-cp", classpath, MemoryBoundClient.class.getName(),
                    sim.baseUrl(), sim.accountSid(), token, Long.toString(calls), Integer.toString(concurrency)));
            System.out.println("hanging up " + String.format("%,d", calls) + " calls at concurrency " + concurrency
                    + " in a client JVM with -Xmx" + heap + " ...");
            Process client = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!client.waitFor(30, TimeUnit.MINUTES)) {
                client.destroyForcibly();
                throw new IllegalStateException("the client did not finish in 30 minutes");
            }
            Matcher m = RESULT.matcher(out);
            if (client.exitValue() != 0 || !m.find()) {
                System.out.println(out);
                System.out.println("FAILED: client exit " + client.exitValue() + " (an OutOfMemoryError leaves a heap dump in " + logs + ")");
                System.exit(1);
            }
            long succeeded = Long.parseLong(m.group(2));
            long failed = Long.parseLong(m.group(3));
            System.out.printf("%,d of %,d succeeded, %,d failed, in %s s (%,.0f calls/s); heap max %,d MiB, peak heap used %,d MiB%n",
                    succeeded, calls, failed, m.group(4), calls / Double.parseDouble(m.group(4)),
                    Long.parseLong(m.group(5)) >> 20, Long.parseLong(m.group(6)) >> 20);
            if (succeeded != calls || failed != 0) {
                System.out.println("FAILED: not every call succeeded");
                System.exit(1);
            }
        }
    }
}
