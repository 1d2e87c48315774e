package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.TwilioSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code callflux.jar}, run as a process against the simulator. */
class CliJarIT {

    private static final Pattern PROGRESS = Pattern.compile("progress: ([\\d,]+)/");

    @TempDir
    Path dir;

    private static String sid(int batch, int i) {
        return dev.callflux.testkit.TestSids.callSid(batch, i);
    }

    private Path sids(int batch, int n) throws IOException {
        Path f = dir.resolve("sids-" + batch + ".txt");
        Files.write(f, IntStream.range(0, n).mapToObj(i -> sid(batch, i)).collect(Collectors.toList()), StandardCharsets.UTF_8);
        return f;
    }

    private static ProcessBuilder callflux(TwilioSimulator sim, String... args) {
        List<String> javaArgs = new ArrayList<>(List.of("-jar", jar()));
        javaArgs.addAll(List.of(args));
        return java(sim, javaArgs.toArray(String[]::new));
    }

    /** {@code java ARGS} with the simulator's credentials in the environment (and no API key of the machine's). */
    static ProcessBuilder java(TwilioSimulator sim, String... javaArgs) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(javaArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TWILIO_API_KEY");
        pb.environment().put("TWILIO_ACCOUNT_SID", sim.accountSid());
        pb.environment().put("TWILIO_AUTH_TOKEN", sim.authToken());
        return pb;
    }

    static String jar() {
        return System.getProperty("callflux.jar", "target/callflux.jar");
    }

    private static int finish(Process p) throws InterruptedException {
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("callflux finished").isTrue();
        return p.exitValue();
    }

