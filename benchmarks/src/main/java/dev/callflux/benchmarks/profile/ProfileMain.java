package dev.callflux.benchmarks.profile;

import dev.callflux.benchmarks.Flags;
import dev.callflux.benchmarks.LoadCase;
import dev.callflux.benchmarks.LoadComparison;
import dev.callflux.benchmarks.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a client's CPU goes per call: runs the warm CPU-bound case (C=64, L=0, 20,000 warm-up calls then
 * 100,000 measured, by default, for more samples) like the load comparison does (simulator and client in their own JVMs), with
 * a JFR recording of the measured phase in the client, then aggregates it with {@link JfrAnalyzer}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.callflux.benchmarks.profile.ProfileMain [--client callflux|twilio-java]
 *     [--calls 100000] [--warmup 20000] [--concurrency 64] [--latency-ms 0] [--jvm-flags "..."] [--out-dir DIR]
 * </pre>
 *
 * Writes {@code DIR/profile-CLIENT.jfr} and {@code DIR/profile-CLIENT.md} (DIR: {@code target/profile}
 * next to the jar) and prints the markdown. The client JVM gets the load comparison's flags plus
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints} (samples attributed to the right inlined
 * method) and a stack depth of 256.
 */
public final class ProfileMain {

    static final List<String> PROFILING_FLAGS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
            "-XX:FlightRecorderOptions=stackdepth=256");

    private ProfileMain() {
    }

    public static void main(String[] args) throws Exception {
        Flags f;
        try {
            f = Flags.parse(args, Set.of("client", "calls", "warmup", "concurrency", "latency-ms", "jvm-flags",
                    "sim-jvm-flags", "out-dir", "top", "twilio-mode"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String client = f.string("client", "callflux");
        // Load the analyzer now: the jar may be rebuilt while the profiled run goes on.
        for (Class<?> k : List.of(JfrAnalyzer.class, Category.class)) {
            Class.forName(k.getName(), true, ProfileMain.class.getClassLoader());
        }
        LoadCase c = new LoadCase("profile", "profile", f.integer("calls", 100_000), f.integer("concurrency", 64),
                f.integer("latency-ms", 0), f.integer("warmup", 20_000));
        Path dir = Path.of(f.string("out-dir", LoadComparison.targetDir().resolve("profile").toString()));
        Files.createDirectories(dir);
        Path jfr = dir.resolve("profile-" + client + ".jfr").toAbsolutePath();
        Files.deleteIfExists(jfr);
        List<String> jvmFlags = new ArrayList<>(LoadComparison.split(f.string("jvm-flags", LoadComparison.DEFAULT_JVM_FLAGS)));
        jvmFlags.addAll(PROFILING_FLAGS);
        List<String> simFlags = LoadComparison.split(f.string("sim-jvm-flags", LoadComparison.DEFAULT_SIM_JVM_FLAGS));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        System.err.printf(Locale.ROOT, "profiling %s: %s%n", client, c.parameters());
        Outcome o = LoadComparison.runOne(c, client, java, LoadComparison.childClasspath(), jvmFlags, simFlags,
                f.string("twilio-mode", "async"), List.of("--jfr", jfr.toString()), 900, dir, "profile-" + client);
        if (!o.completed() || !Files.exists(jfr)) {
            System.err.println("the profiled run failed: " + (o.completed() ? "no recording" : o.error()));
            System.exit(1);
        }
        JfrAnalyzer a = JfrAnalyzer.analyze(jfr);
        StringBuilder md = new StringBuilder();
        md.append("# Where ").append(client).append("'s CPU goes: JFR profile of the measured phase\n\n");
        md.append(String.format(Locale.ROOT, "- Case: %s. Client JVM: `%s`. Simulator in its own JVM on the same %d CPUs.%n",
                c.parameters(), String.join(" ", jvmFlags), Runtime.getRuntime().availableProcessors()));
        md.append(String.format(Locale.ROOT, "- Run (with JFR on): %,d ok, %,d failed, %.2f s, %,.0f calls/s, "
                        + "client CPU %.1f µs per call, simulator CPU %.1f µs per call.%n",
                o.result().longValue("ok"), o.result().longValue("failed"), o.seconds(), o.callsPerSecond(),
                o.cpuMicrosPerCall(), o.simCpuMicrosPerCall()));
        md.append("- Recording: `").append(jfr).append("` (JDK `profile` settings, execution sampled every 1 ms). ")
                .append("Open it in JDK Mission Control, or `jfr print --events jdk.ExecutionSample FILE`.\n\n");
        md.append(a.markdown(o.result().longValue("calls"), f.integer("top", 25)));
        Path out = dir.resolve("profile-" + client + ".md");
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        System.err.println("written to " + out.toAbsolutePath());
        System.exit(o.hasFailures() ? 1 : 0);
    }
}
