package dev.callflux.reactor.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.testkit.ScriptedServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * What closing a client releases, seen from outside: the threads of its event loop end and the server sees
 * every pooled connection closed. ({@code LifecycleTest} covers what a closed client refuses, and that a
 * caller's own pool survives.)
 */
class ClientShutdownTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String ACCOUNT = "AC" + "0".repeat(31) + "9";
    private static final String TOKEN = "shutdown-token-0123456789abcdef";
    /** The builder names its event loop "callflux"; Reactor Netty names the threads callflux-epoll-1, ... */
    private static final String LOOP_THREAD_PREFIX = "callflux-";

    private static String callSid() {
        return dev.callflux.testkit.TestSids.newCallSid();
    }

    /** Leaves the first request unanswered; answers the others with a call. */
    private static ScriptedServer.Script holdingTheFirstRequest() {
        AtomicInteger requests = new AtomicInteger();
        return (req, res) -> requests.getAndIncrement() == 0 ? Mono.never() : ScriptedServer.call(req, res);
    }

    private static CallFluxClient client(ScriptedServer server) {
        return CallFluxClient.builder()
                .credentials(Credentials.authToken(ACCOUNT, TOKEN))
                .baseUrl(server.baseUrl())
                .eventLoopThreads(2)
                .maxConnections(4)
                .build();
    }

    private static Set<Thread> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(LOOP_THREAD_PREFIX))
                .collect(Collectors.toSet());
    }

    /** Sends hang-ups 8 at a time, so that the pool opens several connections on both event loop threads. */
    private static void hangUpSome(CallFluxClient client) {
        StepVerifier.create(Flux.range(0, 16).flatMap(i -> client.hangup(callSid()), 8))
                .expectNextCount(16)
                .expectComplete()
                .verify(TIMEOUT);
    }

    /** The event loop threads the client started: loop threads that did not exist before it. */
    private static Set<Thread> startedSince(Set<Thread> before) {
        Set<Thread> started = new HashSet<>(loopThreads());
        started.removeAll(before);
        return started;
    }

    private static void assertTerminated(Set<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(TIMEOUT.toMillis());
        }
        assertThat(threads).as("event loop threads of the closed client").noneMatch(Thread::isAlive);
    }

    @Test
    void closeEndsTheEventLoopThreadsAndClosesEveryPooledConnection() throws InterruptedException {
        try (ScriptedServer server = ScriptedServer.builder().start()) {
            Set<Thread> before = loopThreads();
            CallFluxClient client = client(server);
            hangUpSome(client);

            Set<Thread> threads = startedSince(before);
            assertThat(threads).as("the client's own event loop threads").isNotEmpty().hasSizeLessThanOrEqualTo(2)
                    .allMatch(Thread::isDaemon);
            assertThat(server.open()).as("idle pooled connections before close").isPositive();

            client.close();

            assertTerminated(threads);
            assertThat(server.awaitAllClosed(TIMEOUT))
                    .as("every connection closed; %s of %s still open", server.open(), server.accepted()).isTrue();
        }
    }

    @Test
    void closeLaterReleasesEverythingOnceSubscribed() throws InterruptedException {
        try (ScriptedServer server = ScriptedServer.builder().start()) {
            Set<Thread> before = loopThreads();
            CallFluxClient client = client(server);
            hangUpSome(client);
            Set<Thread> threads = startedSince(before);
            assertThat(threads).isNotEmpty();

            Mono<Void> closing = client.closeLater();
            // Nothing is released, nor refused, before the subscription.
            assertThat(threads).allMatch(Thread::isAlive);
            assertThat(server.open()).isPositive();
            StepVerifier.create(client.hangup(callSid())).expectNextCount(1).expectComplete().verify(TIMEOUT);

            StepVerifier.create(closing).expectComplete().verify(TIMEOUT);

            assertTerminated(threads);
            assertThat(server.awaitAllClosed(TIMEOUT))
                    .as("every connection closed; %s of %s still open", server.open(), server.accepted()).isTrue();
        }
    }

    @Test
    void closingWithARequestInFlightFailsItAndStillReleasesEverything() throws InterruptedException {
        try (ScriptedServer server = ScriptedServer.start(holdingTheFirstRequest())) {
            Set<Thread> before = loopThreads();
            CallFluxClient client = client(server);
            Set<Thread> threads = new HashSet<>();
            StepVerifier.create(client.hangup(callSid()))
                    .then(() -> {
                        try {
                            assertThat(server.awaitReceived(1, TIMEOUT)).isTrue();
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        threads.addAll(startedSince(before));
                        client.close();
                    })
                    // The request was sent: whether the call was hung up is unknown, and the caller is told.
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(CallFluxTransportException.class);
                        assertThat(((CallFluxTransportException) e).requestSent()).isTrue();
                    })
                    .verify(TIMEOUT);

            assertThat(threads).isNotEmpty();
            assertTerminated(threads);
            assertThat(server.awaitAllClosed(TIMEOUT)).as("the in-flight request's connection closed").isTrue();
        }
    }
}
