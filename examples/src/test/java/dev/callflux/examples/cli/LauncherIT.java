package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed command, {@code target/callflux/bin/callflux} and the tarball of it, run as processes: it behaves
 * as {@code java -jar callflux.jar} does (output, exit codes, Ctrl-C reaching the JVM itself), uses the class-data
 * archive made at build time for the Java running these tests, and runs on silently without one that does not match.
 */
class LauncherIT {

    private static final Path DIST = Path.of(System.getProperty("callflux.dist", "target/callflux")).toAbsolutePath();
    private static final Path TARBALL = Path.of(System.getProperty("callflux.tarball", "target/callflux.tar.gz")).toAbsolutePath();
    private static final Path JAR = Path.of(System.getProperty("callflux.jar", "target/callflux.jar")).toAbsolutePath();
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final Pattern PROGRESS = Pattern.compile("^progress: ");
    /** What a JVM's unified logging prints by default (warnings and errors), e.g. a CDS archive it refuses. */
    private static final Pattern JVM_LOG = Pattern.compile("^\\[[0-9.]+s]\\[(warning|error)", Pattern.MULTILINE);

    @TempDir
    Path dir;

    /** A run's exit code, standard output and standard error. */
    record Run(int exit, String out, String err) {
    }

    private static String sid(int i) {
        return TestSids.callSid(7, i);
    }

    private static ProcessBuilder launcher(Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/callflux").toString()));
        cmd.addAll(List.of(args));
        return clean(new ProcessBuilder(cmd));
    }

    private static ProcessBuilder javaJar(String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA_HOME.resolve("bin/java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return clean(new ProcessBuilder(cmd));
    }

    /** The same environment for every run: this JVM's Java, no options from the environment, no credentials. */
    private static ProcessBuilder clean(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TWILIO_") || k.startsWith("CALLFLUX_"));
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.put("JAVA_HOME", JAVA_HOME.toString());
        return pb;
    }

    private Run run(ProcessBuilder pb) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("%s finished", pb.command()).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The archive the build made for the Java running these tests, in {@code home}/lib/cds. */
    private static Optional<Path> archiveFor(Path home, Path javaHome) throws IOException {
        String version = releaseValue(javaHome, "JAVA_RUNTIME_VERSION");
        try (Stream<Path> files = Files.list(home.resolve("lib/cds"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("java-" + version + "-")
                    && !f.getFileName().toString().endsWith(".classpath")).findFirst();
        }
    }

    private static String releaseValue(Path javaHome, String key) throws IOException {
        return Files.readAllLines(javaHome.resolve("release")).stream().filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1).replace("\"", "")).findFirst().orElseThrow();
    }

    private static int feature(Path javaHome) throws IOException {
        return Integer.parseInt(releaseValue(javaHome, "JAVA_VERSION").split("[.+-]")[0]);
    }

    /** Logs, to {@code log}, the archive's mapping and where each class came from. */
    private static String loggingTo(Path log, Path javaHome) throws IOException {
        return (feature(javaHome) >= 25 ? "-Xlog:aot=info,cds=info,class+load=info:file=" : "-Xlog:cds=info,class+load=info:file=") + log;
    }

    /** Java 25 when this machine has it (not the Java running the tests), as the build looks for it. */
    private static Optional<Path> java25() {
        return Stream.of(System.getenv("JAVA25_HOME"), "/usr/lib/jvm/temurin-25-jdk-amd64")
                .filter(h -> h != null && !h.isEmpty() && Files.isExecutable(Path.of(h, "bin/java")))
                .map(Path::of).filter(h -> !h.equals(JAVA_HOME)).findFirst();
    }

