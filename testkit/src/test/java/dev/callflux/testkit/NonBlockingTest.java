package dev.callflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.model.CallStatus;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.netty.resources.LoopResources;

/**
 * The simulator shares a JVM with clients tested under BlockHound: it must never block its event loops.
 * BlockHound is installed with a callback that records violations (instead of throwing), so the test sees
 * every one, on whichever thread.
 */
class NonBlockingTest {

    static final Queue<String> VIOLATIONS = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void installBlockHound() {
        BlockHound.install(builder -> builder.blockingMethodCallback(
                m -> VIOLATIONS.add(Thread.currentThread().getName() + ": " + m)));
    }

    static List<String> violationsOn(String threadPrefix) {
        return VIOLATIONS.stream().filter(v -> v.startsWith(threadPrefix)).toList();
    }

    @Test
    void blockHoundSeesBlockingOnReactorNettyLoopThreads() throws Exception {
        LoopResources loops = LoopResources.create("bh-check", 1, true);
        try {
            loops.onServer(true).next().submit(() -> {
                Thread.sleep(1);
                return null;
            }).get(10, TimeUnit.SECONDS);
        } finally {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
        assertThat(violationsOn("bh-check")).isNotEmpty();
    }

    @Test
    void simulatorNeverBlocksItsEventLoops() {
        String ringing = SimHttp.newCallSid();
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .call(ringing, CallStatus.RINGING)
                .latency(Duration.ofMillis(5))
                .latencyJitter(Duration.ofMillis(5))
                .concurrencyLimit(4)
                .rateLimitedFraction(0.1)
                .retryAfter(Duration.ofSeconds(1))
                .fault(Fault.SERVER_ERROR, 0.1)
                .fault(Fault.RESET, 0.1)
                .seed(11)
                .start()) {
            List<CompletableFuture<String>> all = new ArrayList<>();
            String[] bodies = {"Status=completed", "Url=https%3A%2F%2Fexample.com%2Fa", "Twiml=%3CResponse%2F%3E",
                "Status=canceled", "Bogus=1", "TimeLimit=0", "Url=ftp%3A%2F%2Fx"};
            for (int i = 0; i < 60; i++) {
                String sid = i % 10 == 0 ? ringing : SimHttp.newCallSid();
                all.add(SimHttp.updateAsync(sim, sid, bodies[i % bodies.length])
                        .handle((r, e) -> e == null ? Integer.toString(r.status) : "reset"));
            }
            all.add(CompletableFuture.supplyAsync(() -> Integer.toString(
                    SimHttp.send(SimHttp.request(sim, "/nope", null).GET().build()).status)));
            all.add(CompletableFuture.supplyAsync(() -> Integer.toString(SimHttp.send(SimHttp.post(sim, sim.accountSid(),
                    SimHttp.newCallSid(), null, SimHttp.FORM, "Status=completed")).status)));
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Integer.toString(SimHttp.send(SimHttp.request(sim, SimHttp.path(sim.accountSid(), ringing),
                            SimHttp.basic(sim.accountSid(), sim.authToken())).GET().build()).status);
                } catch (UncheckedIOException e) {
                    return "reset";
                }
            }));
            List<String> outcomes = all.stream().map(CompletableFuture::join).toList();
            assertThat(outcomes).contains("200", "400", "404", "401", "405");
        }
        assertThat(violationsOn("twilio-sim")).isEmpty();
    }

    @Test
    void pauseAndResumeNeverBlockTheThreadThatCallsThemNorTheSimulatorsLoops() throws Exception {
        LoopResources loops = LoopResources.create("bh-outage", 1, true);
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .fault(Fault.RESET_AFTER_HEADERS, 0.2).fault(Fault.TRUNCATED_BODY, 0.2).fault(Fault.NON_JSON_BODY, 0.1)
                .fault(Fault.PROXY_ERROR, 0.1).fault(Fault.HANG, 0.1).idleTimeout(Duration.ofMillis(50)).seed(3).start()) {
            List<CompletableFuture<String>> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                all.add(SimHttp.updateAsync(sim, SimHttp.newCallSid(), "Status=completed")
                        .completeOnTimeout(null, 500, TimeUnit.MILLISECONDS)
                        .handle((r, e) -> e == null ? String.valueOf(r) : "failed"));
            }
            all.forEach(CompletableFuture::join);
            CompletableFuture<Void> paused = loops.onServer(true).next().submit(sim::pause).get(10, TimeUnit.SECONDS);
            paused.get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> resumed = loops.onServer(true).next().submit(sim::resume).get(10, TimeUnit.SECONDS);
            resumed.get(10, TimeUnit.SECONDS);
            assertThat(sim.isPaused()).isFalse();
            RawHttp.connect(sim, 1_000).close(); // listening again (a request could meet one of the faults)
        } finally {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
        assertThat(violationsOn("bh-outage")).isEmpty();
        assertThat(violationsOn("twilio-sim")).isEmpty();
    }
}
