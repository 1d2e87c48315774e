package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code callflux enqueue}, {@code worker} and {@code results} in this JVM through picocli, against a real
 * single-node KRaft broker and the simulator over HTTP.
 */
class KafkaCliTest {

    private static KafkaBroker broker;
    private static TwilioSimulator sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        sim = TwilioSimulator.builder().concurrencyLimit(20).latency(Duration.ofMillis(5)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
        broker.close();
    }

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        return run(Map.of("TWILIO_ACCOUNT_SID", sim.accountSid(), "TWILIO_AUTH_TOKEN", sim.authToken()), args);
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CallFluxCli.run(args, env,
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] kafka(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-servers");
        all.add(broker.bootstrapServers());
        return all.toArray(String[]::new);
    }

    @Test
    void enqueuedHangupsAreSentByAWorkerAndTheirResultsReportedOnceEach() throws Exception {
        List<String> sids = TestSids.callSids(1301, 300);
        Path file = dir.resolve("sids.txt");
        Files.write(file, sids, StandardCharsets.UTF_8);

        Run enqueued = run(kafka("enqueue", "--sids", file.toString(), "--topic", "e2e-commands", "--partitions", "3",
                "--batch", "night"));
        assertThat(enqueued.exit()).as(enqueued.err()).isZero();
        assertThat(enqueued.out()).isEqualTo("night" + System.lineSeparator());
        assertThat(enqueued.err()).contains("enqueued 300 commands (batch night: status completed) to e2e-commands")
                .contains("callflux results --bootstrap-servers " + broker.bootstrapServers() + " --batch night --expect 300");

        CompletableFuture<Run> worker = CompletableFuture.supplyAsync(() -> run(kafka("worker", "--base-url", sim.baseUrl(),
                "--commands-topic", "e2e-commands", "--results-topic", "e2e-results", "--group", "e2e", "--concurrency", "50",
                "--partitions", "3", "--exit-when-idle", "2s", "--progress-interval", "200")));

        Path report = dir.resolve("report.csv");
        Run results = run(kafka("results", "--topic", "e2e-results", "--batch", "night", "--expect", "300",
                "--timeout", "2m", "--report", report.toString()));
        assertThat(results.exit()).as(results.err()).isZero();
        assertThat(results.err()).contains("300 commands: 300 succeeded, 0 already ended, 0 failed, 0 unknown outcome");

        Run w = worker.get(90, TimeUnit.SECONDS);
        assertThat(w.exit()).as(w.err()).isZero();
        assertThat(w.err()).contains("created the topic e2e-results (3 partitions, compacted)")
                .contains("created the topic e2e-commands-intents (3 partitions, compacted)")
                .contains("no command for 2s (--exit-when-idle): stopping")
                .containsPattern("worker finished after [\\d.]+ s: 300 commands taken, 300 results written")
                .doesNotContain(sim.authToken());
        // idle for 2 s at a line per 200 ms: the counts are printed once, not once per interval
        assertThat(w.err().lines().filter(l -> l.endsWith("worker: 300 commands taken, 300 results written")))
                .hasSize(1);
        for (String sid : sids) {
            assertThat(sim.ledger().call(sid).hangupsApplied()).as(sid).isEqualTo(1);
        }
        List<String> rows = Files.readAllLines(report, StandardCharsets.UTF_8);
        assertThat(rows).hasSize(301).first().isEqualTo(Report.HEADER);
        assertThat(rows.subList(1, rows.size())).allMatch(r -> r.matches("CA\\p{XDigit}{32},SUCCEEDED,200,,\\d+,,"));

        // read again, without waiting: what there is now, as JSON
        Run again = run(kafka("results", "--topic", "e2e-results", "--batch", "night", "--json"));
        assertThat(again.exit()).as(again.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(again.out());
        assertThat(summary.get("total").asInt()).isEqualTo(300);
        assertThat(summary.get("succeeded").asInt()).isEqualTo(300);
        Run otherBatch = run(kafka("results", "--topic", "e2e-results", "--batch", "day"));
        assertThat(otherBatch.err()).contains("0 commands: 0 succeeded");

        // one more expected than there are, and no worker: the progress line says the results stopped coming, and why
        Run stalled = run(kafka("results", "--topic", "e2e-results", "--batch", "night", "--expect", "301",
                "--timeout", "5s", "--progress-interval", "200"));
        assertThat(stalled.exit()).as(stalled.err()).isEqualTo(CallFluxCli.SOME_FAILED);
        assertThat(stalled.err()).containsPattern("results: 300 of 301 \\(none new for \\d+ s: is a 'callflux worker'"
                        + " running\\? One that stopped hands its commands to the others after the group's session timeout")
                .contains("callflux: 1 of the 301 commands expected have no result yet (--timeout 5s)");
    }

    @Test
    void cancelsThatFoundTheCallsAnsweredAreCountedStillLiveByResults() throws Exception {
        List<String> sids = TestSids.callSids(1305, 20); // the simulator's unknown calls are in progress: answered
        Path file = dir.resolve("cancel.txt");
        Files.write(file, sids, StandardCharsets.UTF_8);
        assertThat(run(kafka("enqueue", "--sids", file.toString(), "--status", "canceled", "--topic", "cancel-commands",
                "--partitions", "1", "--batch", "k")).exit()).isZero();
        Run worker = run(kafka("worker", "--base-url", sim.baseUrl(), "--commands-topic", "cancel-commands",
                "--results-topic", "cancel-results", "--group", "cancel", "--partitions", "1", "--exit-when-idle", "2s"));
        assertThat(worker.exit()).as(worker.err()).isZero();

        Path report = dir.resolve("cancel.csv");
        Run results = run(kafka("results", "--topic", "cancel-results", "--batch", "k", "--report", report.toString()));
        assertThat(results.exit()).as(results.err()).isZero();
        assertThat(results.err()).contains("20 commands: 20 succeeded", "20 of the succeeded still live");
        assertThat(Files.readAllLines(report, StandardCharsets.UTF_8).subList(1, 21))
                .allMatch(r -> r.contains(",SUCCEEDED,200,") && r.endsWith("still live: the call is in-progress"
                        + " (a cancel ends only queued or ringing calls)"));
        Run json = run(kafka("results", "--topic", "cancel-results", "--batch", "k", "--json"));
        assertThat(new ObjectMapper().readTree(json.out()).get("still_live").asInt()).isEqualTo(20);
        for (String sid : sids) {
            assertThat(sim.ledger().call(sid).status()).as(sid).isEqualTo(dev.callflux.core.model.CallStatus.IN_PROGRESS);
        }
    }

    @Test
    void refusedCredentialsStopTheWorkerWithoutAnsweringAndTheNextWorkerDoesTheCommands() throws Exception {
        List<String> sids = TestSids.callSids(1304, 200);
        Path file = dir.resolve("creds.txt");
        Files.write(file, sids, StandardCharsets.UTF_8);
        assertThat(run(kafka("enqueue", "--sids", file.toString(), "--topic", "creds-commands", "--partitions", "2",
                "--batch", "c")).exit()).isZero();
        String[] worker = kafka("worker", "--base-url", sim.baseUrl(), "--commands-topic", "creds-commands",
                "--results-topic", "creds-results", "--group", "creds", "--partitions", "2", "--exit-when-idle", "2s");

        Run refused = run(Map.of("TWILIO_ACCOUNT_SID", sim.accountSid(), "TWILIO_AUTH_TOKEN", "0123456789abcdef0123456789abcdef"), worker);
        assertThat(refused.exit()).as(refused.err()).isEqualTo(CallFluxCli.STOPPED);
        assertThat(refused.err()).contains("callflux: stopped: Twilio refused the credentials for " + sim.accountSid())
                .contains("check TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN")
                .contains("its commands were not answered and are taken again by the next worker")
                .doesNotContain("Exception").doesNotContain("0123456789abcdef0123456789abcdef");
        assertThat(run(kafka("results", "--topic", "creds-results", "--batch", "c")).err())
                .as("no command answered FAILED for refused credentials").contains("0 commands: ");

        Run next = run(worker);
        assertThat(next.exit()).as(next.err()).isZero();
        Run results = run(kafka("results", "--topic", "creds-results", "--batch", "c"));
        assertThat(results.exit()).as(results.err()).isZero();
        assertThat(results.err()).contains("200 commands: 200 succeeded");
        for (String sid : sids) {
            assertThat(sim.ledger().call(sid).hangupsApplied()).as(sid).isEqualTo(1);
        }
    }

    @Test
    void aRedirectIsEnqueuedWithItsUrlMethodAndAccountAsTheKey() throws Exception {
        String call = TestSids.callSid(1302, 1);
        // the brokers from KAFKA_BOOTSTRAP_SERVERS, the key from TWILIO_ACCOUNT_SID
        Run r = run(Map.of("TWILIO_ACCOUNT_SID", sim.accountSid(), "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()),
                "enqueue", "--sid", call, "--url", "https://example.com/next", "--method", "GET",
                "--topic", "redirect-commands", "--batch", "r");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("created the topic redirect-commands (6 partitions)")
                .contains("enqueued 1 command (batch r: redirect to https://example.com/next)")
                .contains("follow their results: callflux results --batch r --expect 1");
        Map<String, List<JsonNode>> records = broker.readAll("redirect-commands");
        assertThat(records).containsOnlyKeys(sim.accountSid());
        JsonNode value = records.get(sim.accountSid()).get(0);
        assertThat(value.toString()).isEqualTo("{\"id\":\"r-1\",\"callSid\":\"" + call
                + "\",\"url\":\"https://example.com/next\",\"method\":\"GET\"}");
    }

    @Test
    void badInputIsRefusedNamingTheFlagBeforeAnythingIsWritten() throws Exception {
        Run badUrl = run(kafka("enqueue", "--sid", TestSids.callSid(1303, 1), "--url", "ftp://example.com/x", "--topic", "bad-commands"));
        assertThat(badUrl.exit()).isEqualTo(CallFluxCli.USAGE);
        assertThat(badUrl.err()).startsWith("callflux: --url ");
        assertThat(run(kafka("enqueue", "--sid", TestSids.callSid(1303, 1), "--status", "paused")).err())
                .startsWith("callflux: --status ");
        Run idle = run(kafka("worker", "--base-url", sim.baseUrl(), "--exit-when-idle", "soon"));
        assertThat(idle.exit()).isEqualTo(CallFluxCli.USAGE);
        assertThat(idle.err()).contains("--exit-when-idle must be a duration such as 500ms, 30s, 5m or 1h, not soon");
        assertThat(run(kafka("worker", "--base-url", sim.baseUrl(), "--concurrency", "0")).exit()).isEqualTo(CallFluxCli.USAGE);
        assertThat(run(kafka("results", "--timeout", "5s")).err()).contains("--timeout goes with --expect");
        assertThat(run(kafka("enqueue", "--sid", TestSids.callSid(1303, 1), "--url", "https://example.com/a.xml",
                "--twiml", "<Response/>", "--topic", "bad-commands")).err().strip())
                .isEqualTo("callflux: --url and --twiml cannot be used together: Twilio runs one or the other");
        assertThat(run(kafka("enqueue", "--sid", TestSids.callSid(1303, 1), "--partitions", "0", "--topic", "bad-commands"))
                .err()).contains("callflux: --partitions must be at least 1 (got 0)");
        assertThat(run(kafka("results", "--expect", "-1")).err()).contains("callflux: --expect must not be negative (got -1)");
        java.util.Properties settings = new java.util.Properties();
        settings.setProperty("bootstrap.servers", broker.bootstrapServers());
        assertThat(KafkaSetup.exists(settings, "bad-commands")).as("nothing written, no topic created").isFalse();

        Path file = dir.resolve("mixed.txt");
        String good = TestSids.callSid(1303, 2);
        Files.write(file, List.of(good, "not-a-sid", good), StandardCharsets.UTF_8);
        Run mixed = run(kafka("enqueue", "--sids", file.toString(), "--topic", "mixed-commands", "--partitions", "1", "--batch", "m"));
        assertThat(mixed.exit()).isEqualTo(CallFluxCli.SOME_FAILED);
        assertThat(mixed.err()).contains("line 2: not a call SID: \"not-a-sid\"")
                .contains("enqueued 1 command (batch m").contains("1 duplicate SID enqueued once")
                .contains("1 line that is not a call SID left out");
        assertThat(broker.endOffsets("mixed-commands", 1)).containsEntry(0, 1L);
    }

    @Test
    void aBrokerThatDoesNotAnswerOrATopicThatDoesNotExistIsSaidInCliWords() {
        Run none = run("worker", "--base-url", sim.baseUrl(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(none.exit()).isEqualTo(CallFluxCli.STOPPED);
        assertThat(none.err()).contains("no Kafka broker answered at 127.0.0.1:1 (--bootstrap-servers) within 10 s")
                .doesNotContain("Exception").doesNotContain("org.apache");
        Run missing = run(kafka("results", "--topic", "no-such-results"));
        assertThat(missing.exit()).isEqualTo(CallFluxCli.STOPPED);
        assertThat(missing.err()).contains("there is no topic no-such-results at " + broker.bootstrapServers());
    }
}