    /** The summary JSON with its numbers blanked, and standard error without its port and progress lines. */
    private static String shape(Run run) {
        String err = run.err().lines().filter(l -> !PROGRESS.matcher(l).find())
                .map(l -> l.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")).collect(Collectors.joining("\n"));
        return run.exit() + "\n" + run.out().replaceAll("\\d+(\\.\\d+)?", "N") + err;
    }

    @Test
    void theDemoRunsThroughTheLauncher() throws Exception {
        Run demo = run(launcher(DIST, "demo", "--calls", "500", "--json"));
        assertThat(demo.exit()).as(demo.err()).isZero();
        assertThat(demo.out().lines()).hasSize(1);
        assertThat(demo.out()).contains("\"total\":500", "\"failed\":0", "\"unknown\":0", "\"not_sent\":0", "\"interrupted\":false");
        assertThat(demo.err()).contains("hanging up 500 calls").doesNotContainPattern(JVM_LOG);
    }

    @Test
    void outputAndExitCodesAreThoseOfJavaJar() throws Exception {
        for (List<String> args : List.of(List.of("--version"), List.of("hangup", "--help"), List.of("--help"),
                List.of("hangup", "--concurrency"), List.of("no-such-command"), List.of("demo", "--calls", "-1"))) {
            Run viaLauncher = run(launcher(DIST, args.toArray(String[]::new)));
            Run viaJar = run(javaJar(args.toArray(String[]::new)));
            assertThat(viaLauncher).as("callflux %s", args).isEqualTo(viaJar);
        }
        assertThat(run(launcher(DIST, "hangup", "--concurrency")).exit()).as("a usage error").isEqualTo(2);
        assertThat(run(launcher(DIST, "--version")).exit()).isZero();
    }

    @Test
    void theHeapStartsSmallUnlessTheUserSizesIt() throws Exception {
        ProcessBuilder ours = launcher(DIST, "--version");
        ours.environment().put("CALLFLUX_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        Run own = run(ours);
        assertThat(own.exit()).as(own.err()).isZero();
        assertThat(own.out()).contains("-XX:InitialHeapSize=67108864");

        // A maximum below our 64 MiB start would be refused by the JVM if the launcher kept its own -Xms.
        ProcessBuilder small = launcher(DIST, "demo", "--calls", "200", "--json");
        small.environment().put("CALLFLUX_JAVA_OPTS", "-Xmx32m -XX:+PrintCommandLineFlags");
        Run theirs = run(small);
        assertThat(theirs.exit()).as(theirs.err()).isZero();
        assertThat(theirs.out()).contains("-XX:MaxHeapSize=33554432", "\"total\":200")
                .doesNotContain("-XX:InitialHeapSize=67108864");
    }

    @Test
    void ctrlCReachesTheJvmItselfWhichExits130AfterItsSummary() throws Exception {
        // A process started in the background by a shell without job control ignores SIGINT, and so do its
        // children, a JVM included (it then installs no handler): Ctrl-C cannot be tested from there.
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            String ignored = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:")).findFirst().orElse("SigIgn: 0");
            assumeThat(Long.parseLong(ignored.substring(7).trim(), 16) & 2).as("SIGINT not ignored by this test's JVM").isZero();
        }
        try (TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofMillis(20)).start()) {
            Path sids = dir.resolve("sids.txt");
            Files.write(sids, IntStream.range(0, 5_000).mapToObj(LauncherIT::sid).collect(Collectors.toList()), StandardCharsets.UTF_8);
            ProcessBuilder pb = launcher(DIST, "hangup", "--sids", sids.toString(), "--base-url", sim.baseUrl(),
                    "--concurrency", "5", "--progress-interval", "200");
            pb.environment().put("TWILIO_ACCOUNT_SID", sim.accountSid());
            pb.environment().put("TWILIO_AUTH_TOKEN", sim.authToken());
            Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            StringBuilder after = new StringBuilder();
            try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null && !PROGRESS.matcher(line).find()) {
                    // up to the first progress line: the JVM is running and sending
                }
                assertThat(line).as("a progress line").isNotNull();
                // The launcher exec'd the JVM: the process started is java itself, with no child of its own.
                ProcessHandle handle = p.toHandle();
                assertThat(handle.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("/bin/java"));
                assertThat(handle.children().count()).isZero();
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
                assertThat(kill.waitFor(1, TimeUnit.MINUTES)).isTrue();
                assertThat(kill.exitValue()).isZero();
                while ((line = err.readLine()) != null) {
                    after.append(line).append('\n');
                }
            }
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("stopped").isTrue();
            assertThat(p.exitValue()).as("128 + SIGINT").isEqualTo(130);
            assertThat(after).contains("stopping: no new requests", "interrupted after");
            assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)).as("no process left").isEmpty();
            assertThat(sim.ledger().totalRequests()).isBetween(1L, 4_999L);
        }
    }

    @Test
    void theArchiveMadeForThisJavaIsMappedAndServesTheClasses() throws Exception {
        Optional<Path> archive = archiveFor(DIST, JAVA_HOME);
        assumeThat(archive).as("an archive made at build time for this Java (not built with -Dcallflux.train=false)").isPresent();
        Path log = dir.resolve("cds.log");
        ProcessBuilder pb = launcher(DIST, "--version");
        pb.environment().put("CALLFLUX_JAVA_OPTS", loggingTo(log, JAVA_HOME));
        Run run = run(pb);
        assertThat(run).isEqualTo(run(javaJar("--version")));
        assertThat(Files.readString(log)).contains("Opened " + (feature(JAVA_HOME) >= 25 ? "AOT cache " : "archive ") + archive.get())
                .containsPattern("Mapped static +region #0")
                .doesNotContain("Unmapping region #0", "Unable to map") // the bitmap, region #2, is unmapped once used
                .contains("dev.callflux.examples.Main source: shared objects file", "picocli.CommandLine source: shared objects file");
    }

    @Test
    void aMismatchingArchiveIsSkippedSilently() throws Exception {
        Path corrupt = dir.resolve("corrupt.jsa");
        Files.write(corrupt, new java.util.Random(7).ints(100_000).mapToObj(Integer::toString).collect(Collectors.joining()).getBytes(StandardCharsets.US_ASCII));
        List<Path> bad = new ArrayList<>(List.of(corrupt));
        Optional<Path> mine = archiveFor(DIST, JAVA_HOME);
        if (mine.isPresent()) {
            Path truncated = dir.resolve("truncated." + (feature(JAVA_HOME) >= 25 ? "aot" : "jsa"));
            try (var in = Files.newInputStream(mine.get())) {
                Files.write(truncated, in.readNBytes(1 << 20));
            }
            bad.add(truncated);
        }
        Run plain = run(javaJar("--version"));
        Run help = run(javaJar("hangup", "--help"));
        Run demo = run(launcher(DIST, "demo", "--calls", "300", "--json"));
        for (Path archive : bad) {
            ProcessBuilder version = launcher(DIST, "--version");
            version.environment().put("CALLFLUX_CDS_ARCHIVE", archive.toString());
            assertThat(run(version)).as("--version with %s", archive).isEqualTo(plain);
            ProcessBuilder helpRun = launcher(DIST, "hangup", "--help");
            helpRun.environment().put("CALLFLUX_CDS_ARCHIVE", archive.toString());
            assertThat(run(helpRun)).as("hangup --help with %s", archive).isEqualTo(help);
            ProcessBuilder demoRun = launcher(DIST, "demo", "--calls", "300", "--json");
            demoRun.environment().put("CALLFLUX_CDS_ARCHIVE", archive.toString());
            Run withBad = run(demoRun);
            assertThat(withBad.err()).doesNotContainPattern(JVM_LOG);
            assertThat(shape(withBad)).as("demo with %s", archive).isEqualTo(shape(demo));
        }
        // An archive made by another Java: this one's archive run by Java 25 (or Java 25's by this one).
        Optional<Path> java25 = java25();
        if (java25.isPresent()) {
            Optional<Path> other = archiveFor(DIST, java25.get());
            for (var pair : List.of(Map.entry(java25.get(), mine), Map.entry(JAVA_HOME, other))) {
                if (pair.getValue().isEmpty()) {
                    continue;
                }
                ProcessBuilder none = launcher(DIST, "--version");
                none.environment().put("JAVA_HOME", pair.getKey().toString());
                none.environment().put("CALLFLUX_CDS_ARCHIVE", "none");
                ProcessBuilder foreign = launcher(DIST, "--version");
                foreign.environment().put("JAVA_HOME", pair.getKey().toString());
                foreign.environment().put("CALLFLUX_CDS_ARCHIVE", pair.getValue().get().toString());
                assertThat(run(foreign)).as("Java %s with %s", pair.getKey(), pair.getValue().get()).isEqualTo(run(none));
            }
        }
    }

    @Test
    void theTarballInstallsAnywhereAndRunsThroughASymlink() throws Exception {
        Path opt = Files.createDirectories(dir.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "xzf", TARBALL.toString(), "-C", opt.toString()).inheritIO().start();
        assertThat(tar.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(tar.exitValue()).isZero();
        Path home;
        try (Stream<Path> top = Files.list(opt)) {
            home = top.collect(Collectors.toList()).get(0);
        }
        assertThat(home.getFileName().toString()).startsWith("callflux-");
        assertThat(Files.isExecutable(home.resolve("bin/callflux"))).isTrue();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("callflux"), home.resolve("bin/callflux"));

        Run version = run(launcher(bin.getParent(), "--version"));
        assertThat(version).isEqualTo(run(javaJar("--version")));
        Path log = dir.resolve("installed.log");
        ProcessBuilder logged = launcher(bin.getParent(), "--version");
        logged.environment().put("CALLFLUX_JAVA_OPTS", loggingTo(log, JAVA_HOME));
        assertThat(run(logged)).isEqualTo(version);
        boolean fromArchive = Files.readString(log).contains("dev.callflux.examples.Main source: shared objects file");
        // Java 25's AOT cache works wherever the files are; a CDS archive of Java 17-24 only where it was made.
        assertThat(fromArchive).as("the build's archive used after the move").isEqualTo(feature(JAVA_HOME) >= 25 && archiveFor(home, JAVA_HOME).isPresent());

        // callflux-train makes one for this installation.
        Run train = run(clean(new ProcessBuilder(home.resolve("bin/callflux-train").toString())));
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(train.err()).startsWith("callflux-train: made " + home.resolve("lib/cds").toRealPath());
        Files.delete(log);
        assertThat(run(logged)).isEqualTo(version);
        assertThat(Files.readString(log)).contains("dev.callflux.examples.Main source: shared objects file");

        // A jar replaced after the training: its archive is left alone.
        Path jar = home.resolve("lib/callflux.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        Files.delete(log);
        assertThat(run(logged)).isEqualTo(version);
        assertThat(Files.readString(log)).doesNotContain("dev.callflux.examples.Main source: shared objects file");
    }

    @Test
    void withoutJava17OrLaterItSaysSoAndExits2() throws Exception {
        Path fake = Files.createDirectories(dir.resolve("jdk11/bin"));
        Path java = fake.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'this Java must not be run'\nexit 0\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Files.writeString(fake.getParent().resolve("release"), "JAVA_VERSION=\"11.0.22\"\nJAVA_RUNTIME_VERSION=\"11.0.22+7\"\n");
        ProcessBuilder old = launcher(DIST, "--version");
        old.environment().put("JAVA_HOME", fake.getParent().toString());
        Run tooOld = run(old);
        assertThat(tooOld.exit()).isEqualTo(2);
        assertThat(tooOld.out()).isEmpty();
        assertThat(tooOld.err()).contains("needs Java 17 or later", "Java 11.0.22");

        ProcessBuilder missing = launcher(DIST, "--version");
        missing.environment().put("JAVA_HOME", dir.resolve("no-such-jdk").toString());
        Run none = run(missing);
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("JAVA_HOME", "no bin/java");
    }
}
