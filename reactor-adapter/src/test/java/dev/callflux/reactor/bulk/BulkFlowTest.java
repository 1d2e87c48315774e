package dev.callflux.reactor.bulk;

import static dev.callflux.reactor.bulk.BulkTestSupport.FAST_RETRIES;
import static dev.callflux.reactor.bulk.BulkTestSupport.client;
import static dev.callflux.reactor.bulk.BulkTestSupport.sids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.retry.Backoff;
import dev.callflux.reactor.retry.RetryPolicy;
import dev.callflux.testkit.Fault;
import dev.callflux.testkit.TwilioSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Cancellation, backpressure, stopping, source errors and the watchers of a batch. */
class BulkFlowTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @Test
    void cancellingMidBatchStartsNoFurtherRequestAndDuplicatesNothing() {
        List<String> sids = sids(20, 2_000);
        BulkProgress progress = new BulkProgress();
        try (TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofMillis(5)).start();
             CallFluxClient client = client(sim, 20)) {
            List<BulkResult<String>> delivered = client.hangupAll(Flux.fromIterable(sids),
                            BulkOptions.builder().maxInFlight(20).adaptive(false).listener(progress).build())
                    .take(100)
                    .collectList()
                    .block(TIMEOUT);
            progress.finished().block(TIMEOUT);
            BulkProgress.Snapshot atCancel = progress.snapshot();
            long attemptsAtCancel = atCancel.started();

            assertThat(delivered).hasSize(100);
            assertThat(delivered.stream().map(BulkResult::callSid).distinct().count()).isEqualTo(100);
            assertThat(atCancel.finished()).isTrue();
            assertThat(atCancel.done()).isEqualTo(100);
            // Everything that was in flight was cancelled, not left running.
            assertThat(atCancel.inFlight()).as(atCancel.toString()).isZero();

            // A later batch on the same client proves time passed; the cancelled batch must not have moved.
            client.hangupAll(Flux.fromIterable(sids(21, 50))).blockLast(TIMEOUT);
            assertThat(progress.snapshot().started()).isEqualTo(attemptsAtCancel);
            long requestsForFirstBatch = sids.stream().mapToLong(sid -> sim.ledger().requests(sid)).sum();
            assertThat(requestsForFirstBatch).isLessThanOrEqualTo(100 + 20);
        }
    }

    @Test
    void aSlowConsumerKeepsTheSourceAndTheRequestsBoundedByMaxInFlight() {
        int maxInFlight = 8;
        AtomicLong requestedFromSource = new AtomicLong();
        List<Long> pulledAhead = new CopyOnWriteArrayList<>();
        try (TwilioSimulator sim = TwilioSimulator.builder().start(); CallFluxClient client = client(sim, maxInFlight)) {
            Flux<String> source = Flux.fromIterable(sids(22, 100_000)).doOnRequest(requestedFromSource::addAndGet);
            Flux<BulkResult<String>> results = client.hangupAll(source, BulkOptions.fixed(maxInFlight));

            StepVerifier.Step<BulkResult<String>> step = StepVerifier.create(results, 0);
            for (int delivered = 1; delivered <= 50; delivered++) {
                int n = delivered;
                step = step.thenRequest(1)
                        .assertNext(r -> {
                            assertThat(r.isSuccess()).isTrue();
                            pulledAhead.add(requestedFromSource.get() - n);
                        });
            }
            step.thenCancel().verify(TIMEOUT);

            assertThat(pulledAhead).allSatisfy(ahead -> assertThat(ahead).isLessThanOrEqualTo(maxInFlight));
            assertThat(requestedFromSource.get()).isLessThanOrEqualTo(50 + maxInFlight);
            assertThat(sim.ledger().totalRequests()).isLessThanOrEqualTo(50 + maxInFlight);
            assertThat(sim.ledger().peakConcurrency()).isLessThanOrEqualTo(maxInFlight);
        }
    }

    @Test
    void stopOnErrorEndsTheBatchAtTheFirstFinalFailure() {
        List<String> input = new ArrayList<>(sids(23, 500));
        input.set(30, "not-a-call-sid");
        try (TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofMillis(2)).start();
             CallFluxClient client = client(sim, 5)) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(input),
                    BulkOptions.builder().maxInFlight(5).adaptive(false).stopOnError(true).build()).collectList().block(TIMEOUT);

            assertThat(results.size()).isLessThan(input.size()).isGreaterThan(30);
            assertThat(results).filteredOn(r -> r.callSid().equals("not-a-call-sid")).hasSize(1);
            assertThat(results.stream().map(BulkResult::callSid).distinct().count()).isEqualTo(results.size());
            // Commands taken but not yet sent when the batch stopped say so, and were never sent.
            results.stream().filter(r -> r.error().filter(BatchStoppedException.class::isInstance).isPresent())
                    .forEach(r -> {
                        assertThat(r.attempts()).isZero();
                        assertThat(sim.ledger().requests(r.callSid())).isZero();
                    });
            long sent = results.stream().filter(BulkResult::isSuccess).count();
            assertThat(sim.ledger().totalRequests()).isEqualTo(sent);
            assertThat(sent).isLessThanOrEqualTo(input.size() - 1 - (input.size() - results.size()));
        }
    }

    @Test
    void aSourceErrorArrivesAfterTheResultsOfTheCommandsAlreadyTaken() {
        List<String> sids = sids(24, 40);
        IllegalStateException boom = new IllegalStateException("the SID file could not be read further");
        try (TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofMillis(20)).start();
             CallFluxClient client = client(sim, 10)) {
            Flux<String> source = Flux.fromIterable(sids).concatWith(Flux.error(boom));
            StepVerifier.create(client.hangupAll(source, BulkOptions.fixed(10)))
                    .recordWith(ArrayList::new)
                    .expectNextCount(40)
                    .consumeRecordedWith(results -> assertThat(results).allSatisfy(r -> assertThat(r.isSuccess()).as(r.toString()).isTrue()))
                    .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                    .verify(TIMEOUT);
            assertThat(sim.ledger().totalHangupsApplied()).isEqualTo(40);
        }
    }

    @Test
    void aThrowingListenerNeverCostsACommandItsResult() {
        BulkListener broken = new BulkListener() {
            @Override
            public void onResult(BulkResult<?> result) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (TwilioSimulator sim = TwilioSimulator.builder().start(); CallFluxClient client = client(sim, 10)) {
            StepVerifier.create(client.hangupAll(Flux.fromIterable(sids(25, 3)), BulkOptions.builder().listener(broken).build()))
                    .expectNextCount(3)
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Test
    void aBackoffThatThrowsOrAnswersNullNeverCostsACommandItsResult() {
        Map<String, Backoff> broken = Map.of(
                "throws", retry -> {
                    throw new IllegalStateException("backoff bug");
                },
                "answers null", retry -> null);
        broken.forEach((what, backoff) -> {
            RetryPolicy policy = RetryPolicy.builder().backoff(backoff).build();
            try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.SERVER_ERROR, 1.0).serverErrorStatuses(500).start();
                 CallFluxClient client = client(sim, 10)) {
                List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids(26, 5)),
                        BulkOptions.builder().retryPolicy(policy).build()).collectList().block(TIMEOUT);
                assertThat(results).as(what).hasSize(5).allSatisfy(r -> {
                    assertThat(r.attempts()).isEqualTo(1);
                    assertThat(r.httpStatus()).hasValue(500);
                    assertThat(r.error().orElseThrow().getSuppressed()).singleElement()
                            .isInstanceOf(IllegalStateException.class);
                });
                assertThat(results).map(BulkResult::callSid).as(what).containsExactlyInAnyOrderElementsOf(sids(26, 5));
            }
        });
    }

    @Test
    void progressSnapshotsEndWithTheFinalCounts() {
        BulkProgress progress = new BulkProgress();
        List<BulkProgress.Snapshot> seen = new CopyOnWriteArrayList<>();
        try (TwilioSimulator sim = TwilioSimulator.builder().rateLimitedFraction(0.2).seed(5).start();
             CallFluxClient client = client(sim, 20)) {
            progress.snapshots(Duration.ofMillis(10)).subscribe(seen::add);
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids(26, 500)),
                            BulkOptions.builder().retryPolicy(FAST_RETRIES).listener(progress).build())
                    .collectList().block(TIMEOUT);
            assertThat(results).hasSize(500);
            progress.finished().block(TIMEOUT);
            BulkProgress.Snapshot last = progress.snapshot();
            assertThat(last.finished()).isTrue();
            assertThat(last.started()).isEqualTo(500);
            assertThat(last.done()).isEqualTo(500);
            assertThat(last.succeeded()).isEqualTo(500);
            assertThat(last.retries()).isEqualTo(results.stream().mapToLong(r -> r.attempts() - 1).sum()).isPositive();
            assertThat(last.toString()).contains("500 done");
            StepVerifier.create(progress.snapshots(Duration.ofMillis(10)).last())
                    .assertNext(s -> assertThat(s.done()).isEqualTo(500)).expectComplete().verify(TIMEOUT);
        }
    }

    @Test
    void micrometerMetersCountOutcomesAttemptsAndRetries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TwilioSimulator sim = TwilioSimulator.builder().rateLimitedFraction(0.3).seed(9).knownCallsOnly(false).start();
             CallFluxClient client = client(sim, 10)) {
            List<BulkResult<Object>> results = client.updateAll(Flux.concat(
                            Flux.fromIterable(sids(27, 100)).map(sid -> BulkCommand.of(sid, UpdateCallRequest.hangup(), (Object) sid)),
                            Flux.just(BulkCommand.of("bad-sid", UpdateCallRequest.hangup(), (Object) "bad"))),
                    BulkOptions.builder().retryPolicy(FAST_RETRIES).listener(new BulkMeters(registry)).build())
                    .collectList().block(TIMEOUT);
            long attempts = results.stream().mapToLong(BulkResult::attempts).sum();
            assertThat(registry.get("callflux.bulk.results").tag("outcome", "succeeded").counter().count()).isEqualTo(100);
            assertThat(registry.get("callflux.bulk.results").tag("outcome", "failed").counter().count()).isEqualTo(1);
            assertThat(registry.get("callflux.bulk.attempts").counter().count()).isEqualTo(attempts);
            assertThat(registry.get("callflux.bulk.retries").tag("reason", "rate_limited").counter().count())
                    .isEqualTo(attempts - 100);
            assertThat(registry.get("callflux.bulk.command.duration").timer().count()).isEqualTo(101);
            assertThat(registry.get("callflux.bulk.in_flight").gauge().value()).isZero();
        }
    }
}
