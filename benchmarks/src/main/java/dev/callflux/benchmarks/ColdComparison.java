package dev.callflux.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The whole-process cold comparison, {@code LoadComparison --mode cold}: each subject is a fresh process that
 * hangs up the same {@code N} SIDs from a file and exits, timed from outside with {@code /usr/bin/time} (wall,
 * user + system CPU, peak RSS: JVM start, class loading, JIT and exit included), its thread count sampled from
 * {@code /proc} every 20 ms, against a fresh simulator process per run whose CPU is read from {@code /proc}
 * before and after. Subjects take turns in each round; the report gives the median of the rounds.
 *
 * <p>Subjects: {@code callflux-cmd} (the installed command, {@code examples/target/callflux/bin/callflux hangup
 * --sids FILE --concurrency C}, on the Java running this, as installed: its launcher flags and archive),
 * {@code callflux-cmd-25} (the same on Java 25), {@code callflux-lib} (CallFlux's bulk API in a plain
 * {@code java} with the JVM's defaults), {@code twilio-java} (C platform threads calling {@code update()}, pool
 * sized to C, Java 17, JVM defaults), {@code twilio-java-vt} (one virtual thread per call, at most C in flight,
 * Java 25, JVM defaults), {@code jdk-http} ({@code java.net.http.HttpClient.sendAsync}, Java 17).
 */
final class ColdComparison {

    static final List<String> SUBJECTS = List.of("callflux-cmd", "callflux-cmd-25", "callflux-cmd-c2", "callflux-lib",
            "callflux-lib-prewarm", "callflux-lib-jdktls", "twilio-java", "twilio-java-vt", "jdk-http");
    static final List<String> DEFAULT_SUBJECTS = List.of("callflux-cmd", "twilio-java", "twilio-java-vt");

    private ColdComparison() {
    }

    /** One measured process. */
    record Run(String subject, int concurrency, double wallSeconds, double cpuSeconds, double rssMiB, long peakThreads,
               double simCpuSeconds, long hangupsApplied, long tlsHandshakes, long tlsResumed, int exit, String load) {
    }

