package dev.callflux.benchmarks;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The side-by-side load comparison, in one command:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.callflux.benchmarks.LoadComparison [flags]
 * </pre>
 *
 * For every case and every client: a fresh simulator process ({@code TwilioSimulatorMain}, no concurrency
 * limit, the case's latency), then a fresh client JVM ({@link LoadClient}, the same JVM flags for both
 * clients) that warms up (warm cases), runs the measured phase and prints its result line; the simulator is
 * stopped and its ledger read. Prints the markdown table and writes it to {@code target/load-results.md}
 * next to the jar (or {@code --out}).
 *
 * <p>Flags: {@code --cases 1,2,3,4}, {@code --clients callflux,twilio-java}, {@code --scale F} (calls and
 * warm-ups times F, e.g. 0.1 for a trial run), {@code --calls N}, {@code --warmup N}, {@code --concurrency C},
 * {@code --latency-ms L} (for every selected case), {@code --case.N.calls} / {@code .warmup} /
 * {@code .concurrency} / {@code .latency-ms} (one case), {@code --jvm-flags "-Xmx1g -XX:+UseG1GC"} (clients),
 * {@code --sim-jvm-flags "..."}, {@code --twilio-mode async|threads}, {@code --note "text"} (added to the
 * header), {@code --out FILE}, {@code --timeout-s N} (per client run).
 */
public final class LoadComparison {

    public static final String DEFAULT_JVM_FLAGS = "-Xmx1g -XX:+UseG1GC";
    public static final String DEFAULT_SIM_JVM_FLAGS = "-Xmx1g -XX:+UseG1GC";

    static final Set<String> FLAGS = Set.of("cases", "clients", "scale", "calls", "warmup", "concurrency",
            "latency-ms", "case.*", "jvm-flags", "sim-jvm-flags", "twilio-mode", "note", "out", "timeout-s", "tls",
            "mode", "java25", "rounds", "cold-concurrency", "cold-subjects", "cold-calls", "cmd", "sim-warmup");

    /** The clients (and variants) a warm or cold-JVM case can run. */
    static final List<String> CLIENTS = List.of(Report.CALLFLUX, Report.TWILIO, Report.TWILIO_VT, Report.JDK_HTTP,
            Report.CALLFLUX_JDK_TLS, Report.CALLFLUX_25, Report.CALLFLUX_PREWARM);

    /** Where the virtual-thread driver's Java is looked for: {@code JAVA25_HOME}, then this. */
    static final String DEFAULT_JAVA25 = "/usr/lib/jvm/temurin-25-jdk-amd64";

    private LoadComparison() {
    }

