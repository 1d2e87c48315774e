package dev.callflux.reactor.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.retry.Backoff;
import dev.callflux.reactor.retry.RetryPolicy;
import dev.callflux.testkit.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Backoff, Retry-After and the rate cap on virtual time. Requests still travel over real HTTP; the
 * engine's listener tells the test when a wait has been scheduled, so virtual time is only advanced
 * once the engine is actually waiting.
 */
class BulkTimingTest {

    private static final String ACCOUNT = "AC" + "0".repeat(31) + "9";
    private static final String TOKEN = "timing-token-0123456789abcdef";
    private static final String SID = "CA" + "0".repeat(31) + "1";
    private static final Duration REAL_TIMEOUT = Duration.ofSeconds(10);

    /** Answers request n (from 0) with {@code script.apply(n)}: a status and optional Retry-After seconds. */
    private static ScriptedServer server(IntFunction<int[]> script) {
        AtomicInteger n = new AtomicInteger();
        return ScriptedServer.start((req, res) -> {
            int[] answer = script.apply(n.getAndIncrement());
            res.status(answer[0]).header("Content-Type", "application/json");
            if (answer.length > 1) {
                res.header("Retry-After", Integer.toString(answer[1]));
            }
            String body = answer[0] == 200
                    ? "{\"sid\":\"" + SID + "\",\"status\":\"completed\"}"
                    : "{\"code\":" + (answer[0] == 429 ? 20429 : 20500) + ",\"message\":\"no\",\"status\":" + answer[0] + "}";
            return res.sendString(Mono.just(body));
        });
    }

    private static CallFluxClient client(ScriptedServer server) {
        return CallFluxClient.builder().credentials(Credentials.authToken(ACCOUNT, TOKEN)).baseUrl(server.baseUrl()).build();
    }

    /** Counts retry decisions, so the test can wait until the engine sleeps. */
    private static final class RetryLatch implements BulkListener {
        private final List<CountDownLatch> latches;
        private final AtomicInteger retries = new AtomicInteger();

        RetryLatch(int expected) {
            latches = java.util.stream.IntStream.range(0, expected).mapToObj(i -> new CountDownLatch(1)).toList();
        }

        @Override
        public void onRetry(Throwable error, int attempt, Duration delay) {
            latches.get(retries.getAndIncrement()).countDown();
        }

        void awaitRetry(int n) {
            try {
                assertThat(latches.get(n - 1).await(REAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("retry " + n + " scheduled").isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void retryAfterIsHonouredToTheSecond() {
        RetryLatch retries = new RetryLatch(1);
        try (ScriptedServer server = server(n -> n == 0 ? new int[] {429, 30} : new int[] {200});
             CallFluxClient client = client(server)) {
            BulkOptions options = BulkOptions.builder().listener(retries).build();
            StepVerifier.withVirtualTime(() -> client.hangupAll(Flux.just(SID), options))
                    .expectSubscription()
                    .then(() -> retries.awaitRetry(1))
                    .thenAwait(Duration.ofSeconds(29))
                    .then(() -> assertThat(server.received()).hasSize(1))
                    .thenAwait(Duration.ofSeconds(1))
                    .assertNext(r -> {
                        assertThat(r.isSuccess()).isTrue();
                        assertThat(r.attempts()).isEqualTo(2);
                        assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
                    })
                    .expectComplete()
                    .verify(REAL_TIMEOUT);
            assertThat(server.received()).hasSize(2);
        }
    }

    @Test
    void backoffGrowsExponentiallyBetweenAttempts() {
        // A "random" source at its maximum makes full jitter deterministic: 1 s, 2 s, 4 s.
        Backoff backoff = Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999_999_999);
        RetryLatch retries = new RetryLatch(3);
        try (ScriptedServer server = server(n -> n < 3 ? new int[] {503} : new int[] {200});
             CallFluxClient client = client(server)) {
            BulkOptions options = BulkOptions.builder().listener(retries)
                    .retryPolicy(RetryPolicy.builder().backoff(backoff).build()).build();
            StepVerifier.withVirtualTime(() -> client.hangupAll(Flux.just(SID), options))
                    .expectSubscription()
                    .then(() -> retries.awaitRetry(1))
                    .thenAwait(Duration.ofMillis(990))
                    .then(() -> assertThat(server.received()).hasSize(1))
                    .thenAwait(Duration.ofMillis(10))
                    .then(() -> retries.awaitRetry(2))
                    .then(() -> assertThat(server.received()).hasSize(2))
                    .thenAwait(Duration.ofMillis(1_990))
                    .then(() -> assertThat(server.received()).hasSize(2))
                    .thenAwait(Duration.ofMillis(10))
                    .then(() -> retries.awaitRetry(3))
                    .thenAwait(Duration.ofMillis(3_990))
                    .then(() -> assertThat(server.received()).hasSize(3))
                    .thenAwait(Duration.ofMillis(10))
                    .assertNext(r -> assertThat(r.attempts()).isEqualTo(4))
                    .expectComplete()
                    .verify(REAL_TIMEOUT);
        }
    }

    @Test
    void theRateCapSpacesRequestStarts() {
        RetryLatch none = new RetryLatch(0);
        AtomicInteger attempts = new AtomicInteger();
        List<CountDownLatch> started = java.util.stream.IntStream.range(0, 3).mapToObj(i -> new CountDownLatch(1)).toList();
        BulkListener watch = new BulkListener() {
            @Override
            public void onAttemptStarted(int attempt) {
                started.get(attempts.getAndIncrement()).countDown();
            }
        };
        try (ScriptedServer server = server(n -> new int[] {200}); CallFluxClient client = client(server)) {
            BulkOptions options = BulkOptions.builder().ratePerSecond(0.5).listener(none).listener(watch).build();
            String[] sids = {SID, SID.replace("01", "02"), SID.replace("01", "03")};
            StepVerifier.withVirtualTime(() -> client.hangupAll(Flux.just(sids), options))
                    .expectSubscription()
                    .then(() -> await(started.get(0)))
                    .expectNextCount(1)
                    .thenAwait(Duration.ofMillis(1_999))
                    .then(() -> assertThat(attempts).hasValue(1))
                    .thenAwait(Duration.ofMillis(1))
                    .then(() -> await(started.get(1)))
                    .expectNextCount(1)
                    .thenAwait(Duration.ofMillis(1_999))
                    .then(() -> assertThat(attempts).hasValue(2))
                    .thenAwait(Duration.ofMillis(1))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(REAL_TIMEOUT);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(REAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
