package dev.callflux.testkit;

import static dev.callflux.testkit.SimHttp.newCallSid;
import static dev.callflux.testkit.SimHttp.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.encoding.CallJson;
import dev.callflux.core.model.CallStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The faults of a response that starts, or comes from the wrong server, or never comes. */
class ResponseFaultsTest {

    static final String HANGUP = "Status=completed";

    @Test
    void resetAfterHeadersSendsA200HeadThenResetsWithoutBodyAfterApplying() throws IOException {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.RESET_AFTER_HEADERS, 1.0).start();
             RawHttp c = RawHttp.connect(sim, 10_000)) {
            String sid = newCallSid();
            String head = c.post(sim, sid, HANGUP).readHead();
            assertThat(RawHttp.status(head)).isEqualTo(200);
            assertThat(Integer.parseInt(RawHttp.header(head, "Content-Length"))).isGreaterThan(500);
            assertThat(RawHttp.header(head, "Twilio-Request-Id")).matches("RQ[0-9a-f]{32}");
            assertThatThrownBy(c::readToEnd).as("a reset, not a clean end").isInstanceOf(SocketException.class);

            Ledger l = sim.ledger();
            assertThat(l.faultCounts()).containsExactly(Map.entry(Fault.RESET_AFTER_HEADERS, 1L));
            assertThat(l.statusCounts()).as("not a complete answer").isEmpty();
            assertThat(l.resets()).isZero();
            assertThat(l.call(sid).hangupsApplied()).isEqualTo(1);
            assertThat(l.call(sid).status()).isEqualTo(CallStatus.COMPLETED);
        }
    }

    @Test
    void resetAfterHeadersBeforeApplyLeavesTheCallAlone() throws IOException {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.RESET_AFTER_HEADERS, 1.0).faultsAfterApply(false).start();
             RawHttp c = RawHttp.connect(sim, 10_000)) {
            String sid = newCallSid();
            assertThat(RawHttp.status(c.post(sim, sid, HANGUP).readHead())).isEqualTo(200);
            assertThatThrownBy(c::readToEnd).isInstanceOf(SocketException.class);
            assertThat(sim.ledger().call(sid).updatesApplied()).isZero();
            assertThat(sim.ledger().call(sid).requestsReceived()).isEqualTo(1);
        }
    }

    @Test
    void truncatedBodyAnnouncesTheWholeCallSendsAboutHalfAndClosesCleanly() throws IOException {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.TRUNCATED_BODY, 1.0).start();
             RawHttp c = RawHttp.connect(sim, 10_000)) {
            String sid = newCallSid();
            String head = c.post(sim, sid, HANGUP).readHead();
            assertThat(RawHttp.status(head)).isEqualTo(200);
            int announced = Integer.parseInt(RawHttp.header(head, "Content-Length"));
            byte[] got = c.readToEnd(); // a FIN: no exception
            assertThat(got.length).isEqualTo(announced / 2).isPositive();
            String partial = new String(got, StandardCharsets.UTF_8);
            assertThat(partial).startsWith("{").contains(sid);
            assertThatThrownBy(() -> CallJson.parse(got)).isInstanceOf(IllegalArgumentException.class);

            Ledger l = sim.ledger();
            assertThat(l.faultCount(Fault.TRUNCATED_BODY)).isEqualTo(1);
            assertThat(l.statusCounts()).isEmpty();
            assertThat(l.call(sid).hangupsApplied()).isEqualTo(1);
        }
    }

    @Test
    void truncatedBodyBeforeApplyLeavesTheCallAlone() throws IOException {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.TRUNCATED_BODY, 1.0).faultsAfterApply(false).start();
             RawHttp c = RawHttp.connect(sim, 10_000)) {
            String sid = newCallSid();
            String head = c.post(sim, sid, HANGUP).readHead();
            int announced = Integer.parseInt(RawHttp.header(head, "Content-Length"));
            assertThat(c.readToEnd().length).isLessThan(announced);
            assertThat(sim.ledger().call(sid).exists()).isFalse();
            assertThat(sim.ledger().call(sid).updatesApplied()).isZero();
        }
    }

    @Test
    void nonJsonBodyIsAComplete200WithTwiliosHeadersAndAnHtmlBody() {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.NON_JSON_BODY, 1.0).start()) {
            String sid = newCallSid();
            SimHttp.Response r = update(sim, sid, HANGUP);
            assertThat(r.status).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.header("Twilio-Request-Id")).matches("RQ[0-9a-f]{32}");
            assertThat(r.body).startsWith("<!DOCTYPE html>");
            assertThatThrownBy(() -> CallJson.parse(r.body.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(sim.ledger().statusCounts()).containsExactly(Map.entry(200, 1L));
            assertThat(sim.ledger().faultCount(Fault.NON_JSON_BODY)).isEqualTo(1);
            assertThat(sim.ledger().call(sid).hangupsApplied()).isEqualTo(1);
        }
    }

    @Test
    void proxyErrorIsAnHtmlPageWithoutTwiliosHeadersOrJson() {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.PROXY_ERROR, 1.0).faultsAfterApply(false).start()) {
            Set<Integer> statuses = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                String sid = newCallSid();
                SimHttp.Response r = update(sim, sid, HANGUP);
                statuses.add(r.status);
                assertThat(r.status).isIn(502, 503, 504);
                assertThat(r.header("Content-Type")).isEqualTo("text/html");
                assertThat(r.header("Twilio-Request-Id")).isNull();
                assertThat(r.header("Twilio-Concurrent-Requests")).isNull();
                assertThat(r.body).startsWith("<html>").contains("<h1>" + r.status + " ").contains("nginx");
                assertThatThrownBy(r::json).isInstanceOf(RuntimeException.class);
                assertThat(sim.ledger().call(sid).updatesApplied()).as("before apply").isZero();
            }
            assertThat(statuses).as("statuses picked from the default list").hasSizeGreaterThan(1);
            assertThat(sim.ledger().faultCount(Fault.PROXY_ERROR)).isEqualTo(20);
            assertThat(sim.ledger().statusCount(502) + sim.ledger().statusCount(503) + sim.ledger().statusCount(504))
                    .isEqualTo(20);
        }
    }

    @Test
    void proxyErrorStatusesCanBeChosenAndAreCheckedAndTheFaultMayStrikeAfterApply() {
        assertThatThrownBy(() -> TwilioSimulator.builder().proxyErrorStatuses(404)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioSimulator.builder().proxyErrorStatuses()).isInstanceOf(IllegalArgumentException.class);
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.PROXY_ERROR, 1.0).proxyErrorStatuses(502).start()) {
            String sid = newCallSid();
            assertThat(update(sim, sid, HANGUP).status).isEqualTo(502);
            assertThat(sim.ledger().call(sid).hangupsApplied()).isEqualTo(1);
        }
    }

    @Test
    void hangReadsTheRequestAndNeverAnswers() throws IOException {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.HANG, 1.0).start();
             RawHttp c = RawHttp.connect(sim, 300)) {
            String sid = newCallSid();
            c.post(sim, sid, HANGUP);
            assertThatThrownBy(c::readHead).isInstanceOf(SocketTimeoutException.class);
            assertThat(sim.ledger().faultCount(Fault.HANG)).isEqualTo(1);
            assertThat(sim.ledger().statusCounts()).isEmpty();
            assertThat(sim.ledger().call(sid).hangupsApplied()).as("after apply, by default").isEqualTo(1);
            assertThat(sim.ledger().inFlight(sim.accountSid())).as("still in flight while it hangs").isEqualTo(1);
        }
    }

    @Test
    void hangBeforeApplyLeavesTheCallAloneAndTheClientGivingUpEndsIt() {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.HANG, 1.0).faultsAfterApply(false).start()) {
            String sid = newCallSid();
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(sim.baseUrl() + SimHttp.path(sim.accountSid(), sid)))
                    .timeout(Duration.ofMillis(300))
                    .header("Authorization", SimHttp.basic(sim.accountSid(), sim.authToken()))
                    .header("Content-Type", SimHttp.FORM)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(HANGUP))
                    .build();
            assertThatThrownBy(() -> SimHttp.send(request)).hasCauseInstanceOf(java.net.http.HttpTimeoutException.class);
            assertThat(sim.ledger().call(sid).exists()).isFalse();
            assertThat(sim.ledger().faultCount(Fault.HANG)).isEqualTo(1);
        }
    }

    @Test
    void theLedgerCountsEachCallsRateLimitedAnswersAndRequestsPastTheGate() {
        try (TwilioSimulator sim = TwilioSimulator.builder().rateLimitedFraction(0.5).seed(1).start()) {
            Random r = new Random(4);
            int rateLimited = 0;
            String sid = FaultInjectionTest.fixedSid(r);
            for (int i = 0; i < 20; i++) {
                if (update(sim, sid, "TimeLimit=60").status == 429) {
                    rateLimited++;
                }
            }
            CallRecord c = sim.ledger().call(sid);
            assertThat(rateLimited).isBetween(3, 17);
            assertThat(c.rateLimitedAnswers()).isEqualTo(rateLimited);
            assertThat(c.requestsPastRateLimit()).isEqualTo(20 - rateLimited).isEqualTo(c.updatesApplied());
            assertThat(sim.ledger().call(newCallSid()).rateLimitedAnswers()).isZero();
        }
    }

    @Test
    void slowResponsesDelayAFractionOfTheAnswersAndApplyAfterTheDelay() {
        try (TwilioSimulator sim = TwilioSimulator.builder().slowResponses(0.3, Duration.ofMillis(300)).seed(8).start()) {
            int slow = 0;
            Random r = new Random(5);
            for (int i = 0; i < 30; i++) {
                long start = System.nanoTime();
                String sid = FaultInjectionTest.fixedSid(r);
                assertThat(update(sim, sid, HANGUP).status).isEqualTo(200);
                assertThat(sim.ledger().call(sid).hangupsApplied()).isEqualTo(1);
                if (Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofMillis(300)) >= 0) {
                    slow++;
                }
            }
            assertThat(slow).isBetween(3, 18);
            assertThat(sim.ledger().faultCount(Fault.SLOW)).isEqualTo(slow);
        }
        assertThatThrownBy(() -> TwilioSimulator.builder().slowResponses(2, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioSimulator.builder().slowResponses(0.1, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSlowResponseTheClientGaveUpOnIsNeverApplied() {
        try (TwilioSimulator sim = TwilioSimulator.builder().slowResponses(1.0, Duration.ofMillis(500)).start()) {
            String sid = newCallSid();
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(sim.baseUrl() + SimHttp.path(sim.accountSid(), sid)))
                    .timeout(Duration.ofMillis(100))
                    .header("Authorization", SimHttp.basic(sim.accountSid(), sim.authToken()))
                    .header("Content-Type", SimHttp.FORM)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(HANGUP))
                    .build();
            assertThatThrownBy(() -> SimHttp.send(request)).hasCauseInstanceOf(java.net.http.HttpTimeoutException.class);
            // A later request on a fresh call proves the simulator moved on past the first one's delay.
            String later = newCallSid();
            assertThat(update(sim, later, HANGUP).status).isEqualTo(200);
            assertThat(sim.ledger().call(sid).exists()).isFalse();
            assertThat(sim.ledger().faultCount(Fault.SLOW)).isEqualTo(2);
        }
    }

    @Test
    void theLedgerCountsEachCallsInjectedFaults() {
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.SERVER_ERROR, 0.3).fault(Fault.NON_JSON_BODY, 0.3).seed(2).start()) {
            Random r = new Random(6);
            String sid = FaultInjectionTest.fixedSid(r);
            int faulted = 0;
            for (int i = 0; i < 20; i++) {
                SimHttp.Response res = update(sim, sid, "TimeLimit=60");
                if (res.status != 200 || !res.body.startsWith("{")) {
                    faulted++;
                }
            }
            assertThat(faulted).isBetween(4, 19);
            assertThat(sim.ledger().call(sid).faultsInjected()).isEqualTo(faulted);
            assertThat(sim.ledger().faultCount(Fault.SERVER_ERROR) + sim.ledger().faultCount(Fault.NON_JSON_BODY))
                    .isEqualTo(faulted);
            assertThat(sim.ledger().call(sid).updatesApplied()).as("after apply, by default").isEqualTo(20);
        }
    }

    @Test
    void faultFractionsMustAddUpToAtMostOne() {
        assertThatThrownBy(() -> TwilioSimulator.builder().fault(Fault.SERVER_ERROR, 0.3).fault(Fault.RESET, 0.2)
                .fault(Fault.RESET_AFTER_HEADERS, 0.1).fault(Fault.TRUNCATED_BODY, 0.1).fault(Fault.NON_JSON_BODY, 0.1)
                .fault(Fault.PROXY_ERROR, 0.1).fault(Fault.HANG, 0.2).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 1");
        assertThatThrownBy(() -> TwilioSimulator.builder().fault(Fault.HANG, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioSimulator.builder().fault(Fault.TRUNCATED_BODY, -0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioSimulator.builder().idleTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void faultsAreConfiguredByKindAndFrozenAtStart() {
        TwilioSimulator.Builder b = TwilioSimulator.builder();
        assertThatThrownBy(() -> b.fault(Fault.HANG, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HANG");
        assertThatThrownBy(() -> b.fault(Fault.PROXY_ERROR, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PROXY_ERROR");
        assertThatThrownBy(() -> b.fault(Fault.SLOW, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SLOW").hasMessageContaining("slowResponses");
        assertThatThrownBy(() -> b.fault(Fault.DOWN, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DOWN").hasMessageContaining("pause()");
        assertThatThrownBy(() -> b.fault(null, 0.1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TwilioSimulator.builder().fault(Fault.SERVER_ERROR, 0.6).fault(Fault.HANG, 0.5).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1")
                .hasMessageContaining("SERVER_ERROR=0.6").hasMessageContaining("HANG=0.5");

        // Setting a kind again replaces its fraction, 0 removes it; what start() froze stays.
        b.fault(Fault.SERVER_ERROR, 0.9).fault(Fault.NON_JSON_BODY, 0.9).fault(Fault.SERVER_ERROR, 0);
        assertThat(b.toString()).contains("faults={NON_JSON_BODY=0.9}");
        b.fault(Fault.NON_JSON_BODY, 1.0);
        try (TwilioSimulator sim = b.start()) {
            b.fault(Fault.NON_JSON_BODY, 0).fault(Fault.RESET, 1.0);
            for (int i = 0; i < 5; i++) {
                assertThat(outcome(sim, newCallSid())).isEqualTo("200-not-json");
            }
            assertThat(sim.ledger().faultCount(Fault.NON_JSON_BODY)).isEqualTo(5);
            assertThat(sim.ledger().faultCount(Fault.RESET)).isZero();
        }
    }

    /** What one request met, as a client can see it. */
    static String outcome(TwilioSimulator sim, String sid) {
        try (RawHttp c = RawHttp.connect(sim, 250)) {
            String head;
            try {
                head = c.post(sim, sid, HANGUP).readHead();
            } catch (SocketTimeoutException e) {
                return "hang";
            } catch (IOException e) {
                return "reset";
            }
            int status = RawHttp.status(head);
            String length = RawHttp.header(head, "Content-Length");
            byte[] body;
            try {
                body = c.readBody(Integer.parseInt(length));
            } catch (IOException e) {
                return status + "-reset-after-headers";
            }
            if (body.length < Integer.parseInt(length)) {
                return status + (body.length == 0 ? "-reset-after-headers" : "-truncated");
            }
            String text = new String(body, StandardCharsets.UTF_8);
            if (text.startsWith("<html>")) {
                return status + "-html";
            }
            return status + (text.startsWith("{") ? "" : "-not-json");
        }
    }

    static Map<String, List<String>> run(long seed, List<String> sids, int perSid, Consumer<TwilioSimulator.Builder> knobs) {
        TwilioSimulator.Builder b = TwilioSimulator.builder().seed(seed);
        knobs.accept(b);
        try (TwilioSimulator sim = b.start()) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (int i = 0; i < perSid; i++) {
                for (String sid : sids) {
                    out.computeIfAbsent(sid, s -> new ArrayList<>()).add(outcome(sim, sid));
                }
            }
            return out;
        }
    }

    @Test
    void theNewFaultsHitTheirFractionsAndAreRepeatableBySeed() {
        Random r = new Random(3);
        List<String> sids = IntStream.range(0, 30).mapToObj(i -> FaultInjectionTest.fixedSid(r)).toList();
        Consumer<TwilioSimulator.Builder> knobs = b -> b.fault(Fault.SERVER_ERROR, 0.1).fault(Fault.RESET, 0.1)
                .fault(Fault.RESET_AFTER_HEADERS, 0.1).fault(Fault.TRUNCATED_BODY, 0.1).fault(Fault.NON_JSON_BODY, 0.1)
                .fault(Fault.PROXY_ERROR, 0.1).fault(Fault.HANG, 0.04);
        Map<String, List<String>> a = run(42, sids, 5, knobs);
        Map<String, List<String>> again = run(42, sids, 5, knobs);
        Map<String, List<String>> other = run(43, sids, 5, knobs);
        assertThat(again).isEqualTo(a);
        assertThat(other).isNotEqualTo(a);

        Map<String, Integer> counts = new LinkedHashMap<>();
        a.values().forEach(l -> l.forEach(o -> counts.merge(o.replaceAll("^5\\d\\d", "5xx"), 1, Integer::sum)));
        // 150 requests: each fault about 10 % (hang 4 %), the rest (36 %) answered by the call: the first
        // request of a SID hangs it up (even when a fault then replaces the answer, faults strike after the
        // update), so only a first request can be a 200 with a Call; a later one is 400, code 21220, as on Twilio.
        assertThat(counts).as(counts.toString()).containsKeys("200", "400", "5xx", "5xx-html", "reset",
                "200-reset-after-headers", "200-truncated", "200-not-json", "hang");
        assertThat(counts.get("200") + counts.get("400")).as(counts.toString()).isBetween(35, 75);
        a.values().forEach(l -> assertThat(l.subList(1, l.size())).as("later hang-ups of %s", l).doesNotContain("200"));
        assertThat(counts.get("hang")).isBetween(1, 16);
        assertThat(counts.get("200-truncated")).isBetween(5, 30);
    }

    @Test
    void withEveryFaultKnobAtZeroNoFaultIsEverInjected() {
        try (TwilioSimulator sim = TwilioSimulator.builder().seed(5).start()) {
            for (int i = 0; i < 50; i++) {
                assertThat(update(sim, newCallSid(), HANGUP).status).isEqualTo(200);
            }
            assertThat(sim.ledger().faultCounts()).isEmpty();
        } catch (UncheckedIOException e) {
            throw new AssertionError("no request may fail", e);
        }
    }
}