    @Test
    void tenThousandSidsThroughA429LimitAllSucceedOnce() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().concurrencyLimit(20).rateLimitedFraction(0.1)
                .latency(Duration.ofMillis(2)).start()) {
            Path report = dir.resolve("report.csv");
            Process p = callflux(sim, "hangup", "--sids", sids(1, 10_000).toString(), "--base-url", sim.baseUrl(),
                    "--report", report.toString(), "--json").redirectError(dir.resolve("err.txt").toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(finish(p)).as(Files.readString(dir.resolve("err.txt"))).isZero();
            assertThat(out).contains("\"total\":10000", "\"succeeded\":10000", "\"failed\":0");
            assertThat(Files.readAllLines(report)).hasSize(10_001);
            assertThat(sim.ledger().statusCount(429)).isPositive();
            for (int i = 0; i < 10_000; i++) {
                assertThat(sim.ledger().call(sid(1, i)).hangupsApplied()).isEqualTo(1);
            }
        }
    }

    @Test
    void aRunStoppedHalfWayResumesFromItsJournalAndUpdatesNothingTwice() throws Exception {
        int n = 6_000;
        try (TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofMillis(5)).start()) {
            Path sids = sids(2, n);
            Path journal = dir.resolve("journal");
            Process first = callflux(sim, "hangup", "--sids", sids.toString(), "--base-url", sim.baseUrl(),
                    "--journal", journal.toString(), "--concurrency", "10", "--progress-interval", "200").start();
            // Wait for the progress line that says a good part is done, then stop it as Ctrl-C would.
            try (BufferedReader err = new BufferedReader(new InputStreamReader(first.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                long done = 0;
                while (done < n / 4 && (line = err.readLine()) != null) {
                    Matcher m = PROGRESS.matcher(line);
                    if (m.find()) {
                        done = Long.parseLong(m.group(1).replace(",", ""));
                    }
                }
                assertThat(done).as("progress seen before the end").isBetween((long) n / 4, (long) n - 1);
                first.toHandle().destroy(); // SIGTERM: like Ctrl-C, runs the shutdown hook
                StringBuilder rest = new StringBuilder();
                while ((line = err.readLine()) != null) {
                    rest.append(line).append('\n');
                }
                assertThat(rest).contains("stopping: no new requests", "interrupted after");
            }
            assertThat(finish(first)).as("128 + SIGTERM").isEqualTo(143);
            long journaled = Files.readAllLines(journal).size() - 1; // the first line says what the journal belongs to
            assertThat(journaled).isLessThan(n);
            // Everything in flight when it stopped finished and was journaled: the server saw no more.
            assertThat(sim.ledger().totalRequests()).isEqualTo(journaled);

            Process second = callflux(sim, "hangup", "--sids", sids.toString(), "--base-url", sim.baseUrl(),
                    "--journal", journal.toString(), "--json").redirectError(dir.resolve("err2.txt").toFile()).start();
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(finish(second)).as(Files.readString(dir.resolve("err2.txt"))).isZero();
            assertThat(out).contains("\"skipped\":" + journaled, "\"total\":" + (n - journaled));
            for (int i = 0; i < n; i++) {
                assertThat(sim.ledger().requests(sid(2, i))).as(sid(2, i)).isEqualTo(1);
                assertThat(sim.ledger().call(sid(2, i)).hangupsApplied()).isEqualTo(1);
            }
        }
    }

    @Test
    void aRunKilledOutrightLosesNothingOnResume() throws Exception {
        int n = 3_000;
        try (TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofMillis(5)).start()) {
            Path sids = sids(3, n);
            Path journal = dir.resolve("journal");
            Process first = callflux(sim, "hangup", "--sids", sids.toString(), "--base-url", sim.baseUrl(),
                    "--journal", journal.toString(), "--concurrency", "10", "--progress-interval", "200").start();
            try (BufferedReader err = new BufferedReader(new InputStreamReader(first.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null && !PROGRESS.matcher(line).find()) {
                    // read until the first progress line
                }
                first.destroyForcibly(); // SIGKILL: no shutdown hook, requests in flight are lost mid-way
            }
            first.waitFor(1, TimeUnit.MINUTES);
            Process second = callflux(sim, "hangup", "--sids", sids.toString(), "--base-url", sim.baseUrl(),
                    "--journal", journal.toString()).redirectError(dir.resolve("err3.txt").toFile()).start();
            assertThat(finish(second)).as(Files.readString(dir.resolve("err3.txt"))).isZero();
            for (int i = 0; i < n; i++) {
                // Sent again after the kill, a hang-up finds the call ended (already ended): applied once.
                assertThat(sim.ledger().call(sid(3, i)).hangupsApplied()).isEqualTo(1);
            }
            assertThat(sim.ledger().totalRequests()).isLessThanOrEqualTo(n + 10);
        }
    }

    @Test
    void dryRunSendsNothing() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            Process p = callflux(sim, "hangup", "--sids", sids(4, 100).toString(), "--base-url", sim.baseUrl(), "--dry-run")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(finish(p)).isZero();
            assertThat(out.lines().count()).isEqualTo(100);
            assertThat(sim.ledger().totalRequests()).isZero();
        }
    }

    @Test
    void badLinesGiveTheirLineNumbersAndExitCodesTellWhatHappened() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            Path input = dir.resolve("mixed.txt");
            Files.write(input, List.of(sid(5, 1), "# comment", "CA123", sid(5, 2)), StandardCharsets.UTF_8);
            Process go = callflux(sim, "hangup", "--sids", input.toString(), "--base-url", sim.baseUrl()).start();
            String err = new String(go.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(finish(go)).isEqualTo(1);
            assertThat(err).contains("line 3: not a call SID: \"CA123\"");
            assertThat(sim.ledger().totalRequests()).isEqualTo(2);

            Process stop = callflux(sim, "hangup", "--sids", input.toString(), "--base-url", sim.baseUrl(), "--stop-on-invalid").start();
            stop.getErrorStream().readAllBytes();
            assertThat(finish(stop)).isEqualTo(2);
            // Read as a stream, the input stops at line 3: the SID before it may be sent again, the one after never.
            assertThat(sim.ledger().requests(sid(5, 2))).isEqualTo(1);
            assertThat(sim.ledger().totalRequests()).isLessThanOrEqualTo(3);

            Process usage = callflux(sim, "hangup", "--concurrency").start();
            usage.getErrorStream().readAllBytes();
            assertThat(finish(usage)).isEqualTo(2);
        }
    }
}
