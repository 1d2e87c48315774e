package dev.callflux.testkit;

import static dev.callflux.testkit.SimHttp.newCallSid;
import static dev.callflux.testkit.SimHttp.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.model.CallStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** pause() / resume(): a server that goes down and comes back; idleTimeout: keep-alive connections closed. */
class OutageAndIdleTimeoutTest {

    static final String HANGUP = "Status=completed";

    @Test
    void pauseRefusesConnectionsAndResumeComesBackOnTheSamePortWithTheLedger() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            int port = sim.port();
            String before = newCallSid();
            assertThat(update(sim, before, HANGUP).status).isEqualTo(200);

            CompletableFuture<Void> paused = sim.pause();
            assertThat(sim.isPaused()).isTrue();
            paused.get(10, TimeUnit.SECONDS);
            assertThat(sim.pause()).as("pausing again changes nothing").isDone();
            String during = newCallSid();
            assertThatThrownBy(() -> update(sim, during, HANGUP)).isInstanceOf(java.io.UncheckedIOException.class)
                    .hasCauseInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> RawHttp.connect(sim, 1_000)).hasCauseInstanceOf(ConnectException.class);

            sim.resume().get(10, TimeUnit.SECONDS);
            assertThat(sim.isPaused()).isFalse();
            assertThat(sim.port()).isEqualTo(port);
            assertThat(sim.resume()).as("resuming a running simulator changes nothing").isDone();
            String after = newCallSid();
            assertThat(update(sim, after, HANGUP).status).isEqualTo(200);

            Ledger l = sim.ledger();
            assertThat(l.outages()).isEqualTo(1);
            assertThat(l.call(before).hangupsApplied()).as("kept across the outage").isEqualTo(1);
            assertThat(l.call(during).requestsReceived()).as("refused connections never reach it").isZero();
            assertThat(l.call(after).status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(l.totalRequests()).isEqualTo(2);
            // A redirect of the call ended before the outage: the state survived.
            assertThat(update(sim, before, "Url=https%3A%2F%2Fexample.com%2Fa").status).isEqualTo(400);
        }
    }

    @Test
    void pauseClosesIdleKeepAliveConnections() throws IOException, Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start(); RawHttp c = RawHttp.connect(sim, 10_000)) {
            String head = c.post(sim, newCallSid(), HANGUP).readHead();
            c.readBody(Integer.parseInt(RawHttp.header(head, "Content-Length")));
            sim.pause().get(10, TimeUnit.SECONDS);
            assertThat(c.readToEnd()).as("closed by the server, nothing more sent").isEmpty();
        }
    }

    @Test
    void aRequestInFlightWhenTheSimulatorGoesDownIsCutOffAndNeverApplied() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofMillis(300)).start();
             RawHttp c = RawHttp.connect(sim, 10_000)) {
            String sid = newCallSid();
            c.post(sim, sid, HANGUP);
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.ledger().requests(sid) == 1);
            sim.pause().get(10, TimeUnit.SECONDS);
            assertThatThrownBy(c::readHead).isInstanceOf(IOException.class);
            sim.resume().get(10, TimeUnit.SECONDS);
            // The request's latency would have ended after the outage began: cut off, never applied.
            assertThat(update(sim, newCallSid(), HANGUP).status).isEqualTo(200);
            assertThat(sim.ledger().call(sid).updatesApplied()).isZero();
            assertThat(sim.ledger().call(sid).exists()).isFalse();
            assertThat(sim.ledger().totalUpdatesApplied()).isEqualTo(1);
        }
    }

    @Test
    void pauseAndResumeAreRefusedOnceClosedAndCloseWorksWhilePaused() throws Exception {
        TwilioSimulator sim = TwilioSimulator.builder().start();
        sim.pause().get(10, TimeUnit.SECONDS);
        sim.close();
        assertThat(sim.isClosed()).isTrue();
        assertThatThrownBy(sim::pause).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(sim::resume).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void manyOutagesInARowKeepThePort() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            for (int i = 0; i < 5; i++) {
                sim.pause();
                sim.resume().get(10, TimeUnit.SECONDS); // waits for the pause's close before binding again
                assertThat(update(sim, newCallSid(), HANGUP).status).isEqualTo(200);
            }
            assertThat(sim.ledger().outages()).isEqualTo(5);
        }
    }

    @Test
    void idleTimeoutClosesAKeepAliveConnectionThatWaitsForItsNextRequest() throws IOException {
        try (TwilioSimulator sim = TwilioSimulator.builder().idleTimeout(Duration.ofMillis(200)).start();
             RawHttp c = RawHttp.connect(sim, 10_000)) {
            String head = c.post(sim, newCallSid(), HANGUP).readHead();
            assertThat(RawHttp.status(head)).isEqualTo(200);
            c.readBody(Integer.parseInt(RawHttp.header(head, "Content-Length")));
            long idleSince = System.nanoTime();
            assertThat(c.readToEnd()).as("a clean close, nothing sent").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - idleSince)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(sim.ledger().connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void idleTimeoutNeverCutsARequestShort() {
        try (TwilioSimulator sim = TwilioSimulator.builder().idleTimeout(Duration.ofMillis(100))
                .latency(Duration.ofMillis(400)).start()) {
            assertThat(update(sim, newCallSid(), HANGUP).status).isEqualTo(200);
        }
    }

    @Test
    void withoutIdleTimeoutKeepAliveConnectionsStayOpen() throws IOException {
        try (TwilioSimulator sim = TwilioSimulator.builder().start(); RawHttp c = RawHttp.connect(sim, 600)) {
            String head = c.post(sim, newCallSid(), HANGUP).readHead();
            c.readBody(Integer.parseInt(RawHttp.header(head, "Content-Length")));
            assertThatThrownBy(c::readToEnd).isInstanceOf(SocketTimeoutException.class);
            // The same connection still carries requests.
            assertThat(RawHttp.status(c.post(sim, newCallSid(), HANGUP).readHead())).isEqualTo(200);
            assertThat(sim.ledger().connectionsAccepted()).isEqualTo(1);
        }
    }
}
