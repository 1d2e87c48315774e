package dev.callflux.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callflux.testkit.CallRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The crash test of issue 13, as a process-level test: 3 worker processes in one group against the simulator
 * with 10 accounts, each limited to 20 concurrent requests; {@code callflux.crash.commands} commands (100,000, the
 * issue's size, by default; {@code -Dcallflux.crash.commands=10000} for a quicker run), 90 % hang-ups and 10 % redirects; one worker SIGKILLed
 * mid-batch and a replacement started. Then: one final result per command id, every hang-up applied, no
 * redirect applied twice, every UNKNOWN redirect accounted for (its intent recorded by the killed worker, no
 * result), and the group's offsets at the end of the commands topic.
 */
class CrashTest {

    private static final int N = Integer.getInteger("callflux.crash.commands", 100_000);
    private static final int ACCOUNTS = 10;
    private static final int WORKERS = 3;
    private static final int MAX_IN_FLIGHT = 64;

    /** One command in ten is a redirect, in every account (command {@code i} is for account {@code i % 10}). */
    private static boolean redirect(int i) {
        return (i / ACCOUNTS) % 10 == 0;
    }

    @Test
    void threeWorkersOneKilledMidBatchLoseNothingAndSendNoRedirectTwice() throws Exception {
        long started;
        long killedAt;
        long before;
        long done;
        try (KafkaBroker broker = KafkaBroker.start();
             Fleet fleet = Fleet.start(broker, "crash", ACCOUNTS, 20, Duration.ofMillis(20))) {
            List<String> sids = fleet.enqueue(N, CrashTest::redirect, 105);
            started = System.nanoTime();
            for (int i = 0; i < WORKERS; i++) {
                fleet.startWorker(MAX_IN_FLIGHT);
            }
            await().atMost(Duration.ofSeconds(Math.max(120, N / 100))).until(() -> fleet.resultRecords() >= N / 4);
            before = fleet.resultRecords();
            assertThat(before).as("killed mid-batch").isLessThan(N);
            Process victim = fleet.workers.get(0);
            victim.destroyForcibly(); // SIGKILL
            victim.waitFor();
            killedAt = System.nanoTime();
            fleet.startWorker(MAX_IN_FLIGHT); // the replacement

            await().atMost(Duration.ofSeconds(Math.max(180, N / 50))).until(fleet::committedToEnd);
            done = System.nanoTime();

            Map<String, List<JsonNode>> results = broker.readAll("crash-results");
            Map<String, List<JsonNode>> intents = broker.readAll("crash-commands-intents");
            assertThat(results).as("a result for every command id, and only those").hasSize(N);
            int unknown = 0;
            int unknownApplied = 0;
            int resent = 0;
            long duplicates = 0;
            for (int i = 0; i < N; i++) {
                List<JsonNode> r = results.get("c" + i);
                assertThat(r).as("c%d", i).isNotEmpty();
                duplicates += r.size() - 1;
                JsonNode last = r.get(r.size() - 1);
                String outcome = last.get("outcome").asText();
                CallRecord call = fleet.sim.ledger().call(sids.get(i));
                if (redirect(i)) {
                    assertThat(call.redirectsApplied()).as("redirect c%d applied at most once", i).isLessThanOrEqualTo(1);
                    if (outcome.equals("UNKNOWN")) {
                        unknown++;
                        unknownApplied += call.redirectsApplied();
                        // accounted for: the killed worker recorded the intent and no result
                        List<JsonNode> intent = intents.get("c" + i);
                        assertThat(intent).as("intent of c%d", i).isNotEmpty();
                        assertThat(intent.get(0).get("state").asText()).isEqualTo("SENDING");
                        assertThat(intent).as("c%d has no DONE", i).noneMatch(x -> x.get("state").asText().equals("DONE"));
                    } else {
                        assertThat(outcome).as("c%d", i).isEqualTo("SUCCEEDED");
                        assertThat(call.redirectsApplied()).as("c%d", i).isEqualTo(1);
                    }
                } else {
                    assertThat(outcome).as("c%d", i).isIn("SUCCEEDED", "ALREADY_ENDED");
                    assertThat(call.hangupsApplied()).as("c%d", i).isEqualTo(1);
                    if (call.notInProgressAnswers() > 0) {
                        resent++; // applied by the killed worker, its result never written: redelivered, sent again
                    }
                }
            }
            // at most what the killed worker's run had taken (an intent is recorded only then)
            assertThat(unknown).as("UNKNOWN redirects").isLessThanOrEqualTo(MAX_IN_FLIGHT);
            assertThat(fleet.committedToEnd()).isTrue();
            System.out.printf("crash test: %,d commands, %d workers, %d accounts (20 at once each): %,d results before the kill,"
                            + " %.1f s in all (%.1f s after the kill), %,d duplicate result records, %,d hang-ups sent again"
                            + " (applied, no result before the kill), %d redirects UNKNOWN (%d of them applied before the kill),"
                            + " %,d answers 429%n",
                    N, WORKERS, ACCOUNTS, before, (done - started) / 1e9, (done - killedAt) / 1e9, duplicates, resent, unknown,
                    unknownApplied, fleet.sim.ledger().statusCount(429));
        }
    }
}