    static int run(Flags f) throws Exception {
        int calls = f.integer("cold-calls", 10_000);
        int latency = f.integer("latency-ms", 20);
        int rounds = f.integer("rounds", 1);
        int simWarmup = f.integer("sim-warmup", 10_000);
        boolean tls = f.bool("tls", false);
        List<Integer> concurrencies = new ArrayList<>();
        for (String c : f.list("cold-concurrency", List.of("100", "1000"))) {
            concurrencies.add(Flags.parseInt("cold-concurrency", c));
        }
        List<String> subjects = f.list("cold-subjects", DEFAULT_SUBJECTS);
        for (String s : subjects) {
            if (!SUBJECTS.contains(s)) {
                System.err.println("--cold-subjects: some of " + SUBJECTS + ", got " + s);
                return 2;
            }
        }
        String java17Home = System.getProperty("java.home");
        String java25Home = LoadComparison.java25(f);
        List<String> simJvmFlags = LoadComparison.split(f.string("sim-jvm-flags", LoadComparison.DEFAULT_SIM_JVM_FLAGS));
        Path target = LoadComparison.targetDir();
        Path root = target.toAbsolutePath().getParent().getParent();
        Path cmd = Path.of(f.string("cmd", root.resolve("examples/target/callflux/bin/callflux").toString()));
        if ((subjects.contains("callflux-cmd") || subjects.contains("callflux-cmd-25")) && !Files.isExecutable(cmd)) {
            System.err.println(cmd + " is missing: build it first (mvn -B -q package -DskipTests)");
            return 2;
        }
        Path logs = target.resolve("load-logs");
        Files.createDirectories(logs);
        Path out = Path.of(f.string("out", target.resolve(tls ? "cold-results-tls.md" : "cold-results.md").toString()));
        String classpath = LoadComparison.childClasspath();
        Path trustStore = tls ? dev.callflux.testkit.TestCertificate.writeTrustStore(logs.resolve("test-trust.p12")) : null;
        if (trustStore != null) {
            // For the simulator's warm-up client in this JVM.
            for (String flag : LoadComparison.trustFlags(trustStore)) {
                String[] kv = flag.substring(2).split("=", 2);
                System.setProperty(kv[0], kv[1]);
            }
        }
        Path sids = logs.resolve("cold-sids.txt");
        Files.write(sids, (Iterable<String>) LoadClient.sids(LoadClient.MEASURED_TAG, calls)::iterator, StandardCharsets.US_ASCII);

        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int c : concurrencies) {
                // Alternate the order between rounds, so no subject always runs right after the same one.
                List<String> order = new ArrayList<>(subjects);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (String s : order) {
                    String tag = "cold" + (tls ? "-tls" : "") + "-c" + c + "-" + s + "-r" + round;
                    System.err.printf(Locale.ROOT, "== cold round %d, C=%,d, %s%s ...%n", round, c, s, tls ? " (TLS)" : "");
                    Run r = runOne(s, c, latency, calls, sids, tls, trustStore, cmd, java17Home, java25Home, classpath,
                            simJvmFlags, logs, tag, simWarmup);
                    System.err.printf(Locale.ROOT, "   exit %d, %.2f s wall, %.2f s CPU, %.0f MiB, %d threads, simulator %.2f s CPU, %,d hang-ups applied%s%n",
                            r.exit(), r.wallSeconds(), r.cpuSeconds(), r.rssMiB(), r.peakThreads(), r.simCpuSeconds(),
                            r.hangupsApplied(), tls ? String.format(Locale.ROOT, ", TLS %d/%d resumed", r.tlsHandshakes(), r.tlsResumed()) : "");
                    runs.add(r);
                }
            }
        }
        String report = render(runs, subjects, concurrencies, calls, latency, rounds, tls, java17Home, java25Home, f.string("note", null), simWarmup);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println(report);
        System.err.println("written to " + out.toAbsolutePath());
        boolean failed = runs.stream().anyMatch(r -> r.exit() != 0 || r.hangupsApplied() != calls);
        return failed ? 1 : 0;
    }

    static Run runOne(String subject, int c, int latency, int calls, Path sids, boolean tls, Path trustStore, Path cmd,
                      String java17Home, String java25Home, String classpath, List<String> simJvmFlags, Path logs,
                      String tag, int simWarmup) throws IOException, InterruptedException {
        String account = "AC" + hex(16);
        String token = hex(16);
        String load = LoadComparison.loadAverage();
        SimulatorProcess sim = SimulatorProcess.start(java17Home + "/bin/java", simJvmFlags, classpath, latency, account,
                token, logs.resolve(tag + "-simulator.log"),
                tls ? List.of("--https", "true", "--ledger-on-input", "true") : List.of("--ledger-on-input", "true"));
        if (simWarmup > 0) {
            // The simulator stands in for Twilio, which is not a cold JVM: warm it up (its JIT) first, from this JVM.
            try (CallFluxDriver warm = new CallFluxDriver(sim.baseUrl(), account, token, 200)) {
                Tally t = new Tally();
                warm.hangupAll(LoadClient.sids(LoadClient.WARMUP_TAG, simWarmup), 200, t);
                if (t.failed() > 0) {
                    throw new IOException("the simulator's warm-up failed: " + t.failuresText());
                }
            }
            System.gc();
        }
        String before = sim.ledgerNow();
        Path timeFile = logs.resolve(tag + ".time");
        Files.deleteIfExists(timeFile);
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o", timeFile.toString()));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TWILIO_ACCOUNT_SID", account);
        env.put("TWILIO_AUTH_TOKEN", token);
        List<String> trust = trustStore == null ? List.of() : LoadComparison.trustFlags(trustStore);
        switch (subject) {
            case "callflux-cmd":
            case "callflux-cmd-25":
            case "callflux-cmd-c2":
                env.put("JAVA_HOME", subject.endsWith("-25") ? java25Home : java17Home);
                List<String> opts = new ArrayList<>(trust);
                if (subject.endsWith("-c2")) {
                    opts.add("-XX:TieredStopAtLevel=4");
                }
                if (!opts.isEmpty()) {
                    env.put("CALLFLUX_JAVA_OPTS", String.join(" ", opts));
                }
                command.addAll(List.of(cmd.toString(), "hangup", "--sids", sids.toString(), "--concurrency",
                        Integer.toString(c), "--base-url", sim.baseUrl(), "--no-progress", "--quiet"));
                break;
            default:
                String driver = subject.equals("twilio-java") ? "twilio-java-threads"
                        : subject.equals("callflux-lib") || subject.equals("callflux-lib-jdktls") ? "callflux"
                        : subject.equals("callflux-lib-prewarm") ? "callflux-prewarm" : subject;
                command.add((subject.equals("twilio-java-vt") ? java25Home : java17Home) + "/bin/java");
                command.addAll(trust);
                if (subject.equals("callflux-lib-jdktls")) {
                    command.add("-Dio.netty.handler.ssl.noOpenSsl=true");
                }
                command.addAll(List.of("-cp", classpath, ColdDriver.class.getName(), "--client", driver, "--sids",
                        sids.toString(), "--concurrency", Integer.toString(c), "--base-url", sim.baseUrl(),
                        "--account-sid", account));
                break;
        }
        long sim0 = ProcStats.processCpuNanos(sim.pid());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(logs.resolve(tag + ".out").toFile())
                .redirectError(logs.resolve(tag + ".log").toFile());
        pb.environment().remove("CALLFLUX_JAVA_OPTS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
        long peakThreads = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            Optional<ProcessHandle> child = p.toHandle().children().findFirst();
            if (child.isPresent()) {
                OptionalLong t = ProcStats.status(Path.of("/proc", Long.toString(child.get().pid()), "status"), "Threads");
                if (t.isPresent()) {
                    peakThreads = Math.max(peakThreads, t.getAsLong());
                }
            }
            if (System.nanoTime() > deadline) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                break;
            }
        }
        int exit = p.waitFor();
        long sim1 = ProcStats.processCpuNanos(sim.pid());
        String after = sim.ledgerNow();
        sim.close();
        String[] t = Files.exists(timeFile) ? lastLine(Files.readString(timeFile)).trim().split("\\s+") : new String[0];
        double wall = t.length == 4 ? Double.parseDouble(t[0]) : Double.NaN;
        double cpu = t.length == 4 ? Double.parseDouble(t[1]) + Double.parseDouble(t[2]) : Double.NaN;
        double rss = t.length == 4 ? Double.parseDouble(t[3]) / 1024 : Double.NaN;
        Outcome l0 = new Outcome(subject, null, null, OptionalLong.empty(), OptionalLong.empty(), load, before);
        Outcome l1 = new Outcome(subject, null, null, OptionalLong.empty(), OptionalLong.empty(), load, after);
        long applied = delta(l0, l1, "hangupsApplied");
        return new Run(subject, c, wall, cpu, rss, peakThreads, (sim1 - sim0) / 1e9, applied,
                delta(l0, l1, "tlsHandshakes"), delta(l0, l1, "tlsResumed"), exit, load);
    }

    /** A ledger total's growth between two readings; -1 when either is missing. */
    private static long delta(Outcome before, Outcome after, String key) {
        OptionalLong a = before.simLedgerValue(key);
        OptionalLong b = after.simLedgerValue(key);
        return a.isPresent() && b.isPresent() ? b.getAsLong() - a.getAsLong() : -1;
    }

    /** {@code /usr/bin/time} writes "Command exited with non-zero status N" before its line when the command fails. */
    private static String lastLine(String s) {
        String[] lines = s.strip().split("\\R");
        return lines[lines.length - 1];
    }

    static String label(String subject) {
        switch (subject) {
            case "callflux-cmd": return "`bin/callflux` (Java 17)";
            case "callflux-cmd-25": return "`bin/callflux` (Java 25)";
            case "callflux-cmd-c2": return "`bin/callflux`, C2 on";
            case "callflux-lib": return "CallFlux library, `java` defaults";
            case "callflux-lib-prewarm": return "CallFlux library, `HttpClient.warmup()` first";
            case "callflux-lib-jdktls": return "CallFlux library, JDK TLS";
            case "twilio-java": return "twilio-java, platform threads";
            case "twilio-java-vt": return "twilio-java, virtual threads (Java 25)";
            case "jdk-http": return "JDK HttpClient";
            default: return subject;
        }
    }

    static double median(double[] v) {
        double[] a = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static String render(List<Run> runs, List<String> subjects, List<Integer> concurrencies, int calls, int latency,
                         int rounds, boolean tls, String java17, String java25, String note, int simWarmup) {
        StringBuilder sb = new StringBuilder("# Cold whole-process comparison" + (tls ? " over TLS" : "") + "\n\n");
        if (note != null) {
            sb.append("**").append(note).append("**\n\n");
        }
        sb.append("- Run: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs; Java 17: `").append(java17)
                .append("`, Java 25: `").append(java25).append("`\n");
        sb.append(String.format(Locale.ROOT, "- Each process hangs up the same %,d SIDs read from a file, L=%d ms, "
                + "against a fresh simulator process (`TwilioSimulatorMain --limit 0`%s), warmed up first with %,d hang-ups "
                + "from the orchestrating JVM (it stands in for Twilio, which is not a cold JVM); the figures cover the subject only; timed from outside by `/usr/bin/time` "
                + "(wall, user+sys CPU, max RSS), threads sampled from `/proc/<pid>/status` every 20 ms; median of %d round(s), "
                + "subjects taking turns. calls/s = N / whole-process wall.%n", calls, latency,
                tls ? ", `--https true`: the test certificate, JDK provider" : "", simWarmup, rounds));
        sb.append("- Subjects: ");
        List<String> desc = new ArrayList<>();
        for (String s : subjects) {
            desc.add(label(s) + ": " + describe(s, tls));
        }
        sb.append(String.join("; ", desc)).append(".\n\n");

        for (int c : concurrencies) {
            sb.append(String.format(Locale.ROOT, "### N=%,d, C=%,d, L=%d ms%s%n%n", calls, c, latency, tls ? ", TLS" : ""));
            sb.append("| | wall s | calls/s | CPU s | CPU per call µs | peak RSS MiB | peak threads | simulator CPU s (µs/call) | hang-ups applied | exit |");
            if (tls) {
                sb.append(" TLS handshakes / resumed |");
            }
            sb.append("\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|").append(tls ? "--:|" : "").append('\n');
            Map<String, double[]> medians = new LinkedHashMap<>();
            for (String s : subjects) {
                List<Run> rs = runs.stream().filter(r -> r.subject().equals(s) && r.concurrency() == c).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                double wall = median(rs.stream().mapToDouble(Run::wallSeconds).toArray());
                double cpu = median(rs.stream().mapToDouble(Run::cpuSeconds).toArray());
                double rss = median(rs.stream().mapToDouble(Run::rssMiB).toArray());
                double threads = median(rs.stream().mapToDouble(Run::peakThreads).toArray());
                double simCpu = median(rs.stream().mapToDouble(Run::simCpuSeconds).toArray());
                medians.put(s, new double[] {wall, cpu, rss});
                String range = rs.size() > 1 ? String.format(Locale.ROOT, " (%.2f-%.2f)",
                        rs.stream().mapToDouble(Run::wallSeconds).min().orElse(0),
                        rs.stream().mapToDouble(Run::wallSeconds).max().orElse(0)) : "";
                sb.append(String.format(Locale.ROOT, "| %s | %.2f%s | %,.0f | %.2f | %,.0f | %.0f | %.0f | %.2f (%,.0f) | %s | %s |",
                        label(s), wall, range, calls / wall, cpu, cpu * 1e6 / calls, rss, threads, simCpu, simCpu * 1e6 / calls,
                        String.join(", ", rs.stream().map(r -> String.format(Locale.ROOT, "%,d", r.hangupsApplied())).distinct().toList()),
                        String.join(",", rs.stream().map(r -> Integer.toString(r.exit())).distinct().toList())));
                if (tls) {
                    sb.append(' ').append(rs.stream().map(r -> r.tlsHandshakes() + " / " + r.tlsResumed()).findFirst().orElse(""))
                            .append(" |");
                }
                sb.append('\n');
            }
            double[] cf = medians.getOrDefault("callflux-cmd", medians.get("callflux-cmd-25"));
            if (cf != null) {
                sb.append('\n');
                for (Map.Entry<String, double[]> e : medians.entrySet()) {
                    if (e.getKey().startsWith("callflux")) {
                        continue;
                    }
                    sb.append(String.format(Locale.ROOT, "- `bin/callflux` / %s: wall %s, CPU %s, peak RSS %s%n", label(e.getKey()),
                            Report.ratio(cf[0], e.getValue()[0]), Report.ratio(cf[1], e.getValue()[1]),
                            Report.ratio(cf[2], e.getValue()[2])));
                }
            }
            sb.append('\n');
        }
        sb.append("Load average (1 min) before each run: ")
                .append(String.join(" ", runs.stream().map(Run::load).toList())).append('\n');
        return sb.toString();
    }

    private static String describe(String s, boolean tls) {
        String trust = tls ? ", trust via `-Djavax.net.ssl.trustStore`" : "";
        switch (s) {
            case "callflux-cmd": return "`hangup --sids FILE --concurrency C --no-progress --quiet` as installed (C1 only, serial GC, CDS archive; adaptive concurrency up to C), JDK TLS" + trust + " (in `CALLFLUX_JAVA_OPTS`)";
            case "callflux-cmd-25": return "the same with `JAVA_HOME` on Java 25 (AOT cache)";
            case "callflux-cmd-c2": return "the same with `CALLFLUX_JAVA_OPTS=-XX:TieredStopAtLevel=4` (tiered C1 + C2 instead of C1 only)";
            case "callflux-lib": return "`hangupAll(BulkOptions.fixed(C))` in `java -cp benchmarks.jar`, JVM defaults, Netty's OpenSSL (netty-tcnative in the jar)" + trust;
            case "callflux-lib-prewarm": return "the same on a Reactor Netty `HttpClient` of its own (pool of C) after `warmup().block()`, through `CallFluxClientBuilder.httpClient`";
            case "callflux-lib-jdktls": return "the same as the library with `-Dio.netty.handler.ssl.noOpenSsl=true` (the JDK's TLS)";
            case "twilio-java": return "twilio-java 11.3.6, C platform threads each calling `update()`, Apache pool of C, `java -cp benchmarks.jar`, JVM defaults (G1, C1+C2)" + trust;
            case "twilio-java-vt": return "twilio-java 11.3.6, `update()` on one virtual thread per call, a Semaphore(C), Apache pool of C, Java 25, JVM defaults" + trust;
            case "jdk-http": return JdkHttpDriver.DESCRIPTION + ", JVM defaults" + trust;
            default: return s;
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
