package dev.callflux.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker against a real in-process KRaft broker and the Twilio simulator: no mocks, no Docker. */
class CallFluxKafkaWorkerTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    private static KafkaBroker broker;
    private static TwilioSimulator sim;
    private static CallFluxClient client;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        sim = TwilioSimulator.builder().concurrencyLimit(20).start();
        client = CallFluxClient.builder()
                .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                .baseUrl(sim.baseUrl())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static CallFluxKafkaWorker worker(String prefix) {
        return CallFluxKafkaWorker.builder(client)
                .bootstrapServers(broker.bootstrapServers())
                .groupId(prefix + "-group")
                .commandsTopic(prefix + "-commands")
                .resultsTopic(prefix + "-results")
                .bulkOptions(BulkOptions.builder().maxInFlight(64).build())
                .build();
    }

    private static String hangup(String id, String callSid) {
        return "{\"id\":\"" + id + "\",\"callSid\":\"" + callSid + "\",\"status\":\"completed\"}";
    }

    private static void awaitCommittedToEnd(String prefix, int partitions) {
        await().atMost(BOUND).untilAsserted(() -> assertThat(broker.committed(prefix + "-group", prefix + "-commands"))
                .isEqualTo(broker.endOffsets(prefix + "-commands", partitions)));
    }

    @Test
    void badRecordsGetFailedResultsNamingTheFieldAndThePartitionMovesOn() throws Exception {
        String p = "bad";
        broker.createTopics(p, 1);
        String account = sim.accountSid();
        String good = TestSids.callSid(101, 1);
        String topic = p + "-commands";
        broker.send(topic, 0, account, "{not json");
        broker.send(topic, 0, account, "{\"id\":\"u1\",\"callSid\":\"" + good + "\",\"status\":\"completed\",\"colour\":\"red\"}");
        broker.send(topic, 0, account, "{\"id\":\"s1\",\"callSid\":\"CA-nope\",\"status\":\"completed\"}");
        broker.send(topic, 0, "AC-bad-key", hangup("k1", TestSids.callSid(101, 2)));
        broker.send(topic, 0, account, "{\"id\":\"a1\",\"callSid\":\"" + TestSids.callSid(101, 3)
                + "\",\"accountSid\":\"ACxyz\",\"status\":\"completed\"}");
        broker.send(topic, 0, account, "{\"id\":\"st1\",\"callSid\":\"" + TestSids.callSid(101, 4) + "\",\"status\":\"paused\"}");
        broker.send(topic, 0, account, hangup("ok1", good));

        try (CallFluxKafkaWorker w = worker(p).start()) {
            await().atMost(BOUND).until(() -> broker.readAll(p + "-results").size() == 7);
            Map<String, List<JsonNode>> results = broker.readAll(p + "-results");
            assertThat(results.get(topic + "-0@0")).singleElement()
                    .satisfies(r -> assertThat(r.get("field").asText()).isEqualTo("value"));
            assertThat(results.get("u1").get(0).get("field").asText()).isEqualTo("colour");
            assertThat(results.get("s1").get(0).get("field").asText()).isEqualTo("callSid");
            assertThat(results.get("k1").get(0).get("field").asText()).isEqualTo("key");
            assertThat(results.get("a1").get(0).get("field").asText()).isEqualTo("accountSid");
            assertThat(results.get("st1").get(0).get("field").asText()).isEqualToIgnoringCase("status");
            for (String id : List.of(topic + "-0@0", "u1", "s1", "k1", "a1", "st1")) {
                assertThat(results.get(id)).as(id).hasSize(1);
                assertThat(results.get(id).get(0).get("outcome").asText()).as(id).isEqualTo("FAILED");
                assertThat(results.get(id).get(0).get("attempts").asInt()).as(id).isZero();
            }
            assertThat(results.get("ok1")).singleElement().satisfies(r -> {
                assertThat(r.get("outcome").asText()).isEqualTo("SUCCEEDED");
                assertThat(r.get("httpStatus").asInt()).isEqualTo(200);
                assertThat(r.get("callStatus").asText()).isEqualTo("completed");
                assertThat(r.get("offset").asLong()).isEqualTo(6);
            });
            // only the good record reached the simulator, and the bad SIDs never did
            assertThat(sim.ledger().call(good).hangupsApplied()).isEqualTo(1);
            assertThat(sim.ledger().requests(TestSids.callSid(101, 2))).isZero();
            awaitCommittedToEnd(p, 1);
            assertThat(w.failure()).isNull();
            assertThat(w.toString()).doesNotContain(sim.authToken()).contains("bad-commands");
        }
    }

    @Test
    void hangupsEndToEndOneResultPerCommandAndEveryHangupApplied() throws Exception {
        String p = "hang";
        int partitions = 4;
        int n = 2_000;
        broker.createTopics(p, partitions);
        List<String> sids = TestSids.callSids(102, n);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new ProducerRecord<>(p + "-commands", i % partitions, sim.accountSid(), hangup("h" + i, sids.get(i))));
        }
        broker.sendAll(records);
        try (CallFluxKafkaWorker w = worker(p).start()) {
            await().atMost(BOUND).untilAsserted(() -> assertThat(w.resultsWritten())
                    .as("results written; taken %d, ledger %s, %s, failure %s", w.commandsTaken(), sim.ledger(), w, w.failure()).isGreaterThanOrEqualTo(n));
            awaitCommittedToEnd(p, partitions);
            assertThat(w.failure()).isNull();
        }
        Map<String, List<JsonNode>> results = broker.readAll(p + "-results");
        assertThat(results).hasSize(n);
        for (int i = 0; i < n; i++) {
            List<JsonNode> r = results.get("h" + i);
            assertThat(r).as("h%d", i).hasSize(1);
            assertThat(r.get(0).get("outcome").asText()).isEqualTo("SUCCEEDED");
            assertThat(r.get(0).get("callSid").asText()).isEqualTo(sids.get(i));
            assertThat(sim.ledger().call(sids.get(i)).hangupsApplied()).as(sids.get(i)).isEqualTo(1);
        }
        assertThat(sim.ledger().peakConcurrency(sim.accountSid())).isLessThanOrEqualTo(20);
        // secrets stay in the client: not in any result record
        assertThat(results.values().stream().flatMap(List::stream).map(JsonNode::toString))
                .noneMatch(r -> r.contains(sim.authToken()));
    }

    @Test
    void aRedirectWithAnIntentButNoResultIsUnknownAndNotSent() throws Exception {
        String p = "redir";
        broker.createTopics(p, 1);
        String inDoubt = TestSids.callSid(103, 1);
        String fresh = TestSids.callSid(103, 2);
        String resent = TestSids.callSid(103, 3);
        String url = "https://example.com/next.xml";
        // what a worker that crashed after recording its intent, and before any result, leaves behind
        broker.send(p + "-commands-intents", 0, "r1", "{\"id\":\"r1\",\"state\":\"SENDING\"}");
        broker.send(p + "-commands-intents", 0, "r3", "{\"id\":\"r3\",\"state\":\"SENDING\"}");
        String account = sim.accountSid();
        broker.send(p + "-commands", 0, account, "{\"id\":\"r1\",\"callSid\":\"" + inDoubt + "\",\"url\":\"" + url + "\"}");
        broker.send(p + "-commands", 0, account, "{\"id\":\"r2\",\"callSid\":\"" + fresh + "\",\"url\":\"" + url
                + "\",\"method\":\"GET\"}");
        broker.send(p + "-commands", 0, account, "{\"id\":\"r3\",\"callSid\":\"" + resent + "\",\"twiml\":\"<Response><Hangup/></Response>\",\"resend\":true}");

        AtomicReference<Map<String, List<JsonNode>>> results = new AtomicReference<>();
        try (CallFluxKafkaWorker w = worker(p).start()) {
            await().atMost(BOUND).until(() -> {
                results.set(broker.readAll(p + "-results"));
                return results.get().size() == 3;
            });
            awaitCommittedToEnd(p, 1);
            assertThat(w.failure()).isNull();
        }
        assertThat(results.get().get("r1")).singleElement().satisfies(r -> {
            assertThat(r.get("outcome").asText()).isEqualTo("UNKNOWN");
            assertThat(r.get("error").asText()).contains("may have been applied");
        });
        assertThat(sim.ledger().requests(inDoubt)).as("never sent").isZero();
        assertThat(results.get().get("r2")).singleElement()
                .satisfies(r -> assertThat(r.get("outcome").asText()).isEqualTo("SUCCEEDED"));
        assertThat(sim.ledger().call(fresh).redirectsApplied()).isEqualTo(1);
        assertThat(results.get().get("r3")).singleElement()
                .satisfies(r -> assertThat(r.get("outcome").asText()).isEqualTo("SUCCEEDED"));
        assertThat(sim.ledger().call(resent).redirectsApplied()).as("resend opted in").isEqualTo(1);

        // the intents topic: r2 was recorded SENDING before it was sent, then DONE with its result
        Map<String, List<JsonNode>> intents = broker.readAll(p + "-commands-intents");
        assertThat(intents.get("r2")).extracting(i -> i.get("state").asText()).containsExactly("SENDING", "DONE");
        assertThat(intents.get("r2").get(1).get("result").get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(intents.get("r1")).extracting(i -> i.get("state").asText()).containsExactly("SENDING");

        // delivered again (a new group reads the topic from the start): nothing is sent again, r2's result is
        // the recorded one, r1 is still unknown
        long before = sim.ledger().totalRequests();
        try (CallFluxKafkaWorker again = CallFluxKafkaWorker.builder(client)
                .bootstrapServers(broker.bootstrapServers()).groupId(p + "-group2")
                .commandsTopic(p + "-commands").resultsTopic(p + "-results").build().start()) {
            await().atMost(BOUND).until(() -> again.resultsWritten() >= 3);
        }
        assertThat(sim.ledger().totalRequests() - before).as("r1 and r2 not sent again; r3 opted in").isEqualTo(1);
        Map<String, List<JsonNode>> after = broker.readAll(p + "-results");
        assertThat(after.get("r2")).hasSize(2);
        assertThat(after.get("r2").get(1)).isEqualTo(after.get("r2").get(0));
        assertThat(after.get("r1").get(1).get("outcome").asText()).isEqualTo("UNKNOWN");
    }

    @Test
    void aRebalanceAndAGracefulStopMidBatchLeaveExactlyOneResultPerCommand() throws Exception {
        String p = "rebal";
        int partitions = 4;
        int n = 4_000;
        broker.createTopics(p, partitions);
        try (TwilioSimulator slow = TwilioSimulator.builder().concurrencyLimit(20).latency(Duration.ofMillis(40)).start();
             CallFluxClient slowClient = CallFluxClient.builder()
                     .credentials(Credentials.authToken(slow.accountSid(), slow.authToken()))
                     .baseUrl(slow.baseUrl()).build()) {
            List<String> sids = TestSids.callSids(104, n);
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                records.add(new ProducerRecord<>(p + "-commands", i % partitions, slow.accountSid(), hangup("b" + i, sids.get(i))));
            }
            broker.sendAll(records);
            java.util.function.Supplier<CallFluxKafkaWorker> worker = () -> CallFluxKafkaWorker.builder(slowClient)
                    .bootstrapServers(broker.bootstrapServers()).groupId(p + "-group")
                    .commandsTopic(p + "-commands").resultsTopic(p + "-results")
                    .bulkOptions(BulkOptions.builder().maxInFlight(32).build())
                    .build();
            CallFluxKafkaWorker a = worker.get().start();
            CallFluxKafkaWorker b = worker.get();
            try {
                await().atMost(BOUND).until(() -> a.resultsWritten() >= 300);
                b.start(); // the group rebalances: a gives up partitions mid-batch
                await().atMost(BOUND).until(() -> b.resultsWritten() >= 300);
                long aDone = a.resultsWritten();
                assertThat(aDone).as("a stopped mid-batch").isLessThan(n);
                assertThat(a.stop(Duration.ofSeconds(30))).isTrue(); // graceful: b takes over a's partitions
                await().atMost(BOUND).untilAsserted(() -> assertThat(a.resultsWritten() + b.resultsWritten())
                        .as("a %s %s; b %s %s; ledger %s", a, a.failure(), b, b.failure(), slow.ledger())
                        .isGreaterThanOrEqualTo(n));
                awaitCommittedToEnd(p, partitions);
                assertThat(a.failure()).isNull();
                assertThat(b.failure()).isNull();
            } finally {
                a.close();
                b.close();
            }
            Map<String, List<JsonNode>> results = broker.readAll(p + "-results");
            assertThat(results).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(results.get("b" + i)).as("b%d", i).hasSize(1);
                assertThat(slow.ledger().call(sids.get(i)).hangupsApplied()).as(sids.get(i)).isEqualTo(1);
            }
            assertThat(a.resultsWritten() + b.resultsWritten()).isEqualTo(n);
        }
    }
}
