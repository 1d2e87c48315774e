package dev.callflux.testkit;

import static dev.callflux.testkit.SimHttp.newCallSid;
import static dev.callflux.testkit.SimHttp.update;
import static dev.callflux.testkit.TwilioErrorAssert.assertTwilioError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.model.CallStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Steps 5 to 7: concurrency limit, rate limiting, latency, server errors and resets. */
class FaultInjectionTest {

    static final String HANGUP = "Status=completed";

    @Test
    void concurrencyLimitAnswers429AtOnceAndRecordsThePeak() {
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .concurrencyLimit(2)
                .latency(Duration.ofMillis(500))
                .start()) {
            List<CompletableFuture<SimHttp.Response>> futures = IntStream.range(0, 10)
                    .mapToObj(i -> SimHttp.updateAsync(sim, newCallSid(), HANGUP)).toList();
            List<SimHttp.Response> responses = futures.stream().map(CompletableFuture::join).toList();

            List<SimHttp.Response> limited = responses.stream().filter(r -> r.status == 429).toList();
            List<SimHttp.Response> ok = responses.stream().filter(r -> r.status == 200).toList();
            assertThat(limited).isNotEmpty();
            assertThat(ok).isNotEmpty();
            assertThat(limited.size() + ok.size()).isEqualTo(10);
            for (SimHttp.Response r : limited) {
                assertTwilioError(r, 429, 20429);
                assertThat(r.message()).isEqualTo("Too Many Requests");
                assertThat(r.header("Retry-After")).isNull();
                assertThat(Integer.parseInt(r.header("Twilio-Concurrent-Requests"))).isGreaterThan(2);
            }
            for (SimHttp.Response r : ok) {
                assertThat(Integer.parseInt(r.header("Twilio-Concurrent-Requests"))).isBetween(1, 10);
            }
            Ledger ledger = sim.ledger();
            assertThat(ledger.peakConcurrency(sim.accountSid())).isGreaterThanOrEqualTo(3).isLessThanOrEqualTo(10);
            assertThat(ledger.peakConcurrency()).isEqualTo(ledger.peakConcurrency(sim.accountSid()));
            assertThat(ledger.statusCount(429)).isEqualTo(limited.size());
            assertThat(ledger.statusCount(200)).isEqualTo(ok.size());
            assertThat(ledger.totalHangupsApplied()).isEqualTo(ok.size());
            assertThat(ledger.peakConcurrency(SimHttp.newAccountSid())).isZero();
        }
    }

    @Test
    void rateLimitedFractionOneAnswersEvery429WithRetryAfterRoundedUp() {
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .rateLimitedFraction(1.0)
                .retryAfter(Duration.ofMillis(1500))
                .start()) {
            for (int i = 0; i < 5; i++) {
                String sid = newCallSid();
                SimHttp.Response r = update(sim, sid, HANGUP);
                assertTwilioError(r, 429, 20429);
                assertThat(r.header("Retry-After")).isEqualTo("2");
                assertThat(sim.ledger().call(sid).updatesApplied()).isZero();
            }
            assertThat(sim.ledger().statusCounts()).containsExactly(Map.entry(429, 5L));
            assertThat(sim.ledger().peakConcurrency()).isEqualTo(1);
        }
    }

    @Test
    void rateLimitingWithoutRetryAfterSendsNone() {
        try (TwilioSimulator sim = TwilioSimulator.builder().rateLimitedFraction(1.0).start()) {
            SimHttp.Response r = update(sim, newCallSid(), HANGUP);
            assertTwilioError(r, 429, 20429);
            assertThat(r.header("Retry-After")).isNull();
        }
    }

    @Test
    void validationComesBeforeRateLimiting() {
        try (TwilioSimulator sim = TwilioSimulator.builder().rateLimitedFraction(1.0).start()) {
            assertTwilioError(update(sim, newCallSid(), "Status=nope"), 400, 20001);
        }
    }

    @Test
    void serverErrorFractionOneAnswers5xxAfterApplyingByDefault() {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.SERVER_ERROR, 1.0).start()) {
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String sid = newCallSid();
                SimHttp.Response r = update(sim, sid, HANGUP);
                assertThat(r.status).isIn(500, 502, 503, 504);
                assertTwilioError(r, r.status, 20500);
                seen.add(r.status);
                CallRecord c = sim.ledger().call(sid);
                assertThat(c.hangupsApplied()).as("applied before the fault").isEqualTo(1);
                assertThat(c.status()).isEqualTo(CallStatus.COMPLETED);
            }
            assertThat(new java.util.HashSet<>(seen)).as("statuses picked from the default list").hasSizeGreaterThan(1);
        }
    }

    @Test
    void serverErrorBeforeApplyLeavesTheCallAlone() {
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .fault(Fault.SERVER_ERROR, 1.0)
                .serverErrorStatuses(503)
                .faultsAfterApply(false)
                .start()) {
            String sid = newCallSid();
            SimHttp.Response r = update(sim, sid, HANGUP);
            assertTwilioError(r, 503, 20500);
            assertThat(r.message()).isEqualTo("Service Unavailable");
            assertThat(r.header("Twilio-Concurrent-Requests")).isEqualTo("1");
            CallRecord c = sim.ledger().call(sid);
            assertThat(c.hangupsApplied()).isZero();
            assertThat(c.updatesApplied()).isZero();
            assertThat(c.requestsReceived()).isEqualTo(1);
        }
    }

    @Test
    void resetClosesTheConnectionWithoutAResponseAfterApplying() {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.RESET, 1.0).start()) {
            String sid = newCallSid();
            assertThatThrownBy(() -> update(sim, sid, HANGUP))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(IOException.class);
            Ledger ledger = sim.ledger();
            assertThat(ledger.resets()).isEqualTo(1);
            assertThat(ledger.statusCounts()).isEmpty();
            assertThat(ledger.requests(sid)).isEqualTo(1);
            assertThat(ledger.call(sid).hangupsApplied()).isEqualTo(1);
        }
    }

    @Test
    void resetBeforeApplyLeavesTheCallAlone() {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.RESET, 1.0).faultsAfterApply(false).start()) {
            String sid = newCallSid();
            CompletableFuture<HttpResponse<String>> f = SimHttp.CLIENT.sendAsync(
                    SimHttp.post(sim, sim.accountSid(), sid, SimHttp.basic(sim.accountSid(), sim.authToken()), SimHttp.FORM, HANGUP),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
            assertThat(sim.ledger().resets()).isEqualTo(1);
            assertThat(sim.ledger().call(sid).exists()).isFalse();
            assertThat(sim.ledger().call(sid).updatesApplied()).isZero();
        }
    }

    @Test
    void clientGivingUpDuringTheLatencyFreesItsConcurrencySlot() {
        try (TwilioSimulator sim = TwilioSimulator.builder().concurrencyLimit(1).latency(Duration.ofSeconds(30)).start()) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(sim.baseUrl() + SimHttp.path(sim.accountSid(), newCallSid())))
                    .timeout(Duration.ofMillis(300))
                    .header("Authorization", SimHttp.basic(sim.accountSid(), sim.authToken()))
                    .header("Content-Type", SimHttp.FORM)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(HANGUP))
                    .build();
            assertThatThrownBy(() -> SimHttp.send(request)).hasCauseInstanceOf(java.net.http.HttpTimeoutException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.ledger().inFlight(sim.accountSid()) == 0);
            assertThat(sim.ledger().peakConcurrency(sim.accountSid())).isEqualTo(1);
            assertThat(sim.ledger().statusCounts()).isEmpty();
        }
    }

    @Test
    void latencyDelaysTheAnswer() {
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .latency(Duration.ofMillis(200))
                .latencyJitter(Duration.ofMillis(50))
                .start()) {
            long start = System.nanoTime();
            assertThat(update(sim, newCallSid(), HANGUP).status).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            // Refusals before step 6 are immediate.
            long s2 = System.nanoTime();
            assertThat(update(sim, newCallSid(), "Bogus=1").status).isEqualTo(400);
            assertThat(Duration.ofNanos(System.nanoTime() - s2)).isLessThan(Duration.ofMillis(200));
        }
    }

    @Test
    void mixedFaultsHitRoughlyTheirFractions() {
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .rateLimitedFraction(0.2)
                .fault(Fault.SERVER_ERROR, 0.2)
                .fault(Fault.RESET, 0.1)
                .seed(7)
                .start()) {
            Map<String, Integer> outcomes = new LinkedHashMap<>();
            java.util.Random sids = new java.util.Random(1);
            for (int i = 0; i < 400; i++) {
                outcomes.merge(outcome(sim, fixedSid(sids)), 1, Integer::sum);
            }
            assertThat(outcomes.get("429")).isBetween(50, 110);             // 20 %
            int errors = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("5"))
                    .mapToInt(Map.Entry::getValue).sum();
            assertThat(errors).isBetween(35, 100);                           // 80 % x 20 %
            assertThat(outcomes.get("reset")).isBetween(15, 55);             // 80 % x 10 %
            assertThat(sim.ledger().resets()).isEqualTo((long) outcomes.get("reset"));
        }
    }

    /** Repeatable SIDs, so the statistical tests are deterministic. */
    static String fixedSid(java.util.Random r) {
        return String.format("CA%016x%016x", r.nextLong(), r.nextLong());
    }

    static String outcome(TwilioSimulator sim, String sid) {
        try {
            return Integer.toString(update(sim, sid, HANGUP).status);
        } catch (UncheckedIOException e) {
            return "reset";
        }
    }

    /** Per SID, the outcomes of {@code perSid} requests, sent SID by SID in {@code order}. */
    static Map<String, List<String>> run(long seed, List<String> order, int perSid, boolean interleave) {
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .rateLimitedFraction(0.25)
                .fault(Fault.SERVER_ERROR, 0.25)
                .fault(Fault.RESET, 0.15)
                .latencyJitter(Duration.ofMillis(2))
                .seed(seed)
                .start()) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            if (interleave) {
                for (int i = 0; i < perSid; i++) {
                    for (String sid : order) {
                        out.computeIfAbsent(sid, s -> new ArrayList<>()).add(outcome(sim, sid));
                    }
                }
            } else {
                for (String sid : order) {
                    for (int i = 0; i < perSid; i++) {
                        out.computeIfAbsent(sid, s -> new ArrayList<>()).add(outcome(sim, sid));
                    }
                }
            }
            return out;
        }
    }

    @Test
    void sameSeedSameFaultsWhateverTheInterleaving() {
        java.util.Random r = new java.util.Random(2);
        List<String> sids = IntStream.range(0, 8).mapToObj(i -> fixedSid(r)).toList();
        List<String> reversed = new ArrayList<>(sids);
        Collections.reverse(reversed);

        Map<String, List<String>> a = run(42, sids, 6, false);
        Map<String, List<String>> b = run(42, reversed, 6, true);
        Map<String, List<String>> c = run(43, sids, 6, false);

        for (String sid : sids) {
            assertThat(b.get(sid)).as("outcomes of %s", sid).isEqualTo(a.get(sid));
        }
        assertThat(a.values().stream().flatMap(List::stream).distinct().count())
                .as("the knobs produce a mix of outcomes").isGreaterThanOrEqualTo(3);
        assertThat(c).as("another seed decides otherwise").isNotEqualTo(a);
    }

    @Test
    void faultDecisionsArePureFunctionsOfTheirInputs() {
        String sid = "CA" + "0123456789abcdef".repeat(2);
        assertThat(Decisions.uniform(1, sid, 3, Decisions.Knob.FAULT))
                .isEqualTo(Decisions.uniform(1, sid, 3, Decisions.Knob.FAULT))
                .isNotEqualTo(Decisions.uniform(1, sid, 4, Decisions.Knob.FAULT))
                .isNotEqualTo(Decisions.uniform(2, sid, 3, Decisions.Knob.FAULT))
                .isNotEqualTo(Decisions.uniform(1, sid, 3, Decisions.Knob.RATE_LIMIT))
                .isBetween(0.0, 1.0);
    }
}
