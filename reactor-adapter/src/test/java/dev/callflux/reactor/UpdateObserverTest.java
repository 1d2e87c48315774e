package dev.callflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.CallStatus;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/** Every request a client sends, single or bulk, is told to its observers once, and an observer cannot break it. */
class UpdateObserverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Queue<String> seen = new ConcurrentLinkedQueue<>();
    private TwilioSimulator sim;
    private CallFluxClient client;

    /** Writes one line per request start and end. */
    private final UpdateObserver recorder = (AccountSid account, CallSid call, UpdateCallRequest request,
                                             ContextView context) -> {
        seen.add("start " + call + " " + context.getOrDefault("trace", "-"));
        return new UpdateObserver.Attempt() {
            @Override
            public void succeeded(int status, Call c) {
                seen.add("ok " + status + " " + c.status());
            }

            @Override
            public void failed(Throwable error) {
                seen.add("failed " + (error instanceof TwilioApiException t ? t.statusCode() + "/" + t.code().orElse(0) : error));
            }

            @Override
            public void cancelled() {
                seen.add("cancelled");
            }
        };
    };

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        sim.close();
    }

    private CallFluxClient client(TwilioSimulator sim, String token, UpdateObserver... observers) {
        CallFluxClientBuilder b = CallFluxClient.builder()
                .credentials(Credentials.authToken(sim.accountSid(), token))
                .baseUrl(sim.baseUrl());
        for (UpdateObserver o : observers) {
            b.addObserver(o);
        }
        return b.build();
    }

    @Test
    void aSuccessIsToldWithItsStatusAndTheSubscribersContext() {
        sim = TwilioSimulator.builder().initialStatus(CallStatus.IN_PROGRESS).start();
        client = client(sim, sim.authToken(), recorder);
        String sid = TestCalls.callSid();
        StepVerifier.create(client.hangup(sid).contextWrite(Context.of("trace", "t-1")))
                .expectNextCount(1)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(seen).containsExactly("start " + sid + " t-1", "ok 200 completed");
    }

    @Test
    void anErrorAnswerIsToldWithTwiliosStatusAndCode() {
        sim = TwilioSimulator.builder().initialStatus(CallStatus.IN_PROGRESS).start();
        client = client(sim, "0".repeat(32), recorder);
        String sid = TestCalls.callSid();
        StepVerifier.create(client.hangup(sid)).expectError(TwilioApiException.class).verify(TIMEOUT);
        assertThat(seen).containsExactly("start " + sid + " -", "failed 401/20003");
    }

    @Test
    void aCancelledRequestIsToldAsCancelled() {
        sim = TwilioSimulator.builder().initialStatus(CallStatus.IN_PROGRESS).latency(Duration.ofSeconds(30)).start();
        client = client(sim, sim.authToken(), recorder);
        String sid = TestCalls.callSid();
        StepVerifier.create(client.hangup(sid))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(seen).containsExactly("start " + sid + " -", "cancelled");
    }

    @Test
    void aFailingObserverIsIgnoredAndTheOthersAreStillTold() {
        sim = TwilioSimulator.builder().initialStatus(CallStatus.IN_PROGRESS).start();
        UpdateObserver throwsOnStart = (a, c, r, ctx) -> {
            throw new IllegalStateException("observer bug");
        };
        UpdateObserver throwsOnEnd = (a, c, r, ctx) -> new UpdateObserver.Attempt() {
            @Override
            public void succeeded(int status, Call call) {
                throw new IllegalStateException("observer bug");
            }
        };
        client = client(sim, sim.authToken(), throwsOnStart, throwsOnEnd, recorder);
        String sid = TestCalls.callSid();
        StepVerifier.create(client.hangup(sid))
                .assertNext(call -> assertThat(call.status()).isEqualTo(CallStatus.COMPLETED))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(seen).containsExactly("start " + sid + " -", "ok 200 completed");
    }

    @Test
    void everyAttemptOfABulkRunIsTold() {
        sim = TwilioSimulator.builder().initialStatus(CallStatus.IN_PROGRESS).rateLimitedFraction(0.3)
                .retryAfter(Duration.ofMillis(1)).seed(7).start();
        client = client(sim, sim.authToken(), recorder);
        List<String> sids = dev.callflux.testkit.TestSids.callSids(71, 200);
        List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids), BulkOptions.fixed(20))
                .collectList().block(TIMEOUT);
        assertThat(results).hasSize(200).allMatch(BulkResult::isSuccess);
        int attempts = results.stream().mapToInt(BulkResult::attempts).sum();
        assertThat(attempts).isGreaterThan(200);
        assertThat(seen.stream().filter(s -> s.startsWith("start "))).hasSize(attempts);
        assertThat(seen.stream().filter(s -> s.equals("ok 200 completed"))).hasSize(200);
        assertThat(seen.stream().filter(s -> s.startsWith("failed 429/"))).hasSize(attempts - 200);
    }
}