    public static void main(String[] args) throws Exception {
        Flags f;
        List<LoadCase> cases;
        try {
            f = Flags.parse(args, FLAGS);
            cases = LoadCase.select(f);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (f.string("mode", "warm").equals("cold")) {
            System.exit(ColdComparison.run(f));
            return;
        }
        List<String> clients = f.list("clients", List.of(Report.CALLFLUX, Report.TWILIO));
        for (String c : clients) {
            if (!CLIENTS.contains(c)) {
                System.err.println("--clients: some of " + CLIENTS + ", got " + c);
                System.exit(2);
            }
        }
        boolean tls = f.bool("tls", false);
        String java25 = java25(f);
        List<String> jvmFlags = split(f.string("jvm-flags", DEFAULT_JVM_FLAGS));
        List<String> simJvmFlags = split(f.string("sim-jvm-flags", DEFAULT_SIM_JVM_FLAGS));
        String twilioMode = TwilioJavaDriver.Mode.parse(f.string("twilio-mode", "async")).name().toLowerCase(Locale.ROOT);
        long timeout = f.longValue("timeout-s", 900);
        Path target = targetDir();
        Path out = Path.of(f.string("out", target.resolve("load-results.md").toString()));
        Path logs = target.resolve("load-logs");
        Files.createDirectories(logs);
        Path trustStore = tls ? dev.callflux.testkit.TestCertificate.writeTrustStore(logs.resolve("test-trust.p12")) : null;

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = childClasspath();

        Map<LoadCase, Map<String, Outcome>> results = new LinkedHashMap<>();
        for (LoadCase c : cases) {
            Map<String, Outcome> byClient = new LinkedHashMap<>();
            for (String client : clients) {
                System.err.printf(Locale.ROOT, "== case %s (%s), %s ...%n", c.id(), c.parameters(), client);
                Outcome o = runVariant(c, client, java, java25, classpath, jvmFlags, simJvmFlags, twilioMode, trustStore,
                        timeout, logs, "case" + c.id() + (tls ? "-tls-" : "-") + client);
                byClient.put(client, o);
                System.err.println("   " + (o.completed() ? summary(o) : "FAILED: " + o.error()));
            }
            results.put(c, Report.ordered(byClient));
        }

        String header = header(f.string("note", null), jvmFlags, simJvmFlags, twilioMode, results)
                + (tls ? "- **TLS**: the simulator serves HTTPS (`--https true`: the testkit's test certificate, JDK provider, "
                        + "TLS 1.3); every client JVM trusts it through `-Djavax.net.ssl.trustStore` (the JDK's default trust "
                        + "manager, which CallFlux's default TLS, OpenSSL's and twilio-java's Apache client all use). "
                        + "CallFlux uses Netty's OpenSSL provider when netty-tcnative is on the class path (it is, in benchmarks.jar); "
                        + "`callflux-jdktls` is the same with `-Dio.netty.handler.ssl.noOpenSsl=true`.\n" : "")
                + (clients.contains(Report.TWILIO_VT) || clients.contains(Report.CALLFLUX_25)
                        ? "- Java 25 clients (`twilio-java-vt`, `callflux-25`) run on `" + java25 + "/bin/java` with the same flags.\n" : "");
        String report = Report.render(header, cases, results);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println(report);
        System.err.println("written to " + out.toAbsolutePath() + " (process logs in " + logs.toAbsolutePath() + ")");
        boolean failures = results.values().stream().flatMap(m -> m.values().stream()).anyMatch(Outcome::hasFailures);
        System.exit(failures ? 1 : 0);
    }

    /**
     * One client run against a fresh simulator; {@code extraClientArgs} go to {@link LoadClient} (e.g.
     * {@code --jfr FILE}); logs are {@code logs/TAG-*}.
     */
    public static Outcome runOne(LoadCase c, String client, String java, String classpath, List<String> jvmFlags,
                          List<String> simJvmFlags, String twilioMode, List<String> extraClientArgs,
                          long timeoutSeconds, Path logs, String tag) {
        return runOne(c, client, client, java, java, classpath, jvmFlags, simJvmFlags, twilioMode, extraClientArgs,
                false, timeoutSeconds, logs, tag);
    }

    /**
     * One client run: {@code name} in the report, {@code driver} for {@link LoadClient --client}, the client on
     * {@code clientJava}, the simulator on {@code simJava} (over HTTPS when {@code tls}).
     */
    static Outcome runOne(LoadCase c, String name, String driver, String clientJava, String simJava, String classpath,
                          List<String> jvmFlags, List<String> simJvmFlags, String twilioMode,
                          List<String> extraClientArgs, boolean tls, long timeoutSeconds, Path logs, String tag) {
        String client = driver;
        String account = "AC" + randomHex(16);
        String token = randomHex(16);
        String load = loadAverage();
        SimulatorProcess sim = null;
        ResultLine result = null;
        String error = null;
        try {
            sim = SimulatorProcess.start(simJava, simJvmFlags, classpath, c.latencyMs(), account, token,
                    logs.resolve(tag + "-simulator.log"), tls ? List.of("--https", "true") : List.of());
            List<String> cmd = new ArrayList<>();
            cmd.add(clientJava);
            cmd.addAll(jvmFlags);
            cmd.addAll(List.of("-cp", classpath, LoadClient.class.getName(),
                    "--client", client, "--base-url", sim.baseUrl(), "--account-sid", sim.accountSid(),
                    "--auth-token", token, "--calls", Integer.toString(c.calls()),
                    "--warmup", Integer.toString(c.warmup()), "--concurrency", Integer.toString(c.concurrency()),
                    "--sim-pid", Long.toString(sim.pid()), "--twilio-mode", twilioMode));
            cmd.addAll(extraClientArgs);
            result = runClient(cmd, logs.resolve(tag + "-client.out"), logs.resolve(tag + "-client.log"), timeoutSeconds);
        } catch (IOException | RuntimeException e) {
            error = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } finally {
            if (sim != null) {
                sim.close();
            }
        }
        OptionalLong requests = sim == null ? OptionalLong.empty() : sim.ledgerValue(SimulatorProcess.LEDGER_REQUESTS);
        OptionalLong peak = sim == null ? OptionalLong.empty() : sim.ledgerValue(SimulatorProcess.LEDGER_PEAK);
        return new Outcome(name, result, error, requests, peak, load, sim == null ? null : sim.ledger());
    }

    /**
     * One run of a client variant: {@code callflux-jdktls} is CallFlux with Netty's OpenSSL turned off,
     * {@code twilio-java-vt} and {@code callflux-25} run on Java 25; over TLS the client JVM trusts the
     * simulator's test certificate through the JDK's trust store properties.
     */
    static Outcome runVariant(LoadCase c, String variant, String java, String java25, String classpath,
                              List<String> jvmFlags, List<String> simJvmFlags, String twilioMode, Path trustStore,
                              long timeoutSeconds, Path logs, String tag) {
        List<String> flags = new ArrayList<>(jvmFlags);
        String driver = variant;
        String clientJava = java;
        List<String> extra = List.of();
        switch (variant) {
            case Report.CALLFLUX_PREWARM:
                driver = Report.CALLFLUX;
                extra = List.of("--prewarm", "true");
                break;
            case Report.CALLFLUX_JDK_TLS:
                driver = Report.CALLFLUX;
                flags.add("-Dio.netty.handler.ssl.noOpenSsl=true");
                break;
            case Report.CALLFLUX_25:
                driver = Report.CALLFLUX;
                clientJava = java25 + "/bin/java";
                break;
            case Report.TWILIO_VT:
                clientJava = java25 + "/bin/java";
                break;
            default:
                break;
        }
        if (trustStore != null) {
            flags.addAll(trustFlags(trustStore));
        }
        return runOne(c, variant, driver, clientJava, java, classpath, flags, simJvmFlags, twilioMode, extra,
                trustStore != null, timeoutSeconds, logs, tag);
    }

    /** The JVM flags that make the JDK's default trust manager trust the simulator's test certificate. */
    static List<String> trustFlags(Path trustStore) {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore.toAbsolutePath(),
                "-Djavax.net.ssl.trustStorePassword=" + dev.callflux.testkit.TestCertificate.TRUST_STORE_PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** {@code --java25 DIR}, else {@code JAVA25_HOME}, else {@link #DEFAULT_JAVA25}. */
    static String java25(Flags f) {
        String env = System.getenv("JAVA25_HOME");
        return f.string("java25", env != null && !env.isBlank() ? env : DEFAULT_JAVA25);
    }

    /** Runs a client JVM to the end and returns its result line. */
    static ResultLine runClient(List<String> cmd, Path stdout, Path stderr, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IOException("timed out after " + timeoutSeconds + " s; see " + stderr);
        }
        String text = Files.readString(stdout, StandardCharsets.UTF_8);
        return ResultLine.find(text).orElseThrow(() -> new IOException("exit " + p.exitValue()
                + ", no " + ResultLine.PREFIX + " line; see " + stderr));
    }

    static String summary(Outcome o) {
        return String.format(Locale.ROOT, "%,d ok, %,d failed, %.2f s, %,.0f calls/s, %.1f µs CPU/call, %s threads (OS), %.0f MiB RSS",
                o.result().longValue("ok"), o.result().longValue("failed"), o.seconds(), o.callsPerSecond(),
                o.cpuMicrosPerCall(), o.result().string("peakThreadsOs"), o.peakRssMiB());
    }

    static String header(String note, List<String> jvmFlags, List<String> simJvmFlags, String twilioMode,
                         Map<LoadCase, Map<String, Outcome>> results) {
        String jvm = results.values().stream().flatMap(m -> m.values().stream()).filter(Outcome::completed)
                .map(o -> o.result().string("jvm")).findFirst().orElse(System.getProperty("java.runtime.version"));
        StringBuilder sb = new StringBuilder("# CallFlux vs twilio-java: UpdateCall load comparison\n\n");
        if (note != null) {
            sb.append("**").append(note).append("**\n\n");
        }
        sb.append("- Run: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ").append(jvm).append('\n');
        sb.append("- Client JVMs (both clients): `").append(String.join(" ", jvmFlags)).append("`; simulator JVM: `")
                .append(String.join(" ", simJvmFlags)).append("`\n");
        sb.append("- Every run: a fresh simulator process (`TwilioSimulatorMain --limit 0 --latency-ms L`) and a fresh client JVM. ")
                .append("Warm cases hang up the warm-up calls in the same client JVM first, then `System.gc()`, then the measured phase. ")
                .append("All figures but peak RSS cover the measured phase only.\n");
        sb.append("- CallFlux: `CallFluxClient` with `maxConnections(C)`, driven by ").append(CallFluxDriver.DESCRIPTION).append(". ")
                .append("twilio-java 11.3.6: `TwilioRestClient` over its own `NetworkHttpClient` (Apache HttpClient 5, pool max total = max per route = C), ")
                .append("requests copied from `https://api.twilio.com` to the simulator's URL; ")
                .append(twilioMode.equals("async")
                        ? "driven by `Call.updater(..).setStatus(COMPLETED).updateAsync(client)` with at most C outstanding (a semaphore), on Twilio's cached thread pool."
                        : "driven by C threads each calling the blocking `update(client)`.")
                .append('\n');
        sb.append("- The simulator and the client share the machine's CPUs (")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" here): with L=0 the simulator's CPU is part of the ceiling, so its cost is shown next to each figure. ")
                .append("C/L is the bound set by concurrency and latency alone.\n");
        return sb.toString();
    }

    /**
     * The class path for the simulator and client JVMs: a private copy of the jar when running from one,
     * so that a rebuild of {@code benchmarks.jar} during a long run (a concurrent {@code mvn install}, say)
     * cannot pull the jar from under the JVMs started later. The classes this JVM still needs are loaded
     * now, for the same reason.
     */
    public static String childClasspath() throws IOException {
        String cp = System.getProperty("java.class.path");
        for (Class<?> c : List.of(Report.class, Outcome.class, SimulatorProcess.class, ResultLine.class, LoadCase.class)) {
            try {
                Class.forName(c.getName(), true, LoadComparison.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        if (cp.contains(java.io.File.pathSeparator) || !cp.endsWith(".jar")) {
            return cp;
        }
        Path copy = Files.createTempFile("callflux-benchmarks-", ".jar");
        copy.toFile().deleteOnExit();
        Files.copy(Path.of(cp), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return copy.toString();
    }

    /** {@code benchmarks/target}: the directory holding the jar (or the classes directory) this runs from. */
    public static Path targetDir() {
        try {
            Path where = Path.of(LoadComparison.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(where) ? where.getParent() : where.getParent();
            return dir == null ? Path.of("target") : dir;
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target");
        }
    }

    static String loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
            return s.split("\\s+")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    public static List<String> split(String flags) {
        String s = flags.trim();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
