package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** {@code POST /calls/hangup}: NDJSON and JSON-array bodies in, NDJSON results out, as they complete. */
class BulkHangupTest extends AppTestSupport {

    static final TwilioSimulator SIM = TwilioSimulator.builder()
            .latency(Duration.ofMillis(2))
            .latencyJitter(Duration.ofMillis(5))
            .concurrencyLimit(50)
            .start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useSimulator(registry, SIM);
        registry.add("callflux.bulk.max-in-flight", () -> "64");
    }


    @AfterAll
    static void stopSimulator() {
        SIM.close();
    }

    @Test
    void thousandSidsInNdjsonGiveThousandResultsEachCallHungUpOnce() {
        List<String> sids = IntStream.range(0, 1000).mapToObj(i -> newSid()).toList();
        // The three line forms: a raw SID, a JSON string, an object.
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < sids.size(); i++) {
            String sid = sids.get(i);
            body.append(switch (i % 3) {
                case 0 -> sid;
                case 1 -> "\"" + sid + "\"";
                default -> "{\"sid\": \"" + sid + "\"}";
            }).append('\n');
        }

        List<JsonNode> results = bulk(body.toString());

        assertThat(results).hasSize(1000);
        Set<String> seen = new HashSet<>();
        for (JsonNode r : results) {
            assertThat(r.path("outcome").asString()).as(r.toString()).isEqualTo("SUCCEEDED");
            assertThat(r.path("http_status").asInt()).isEqualTo(200);
            assertThat(r.path("status").asString()).isEqualTo("completed");
            assertThat(r.path("attempts").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(r.has("millis")).isTrue();
            assertThat(r.has("message")).isFalse();
            String sid = r.path("sid").asString();
            assertThat(seen.add(sid)).as("each SID once: " + sid).isTrue();
            // The line number points back at the SID's line.
            assertThat(sids.get(r.path("line").asInt() - 1)).isEqualTo(sid);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(sids);
        for (String sid : sids) {
            assertThat(SIM.ledger().call(sid).hangupsApplied()).as(sid).isEqualTo(1);
        }
    }

    @Test
    void jsonArrayBody() {
        List<String> sids = IntStream.range(0, 50).mapToObj(i -> newSid()).toList();
        String body = IntStream.range(0, sids.size())
                .mapToObj(i -> i % 2 == 0 ? "\"" + sids.get(i) + "\"" : "{\"sid\":\"" + sids.get(i) + "\"}")
                .collect(Collectors.joining(",\n  ", "[\n  ", "\n]"));

        List<JsonNode> results = bulk(MediaType.APPLICATION_JSON, body);

        assertThat(results).hasSize(50);
        assertThat(results).allSatisfy(r -> assertThat(r.path("outcome").asString()).isEqualTo("SUCCEEDED"));
        assertThat(results.stream().map(r -> r.path("sid").asString())).containsExactlyInAnyOrderElementsOf(sids);
        assertThat(sids).allSatisfy(sid -> assertThat(SIM.ledger().call(sid).hangupsApplied()).isEqualTo(1));
    }

    @Test
    void invalidLinesFailAloneAndTheRestSucceeds() {
        String good1 = newSid();
        String good2 = newSid();
        String body = String.join("\n",
                good1,                         // 1
                "not-a-sid",                   // 2
                "",                            // 3: blank, skipped
                "\"CA123\"",                   // 4
                "{\"sid\": 42}",               // 5
                "{\"sid\": \"" + good2,        // 6: broken JSON
                "  " + good2 + "  ",           // 7: whitespace around a raw SID is fine
                "{\"callSid\": \"" + good1 + "\"}",  // 8: no "sid"
                "CA" + "0".repeat(SidStreams.MAX_LINE_BYTES)); // 9: too long, no final line break

        List<JsonNode> results = bulk(body);

        assertThat(results).hasSize(8);
        JsonNode[] byLine = new JsonNode[10];
        for (JsonNode r : results) {
            byLine[r.path("line").asInt()] = r;
        }
        assertThat(byLine[3]).isNull();
        for (int line : new int[] {1, 7}) {
            assertThat(byLine[line].path("outcome").asString()).isEqualTo("SUCCEEDED");
        }
        for (int line : new int[] {2, 4, 5, 6, 8, 9}) {
            JsonNode r = byLine[line];
            assertThat(r.path("outcome").asString()).as(r.toString()).isEqualTo("FAILED");
            assertThat(r.path("attempts").asInt()).isZero();
            assertThat(r.has("http_status")).isFalse();
        }
        assertThat(byLine[2].path("sid").asString()).isEqualTo("not-a-sid");
        assertThat(byLine[2].path("message").asString()).startsWith("CallSid: must be 'CA' followed by 32 hexadecimal digits");
        assertThat(byLine[4].path("sid").asString()).isEqualTo("CA123");
        assertThat(byLine[5].has("sid")).isFalse();
        assertThat(byLine[5].path("message").asString()).contains("expected a call SID");
        assertThat(byLine[6].path("message").asString()).isEqualTo("not valid JSON");
        assertThat(byLine[8].path("message").asString()).contains("expected a call SID");
        assertThat(byLine[9].path("message").asString()).isEqualTo("the line is longer than 8192 bytes");
        assertThat(SIM.ledger().call(good1).requestsReceived()).isEqualTo(1);
        assertThat(SIM.ledger().call(good2).requestsReceived()).isEqualTo(1);
    }

    @Test
    void plainTextBodyAndInvalidArrayElements() {
        String sid = newSid();
        List<JsonNode> text = bulk(MediaType.TEXT_PLAIN, sid + "\r\n");
        assertThat(text).singleElement().satisfies(r -> assertThat(r.path("outcome").asString()).isEqualTo("SUCCEEDED"));

        String nested = newSid();
        List<JsonNode> array = bulk(MediaType.APPLICATION_JSON, "[42, null, [\"" + newSid() + "\"], {\"sid\": 7},"
                + " {\"x\": {\"sid\": \"" + newSid() + "\"}, \"sid\": \"" + nested + "\", \"y\": [1, {\"z\": 2}]}, \"CA1\"]");
        assertThat(array).hasSize(6);
        assertThat(array.stream().filter(r -> r.path("outcome").asString().equals("FAILED")).map(r -> r.path("line").asInt()))
                .containsExactlyInAnyOrder(1, 2, 3, 4, 6);
        assertThat(array.stream().filter(r -> r.path("outcome").asString().equals("SUCCEEDED")).map(r -> r.path("sid").asString()))
                .containsExactly(nested);
    }

    @Test
    void aBodyThatBreaksOffEndsWithABodyLine() {
        String sid = newSid();
        List<JsonNode> results = bulk(MediaType.APPLICATION_JSON, "[\"" + sid + "\", {\"sid\": ]");

        assertThat(results).hasSize(2);
        assertThat(results.get(0).path("sid").asString()).isEqualTo(sid);
        assertThat(results.get(0).path("outcome").asString()).isEqualTo("SUCCEEDED");
        JsonNode last = results.get(1);
        assertThat(last.path("outcome").asString()).isEqualTo("FAILED");
        assertThat(last.has("sid")).isFalse();
        assertThat(last.path("message").asString())
                .startsWith("request body: not valid JSON (malformed at line 1, column ")
                .endsWith("the SIDs after this point were not read");
    }

    @Test
    void aBodyThatIsNotAnArrayOrNotClosed() {
        assertThat(bulk(MediaType.APPLICATION_JSON, "{\"sid\": \"" + newSid() + "\"}")).singleElement()
                .satisfies(r -> assertThat(r.path("message").asString())
                        .startsWith("request body: must be a JSON array of call SIDs"));
        String sid = newSid();
        List<JsonNode> unclosed = bulk(MediaType.APPLICATION_JSON, "[\"" + sid + "\"");
        assertThat(unclosed).hasSize(2);
        assertThat(unclosed.get(0).path("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(unclosed.get(1).path("message").asString()).startsWith("request body: not valid JSON (");
    }

    @Test
    void emptyBodyGivesNoResults() {
        assertThat(bulk("")).isEmpty();
        assertThat(bulk(MediaType.APPLICATION_JSON, "[]")).isEmpty();
    }

    /** The response is an NDJSON stream the client consumes with backpressure, a few results at a time. */
    @Test
    void resultsAreConsumedWithBackpressure() {
        List<String> sids = IntStream.range(0, 200).mapToObj(i -> newSid()).toList();
        FluxExchangeResult<String> result = web.post().uri("/calls/hangup")
                .contentType(MediaType.APPLICATION_NDJSON)
                .bodyValue(String.join("\n", sids))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .returnResult(String.class);

        List<String> received = new ArrayList<>();
        Flux<String> sidsBack = result.getResponseBody()
                .map(line -> JSON.readTree(line).path("sid").asString())
                .doOnNext(received::add);
        StepVerifier.create(sidsBack, 0)
                .expectSubscription()
                .thenRequest(1)
                .expectNextCount(1)
                .thenRequest(9)
                .expectNextCount(9)
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(190)
                .expectComplete()
                .verify(Duration.ofSeconds(60));
        assertThat(received).hasSize(200).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sids);
    }

    /**
     * Full duplex: the result of the first SID arrives while the request body is still open, before the
     * second SID is even sent.
     */
    @Test
    void theFirstResultArrivesBeforeTheLastSidIsSent() {
        String first = newSid();
        String second = newSid();
        Sinks.Many<String> lines = Sinks.many().unicast().onBackpressureBuffer();
        lines.tryEmitNext(first + "\n");

        FluxExchangeResult<String> result = web.post().uri("/calls/hangup")
                .contentType(MediaType.APPLICATION_NDJSON)
                .body(lines.asFlux(), String.class)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .returnResult(String.class);

        Flux<JsonNode> results = result.getResponseBody().map(JSON::readTree);
        StepVerifier.create(results)
                .assertNext(r -> {
                    assertThat(r.path("sid").asString()).isEqualTo(first);
                    assertThat(r.path("outcome").asString()).isEqualTo("SUCCEEDED");
                    assertThat(SIM.ledger().call(second).requestsReceived()).isZero();
                })
                .then(() -> {
                    lines.tryEmitNext(second + "\n");
                    lines.tryEmitComplete();
                })
                .assertNext(r -> assertThat(r.path("sid").asString()).isEqualTo(second))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void bulkMetersAreVisibleOnTheActuator() {
        List<String> sids = IntStream.range(0, 20).mapToObj(i -> newSid()).toList();
        assertThat(bulk(String.join("\n", sids) + "\nnot-a-sid\n")).hasSize(21);

        web.get().uri("/actuator/metrics")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.names").value(names -> assertThat(names.toString())
                        .contains("callflux.bulk.results", "callflux.bulk.attempts", "callflux.bulk.command.duration",
                                "callflux.bulk.in_flight", "callflux.bulk.concurrency_limit"));
        web.get().uri("/actuator/metrics/callflux.bulk.results?tag=outcome:succeeded")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("callflux.bulk.results")
                .jsonPath("$.measurements[0].statistic").isEqualTo("COUNT")
                .jsonPath("$.measurements[0].value").value(v -> assertThat(((Number) v).doubleValue()).isGreaterThanOrEqualTo(20));
        web.get().uri("/actuator/metrics/callflux.bulk.results?tag=outcome:failed")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.measurements[0].value").value(v -> assertThat(((Number) v).doubleValue()).isGreaterThanOrEqualTo(1));
        web.get().uri("/actuator/metrics/callflux.bulk.attempts")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.measurements[0].value").value(v -> assertThat(((Number) v).doubleValue()).isGreaterThanOrEqualTo(20));
    }
}
