package dev.callflux.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callflux.testkit.CallRecord;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The crash test at a small size: two worker processes in one group, 5,000 commands (90 % hang-ups, 10 %
 * redirects), one worker SIGKILLed mid-batch and a replacement started; then one final result per command id,
 * every hang-up applied, no redirect applied twice, every UNKNOWN redirect accounted for, offsets at the end.
 */
class CrashTest {

    private static final int N = 5_000;

    @Test
    void aWorkerKilledMidBatchLosesNothingAndSendsNoRedirectTwice() throws Exception {
        String p = "crash";
        int partitions = 4;
        List<Process> processes = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start();
             TwilioSimulator sim = TwilioSimulator.builder().concurrencyLimit(20).latency(Duration.ofMillis(20)).start()) {
            broker.createTopics(p, partitions);
            List<String> sids = TestSids.callSids(105, N);
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                String body = i % 10 == 0
                        ? "{\"id\":\"c" + i + "\",\"callSid\":\"" + sids.get(i) + "\",\"url\":\"https://example.com/r.xml\"}"
                        : "{\"id\":\"c" + i + "\",\"callSid\":\"" + sids.get(i) + "\",\"status\":\"completed\"}";
                records.add(new ProducerRecord<>(p + "-commands", i % partitions, sim.accountSid(), body));
            }
            broker.sendAll(records);
            processes.add(start(broker, p, sim));
            processes.add(start(broker, p, sim));
            await().atMost(Duration.ofSeconds(90)).until(() -> broker.endOffsets(p + "-results", 1).get(0) >= N / 4);
            long before = broker.endOffsets(p + "-results", 1).get(0);
            assertThat(before).as("killed mid-batch").isLessThan(N);
            processes.get(0).destroyForcibly(); // SIGKILL
            processes.get(0).waitFor();
            processes.add(start(broker, p, sim)); // the replacement

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                    assertThat(broker.committed(p + "-group", p + "-commands"))
                            .isEqualTo(broker.endOffsets(p + "-commands", partitions)));
            Map<String, List<JsonNode>> results = broker.readAll(p + "-results");
            assertThat(results).hasSize(N);
            int unknownRedirects = 0;
            long duplicates = 0;
            for (int i = 0; i < N; i++) {
                List<JsonNode> r = results.get("c" + i);
                assertThat(r).as("c%d", i).isNotEmpty();
                duplicates += r.size() - 1;
                String outcome = r.get(r.size() - 1).get("outcome").asText();
                CallRecord call = sim.ledger().call(sids.get(i));
                if (i % 10 == 0) {
                    assertThat(call.redirectsApplied()).as("redirect c%d applied at most once", i).isLessThanOrEqualTo(1);
                    if (outcome.equals("UNKNOWN")) {
                        unknownRedirects++;
                    } else {
                        assertThat(outcome).as("c%d", i).isEqualTo("SUCCEEDED");
                        assertThat(call.redirectsApplied()).as("c%d", i).isEqualTo(1);
                    }
                } else {
                    assertThat(outcome).as("c%d", i).isIn("SUCCEEDED", "ALREADY_ENDED");
                    assertThat(call.hangupsApplied()).as("c%d", i).isEqualTo(1);
                }
            }
            System.out.printf("crash test: %d commands, %d results before the kill, %d duplicate result records,"
                    + " %d redirects UNKNOWN%n", N, before, duplicates, unknownRedirects);
        } finally {
            for (Process proc : processes) {
                proc.destroy();
            }
            for (Process proc : processes) {
                if (!proc.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    proc.destroyForcibly();
                }
            }
        }
    }

    private static Process start(KafkaBroker broker, String prefix, TwilioSimulator sim) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), WorkerProcess.class.getName(),
                broker.bootstrapServers(), prefix, sim.baseUrl(), sim.accountSid());
        pb.environment().put("TWILIO_AUTH_TOKEN", sim.authToken());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }
}
