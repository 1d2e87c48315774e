package dev.callflux.testkit;

import static dev.callflux.testkit.SimHttp.newCallSid;
import static dev.callflux.testkit.SimHttp.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.model.CallStatus;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger's queries and clear(); defaults, builder checks and close(). */
class LedgerAndLifecycleTest {

    @Test
    void ledgerCountsRequestsStatusesAndCalls() {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            String a = newCallSid();
            String b = newCallSid();
            update(sim, a, "Status=completed");
            update(sim, a, "Url=https%3A%2F%2Fexample.com%2F");
            update(sim, b, "Nope=1");
            SimHttp.send(SimHttp.request(sim, "/other", null).GET().build());

            Ledger l = sim.ledger();
            assertThat(l.totalRequests()).isEqualTo(4);
            assertThat(l.requests(a)).isEqualTo(2);
            assertThat(l.requests(b)).isEqualTo(1);
            assertThat(l.requests(newCallSid())).isZero();
            assertThat(l.callSids()).containsExactlyInAnyOrder(a, b);
            assertThat(l.statusCounts()).containsExactly(Map.entry(200, 1L), Map.entry(400, 2L), Map.entry(404, 1L));
            assertThat(l.resets()).isZero();
            assertThat(l.inFlight(sim.accountSid())).isBetween(0, 1);
            assertThat(l.toString()).contains("requests=4");

            CallRecord never = l.call(newCallSid());
            assertThat(never.exists()).isFalse();
            assertThat(never.status()).isEqualTo(CallStatus.UNKNOWN);
            assertThat(never.requestsReceived()).isZero();
            assertThat(never.appliedUpdates()).isEmpty();
        }
    }

    @Test
    void snapshotsAreImmutable() {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            String sid = newCallSid();
            update(sim, sid, "TimeLimit=5");
            CallRecord c = sim.ledger().call(sid);
            update(sim, sid, "TimeLimit=6");
            assertThat(c.appliedUpdates()).hasSize(1);
            assertThat(sim.ledger().call(sid).appliedUpdates()).hasSize(2);
            assertThatThrownBy(() -> c.appliedUpdates().add(Map.of())).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> c.appliedUpdates().get(0).put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> sim.ledger().statusCounts().put(1, 1L)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void clearForgetsEverythingAndRestoresInitialCalls() {
        String ringing = newCallSid();
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .call(ringing, CallStatus.RINGING)
                .fault(Fault.SERVER_ERROR, 0.5)
                .seed(3)
                .start()) {
            List<Integer> first = List.of(update(sim, ringing, "Status=canceled").status,
                    update(sim, ringing, "Status=canceled").status, update(sim, ringing, "Status=canceled").status);
            String other = newCallSid();
            update(sim, other, "Status=completed");
            assertThat(sim.ledger().call(ringing).status()).isEqualTo(CallStatus.CANCELED);

            sim.ledger().clear();
            Ledger l = sim.ledger();
            assertThat(l.totalRequests()).isZero();
            assertThat(l.statusCounts()).isEmpty();
            assertThat(l.peakConcurrency()).as("only a request still finishing its write").isBetween(0, 1);
            assertThat(l.callSids()).containsExactly(ringing);
            assertThat(l.call(ringing).status()).isEqualTo(CallStatus.RINGING);
            assertThat(l.call(ringing).requestsReceived()).isZero();
            assertThat(l.call(other).exists()).isFalse();

            List<Integer> again = List.of(update(sim, ringing, "Status=canceled").status,
                    update(sim, ringing, "Status=canceled").status, update(sim, ringing, "Status=canceled").status);
            assertThat(again).as("fault decisions restart with the request indexes").isEqualTo(first);
        }
    }

    @Test
    void defaultAccountIsGenerated() {
        try (TwilioSimulator a = TwilioSimulator.builder().start();
             TwilioSimulator b = TwilioSimulator.builder().start()) {
            assertThat(a.accountSid()).matches("AC[0-9a-f]{32}");
            assertThat(a.authToken()).matches("[0-9a-f]{32}");
            assertThat(a.accountSid()).isNotEqualTo(b.accountSid());
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.seed()).isZero();
            assertThat(update(a, newCallSid(), "Status=completed").status).isEqualTo(200);
        }
    }

    @Test
    void explicitPortIsUsed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (TwilioSimulator sim = TwilioSimulator.builder().port(port).start()) {
            assertThat(sim.port()).isEqualTo(port);
            assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + port);
        }
    }

    @Test
    void closeIsIdempotentStopsListeningAndKeepsTheLedger() {
        TwilioSimulator sim = TwilioSimulator.builder().start();
        String sid = newCallSid();
        update(sim, sid, "Status=completed");
        sim.close();
        sim.close();
        assertThat(sim.isClosed()).isTrue();
        assertThatThrownBy(() -> update(sim, newCallSid(), "Status=completed")).isInstanceOf(UncheckedIOException.class);
        assertThat(sim.ledger().call(sid).hangupsApplied()).isEqualTo(1);
        assertThat(sim.toString()).contains("closed");
    }

    @Test
    void closeEndsRequestsStillInFlightAfterAShortGrace() {
        TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofMinutes(1)).start();
        java.util.concurrent.CompletableFuture<SimHttp.Response> pending = SimHttp.updateAsync(sim, newCallSid(), "Status=completed");
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.ledger().inFlight(sim.accountSid()) == 1);
        long start = System.nanoTime();
        sim.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThatThrownBy(pending::join).hasCauseInstanceOf(java.io.IOException.class);
        assertThat(sim.ledger().inFlight(sim.accountSid())).isZero();
    }

    @Test
    void builderRefusesNonsense() {
        TwilioSimulator.Builder b = TwilioSimulator.builder();
        assertThatThrownBy(() -> b.account("AC123", "t")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accountSid");
        assertThatThrownBy(() -> b.account("AC" + "a".repeat(32), "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.apiKey("AC" + "a".repeat(32), "s", "AC" + "a".repeat(32))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKeySid");
        assertThatThrownBy(() -> b.subaccount("AC" + "a".repeat(32), "AC" + "a".repeat(32))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.latency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.concurrencyLimit(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.rateLimitedFraction(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.fault(Fault.SERVER_ERROR, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.serverErrorStatuses(404)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.serverErrorStatuses()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.call("CA1", CallStatus.RINGING)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.call("CA" + "1".repeat(32), CallStatus.UNKNOWN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.initialStatus(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.port(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioSimulator.builder().fault(Fault.SERVER_ERROR, 0.6).fault(Fault.RESET, 0.6).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1");
    }
}
