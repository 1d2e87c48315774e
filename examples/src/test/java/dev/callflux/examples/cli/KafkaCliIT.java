package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.callflux.kafka.KafkaBroker;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka commands of the packaged {@code callflux.jar}, run as processes. */
class KafkaCliIT {

    @TempDir
    Path dir;

    private static ProcessBuilder callflux(TwilioSimulator sim, String... javaArgs) {
        return CliJarIT.java(sim, javaArgs);
    }

    private static String jar() {
        return CliJarIT.jar();
    }

    private static int cli(TwilioSimulator sim, ByteArrayOutputStream err, String... args) {
        return CallFluxCli.run(args, Map.of("TWILIO_ACCOUNT_SID", sim.accountSid(), "TWILIO_AUTH_TOKEN", sim.authToken()),
                new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    @Test
    void aWorkerStoppedBySigtermFinishesWhatItTookAndTheNextWorkerTheRest() throws Exception {
        int n = 2_000;
        try (KafkaBroker broker = KafkaBroker.start();
             TwilioSimulator sim = TwilioSimulator.builder().concurrencyLimit(20).latency(Duration.ofMillis(20)).start()) {
            String bootstrap = broker.bootstrapServers();
            List<String> sids = TestSids.callSids(1401, n);
            Path file = dir.resolve("sids.txt");
            Files.write(file, sids, StandardCharsets.UTF_8);
            ByteArrayOutputStream enqueueErr = new ByteArrayOutputStream();
            assertThat(cli(sim, enqueueErr, "enqueue", "--sids", file.toString(), "--bootstrap-servers", bootstrap,
                    "--topic", "sig-commands", "--partitions", "3", "--batch", "s")).as(enqueueErr.toString()).isZero();

            Path workerErr = dir.resolve("worker.err");
            Process worker = callflux(sim, "-jar", jar(), "worker", "--base-url", sim.baseUrl(), "--bootstrap-servers", bootstrap,
                    "--commands-topic", "sig-commands", "--results-topic", "sig-results", "--group", "sig", "--concurrency", "20")
                    .redirectError(workerErr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            await().atMost(Duration.ofMinutes(2)).until(() -> KafkaSetup.exists(settings(bootstrap), "sig-results")
                    && broker.endOffsets("sig-results", 6).values().stream().mapToLong(Long::longValue).sum() >= n / 4);
            worker.destroy(); // SIGTERM
            assertThat(worker.waitFor(1, TimeUnit.MINUTES)).as("the worker stopped").isTrue();
            String said = Files.readString(workerErr, StandardCharsets.UTF_8);
            assertThat(worker.exitValue()).as(said).isEqualTo(143);
            assertThat(said).contains("callflux: stopping: no new commands; waiting up to 30 s for those in flight")
                    .containsPattern("worker finished after [\\d.]+ s: ([\\d,]+) commands taken, \\1 results written")
                    .doesNotContain(sim.authToken()).doesNotContain("Exception");
            long stoppedAt = broker.endOffsets("sig-results", 6).values().stream().mapToLong(Long::longValue).sum();
            assertThat(stoppedAt).as("stopped mid-batch").isLessThan(n);

            ByteArrayOutputStream nextErr = new ByteArrayOutputStream();
            assertThat(cli(sim, nextErr, "worker", "--base-url", sim.baseUrl(), "--bootstrap-servers", bootstrap,
                    "--commands-topic", "sig-commands", "--results-topic", "sig-results", "--group", "sig", "--exit-when-idle", "2s"))
                    .as(nextErr.toString()).isZero();
            ByteArrayOutputStream resultsErr = new ByteArrayOutputStream();
            assertThat(cli(sim, resultsErr, "results", "--bootstrap-servers", bootstrap, "--topic", "sig-results", "--batch", "s"))
                    .as(resultsErr.toString()).isZero();
            assertThat(resultsErr.toString(StandardCharsets.UTF_8)).contains("2,000 commands: 2,000 succeeded")
                    .doesNotContain("duplicate result records");
            for (String sid : sids) {
                assertThat(sim.ledger().call(sid).hangupsApplied()).as(sid).isEqualTo(1);
            }
            assertThat(broker.committed("sig", "sig-commands").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
        }
    }

    @Test
    void hangupLoadsNoKafkaClass() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            Path log = dir.resolve("classes.log");
            Process p = callflux(sim, "-Xlog:class+load=info:file=" + log, "-jar", jar(), "hangup", "--base-url", sim.baseUrl(),
                    "--sid", TestSids.callSid(1402, 1)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).isZero();
            String loaded = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(loaded).contains("dev.callflux.examples.cli.HangupRun").doesNotContain("org.apache.kafka")
                    .doesNotContain("dev.callflux.kafka").doesNotContain("KafkaSetup source").doesNotContain("WorkerRun").doesNotContain("ResultsRun");
        }
    }

    private static java.util.Properties settings(String bootstrap) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("bootstrap.servers", bootstrap);
        return p;
    }
}
