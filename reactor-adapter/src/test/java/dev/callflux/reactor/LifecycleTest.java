package dev.callflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.http.Credentials;
import dev.callflux.testkit.ScriptedServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/** Cancellation, connection release, closing, and the non-blocking guarantee. */
class LifecycleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String ACCOUNT = TestCalls.sid("AC", 7);
    private static final String TOKEN = "lifecycle-token-0123456789abcdef";

    /** First request: never answered (the server holds it). Later ones: answered at once. */
    private static ScriptedServer holdFirstRequest(CountDownLatch firstArrived) {
        AtomicInteger seen = new AtomicInteger();
        return ScriptedServer.start((req, res) -> {
            if (seen.getAndIncrement() == 0) {
                firstArrived.countDown();
                return Mono.never();
            }
            return res.header("Content-Type", "application/json")
                    .sendString(Mono.just("{\"sid\":\"" + req.uri().replaceAll(".*/(CA[0-9a-f]{32}).json", "$1") + "\",\"status\":\"completed\"}"));
        });
    }

    @Test
    void cancellingAbortsTheExchangeAndFreesTheConnection() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        try (ScriptedServer server = holdFirstRequest(arrived);
             CallFluxClient client = CallFluxClient.builder()
                     .credentials(Credentials.authToken(ACCOUNT, TOKEN))
                     .baseUrl(server.baseUrl())
                     .maxConnections(1)
                     .pendingAcquireTimeout(Duration.ofSeconds(5))
                     .build()) {
            Disposable held = client.hangup(TestCalls.callSid()).subscribe();
            assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
            held.dispose();
            // The only pooled connection must be free again for the next request to get through.
            StepVerifier.create(client.hangup(TestCalls.callSid()))
                    .assertNext(call -> assertThat(call.sid()).startsWith("CA"))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(server.received()).hasSize(2);
        }
    }

    @Test
    void aFullPoolFailsFastWithNothingSent() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        try (ScriptedServer server = holdFirstRequest(arrived);
             CallFluxClient client = CallFluxClient.builder()
                     .credentials(Credentials.authToken(ACCOUNT, TOKEN))
                     .baseUrl(server.baseUrl())
                     .maxConnections(1)
                     .pendingAcquireTimeout(Duration.ofMillis(200))
                     .build()) {
            Disposable held = client.hangup(TestCalls.callSid()).subscribe();
            assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
            StepVerifier.create(client.hangup(TestCalls.callSid()))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(CallFluxTransportException.class);
                        CallFluxTransportException t = (CallFluxTransportException) e;
                        assertThat(t.kind()).isEqualTo(CallFluxTransportException.Kind.POOL_ACQUIRE_TIMEOUT);
                        assertThat(t.requestSent()).isFalse();
                    })
                    .verify(TIMEOUT);
            held.dispose();
        }
    }

    @Test
    void closeReleasesTheOwnedPoolButNotACallerSuppliedOne() {
        String body = "{\"sid\":\"CA00000000000000000000000000000001\",\"status\":\"completed\"}";
        try (ScriptedServer server = ScriptedServer.answering(200, "application/json", body)) {
            ConnectionProvider callersPool = ConnectionProvider.create("callers-pool", 4);
            HttpClient callers = HttpClient.create(callersPool);
            CallFluxClient borrowing = CallFluxClient.builder()
                    .credentials(Credentials.authToken(ACCOUNT, TOKEN))
                    .baseUrl(server.baseUrl())
                    .httpClient(callers)
                    .build();
            StepVerifier.create(borrowing.hangup(TestCalls.callSid())).expectNextCount(1).expectComplete().verify(TIMEOUT);
            borrowing.close();
            assertThat(callersPool.isDisposed()).isFalse();
            StepVerifier.create(callers.get().uri(server.baseUrl() + "/still-alive").response().map(r -> r.status().code()))
                    .expectNext(200).expectComplete().verify(TIMEOUT);
            callersPool.dispose();

            CallFluxClient owning = CallFluxClient.builder()
                    .credentials(Credentials.authToken(ACCOUNT, TOKEN))
                    .baseUrl(server.baseUrl())
                    .build();
            StepVerifier.create(owning.hangup(TestCalls.callSid())).expectNextCount(1).expectComplete().verify(TIMEOUT);
            owning.close();
            owning.close(); // idempotent
            StepVerifier.create(owning.hangup(TestCalls.callSid())).expectError(IllegalStateException.class).verify(TIMEOUT);
            assertThat(server.received()).hasSize(3);
        }
    }

    @Test
    void blockHoundIsWatchingNonBlockingThreads() {
        StepVerifier.create(Mono.delay(Duration.ofMillis(1), Schedulers.parallel())
                        .doOnNext(tick -> {
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(BlockingOperationError.class))
                .verify(TIMEOUT);
    }
}
