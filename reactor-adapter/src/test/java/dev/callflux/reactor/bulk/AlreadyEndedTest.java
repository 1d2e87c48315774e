package dev.callflux.reactor.bulk;

import static dev.callflux.reactor.bulk.BulkTestSupport.client;
import static dev.callflux.reactor.bulk.BulkTestSupport.sids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.model.CallStatus;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.core.model.UpdateStatus;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.testkit.TwilioSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * A hang-up that reaches a call which has already ended (Twilio's 400, code 21220) has reached its goal: a
 * distinct outcome, counted apart, never a failure; a redirect of an ended call stays a failure.
 */
class AlreadyEndedTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void hangupsOfEndedCallsAreAlreadyEndedAndCountedApart() {
        List<String> sids = sids(911, 100);
        Set<String> ended = Set.copyOf(sids.subList(0, 30));
        TwilioSimulator.Builder b = TwilioSimulator.builder();
        ended.forEach(sid -> b.call(sid, CallStatus.COMPLETED));
        BulkProgress progress = new BulkProgress();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TwilioSimulator sim = b.start(); CallFluxClient client = client(sim, 100)) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids),
                    BulkOptions.builder().listener(progress).listener(new BulkMeters(registry)).stopOnError(true).build())
                    .collectList().block(TIMEOUT);

            assertThat(results).hasSize(sids.size()).allMatch(BulkResult::isGoalReached);
            Set<String> alreadyEnded = results.stream().filter(r -> r.outcome() == BulkResult.Outcome.ALREADY_ENDED)
                    .map(BulkResult::callSid).collect(Collectors.toSet());
            assertThat(alreadyEnded).isEqualTo(ended);
            assertThat(results).filteredOn(r -> r.outcome() == BulkResult.Outcome.ALREADY_ENDED).allSatisfy(r -> {
                assertThat(r.isSuccess()).as("no call was returned").isFalse();
                assertThat(r.httpStatus()).hasValue(400);
                assertThat(r.twilioCode()).hasValue(21220);
                assertThat(r.attempts()).isEqualTo(1);
            });
            assertThat(sim.ledger().totalHangupsApplied()).isEqualTo(sids.size() - ended.size());
            progress.finished().block(TIMEOUT);
            assertThat(progress.snapshot().alreadyEnded()).isEqualTo(ended.size());
            assertThat(progress.snapshot().succeeded()).isEqualTo(sids.size() - ended.size());
            assertThat(progress.snapshot().failed()).isZero();
            assertThat(registry.get("callflux.bulk.results").tag("outcome", "already_ended").counter().count())
                    .isEqualTo(ended.size());
        }
    }

    @Test
    void aRerunOverEndedCallsStillGrowsItsConcurrency() {
        List<String> sids = sids(913, 2_000);
        TwilioSimulator.Builder b = TwilioSimulator.builder();
        sids.forEach(sid -> b.call(sid, CallStatus.COMPLETED));
        AtomicInteger highest = new AtomicInteger();
        BulkListener limits = new BulkListener() {
            @Override
            public void onLimitChanged(int newLimit) {
                highest.accumulateAndGet(newLimit, Math::max);
            }
        };
        try (TwilioSimulator sim = b.start(); CallFluxClient client = client(sim, 64)) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids),
                    BulkOptions.builder().maxInFlight(64).initialLimit(8).listener(limits).build())
                    .collectList().block(TIMEOUT);

            assertThat(results).hasSize(sids.size())
                    .allMatch(r -> r.outcome() == BulkResult.Outcome.ALREADY_ENDED);
            assertThat(highest.get()).as("the limit grew from 8 on ended calls' answers").isEqualTo(64);
        }
    }

    @Test
    void cancelOfAnEndedCallIsAlreadyEnded() {
        String sid = sids(912, 1).get(0);
        try (TwilioSimulator sim = TwilioSimulator.builder().call(sid, CallStatus.CANCELED).start();
             CallFluxClient client = client(sim, 10)) {
            BulkResult<String> r = client.cancelAll(Flux.just(sid), BulkOptions.DEFAULT).blockLast(TIMEOUT);
            assertThat(r.outcome()).isEqualTo(BulkResult.Outcome.ALREADY_ENDED);
        }
    }

    @Test
    void aRedirectOfAnEndedCallStaysAFailure() {
        String sid = sids(913, 1).get(0);
        UpdateCallRequest redirect = UpdateCallRequest.builder().url("https://example.com/next.xml").build();
        try (TwilioSimulator sim = TwilioSimulator.builder().call(sid, CallStatus.COMPLETED).start();
             CallFluxClient client = client(sim, 10)) {
            BulkResult<Integer> r = client.updateAll(Flux.just(BulkCommand.of(sid, redirect, 1)), BulkOptions.DEFAULT)
                    .blockLast(TIMEOUT);
            assertThat(r.outcome()).isEqualTo(BulkResult.Outcome.FAILED);
            assertThat(r.isGoalReached()).isFalse();
            assertThat(r.twilioCode()).hasValue(21220);
        }
    }

    @Test
    void aHangupWithOtherFieldsButNoRedirectStillCounts() {
        String sid = sids(914, 1).get(0);
        UpdateCallRequest hangup = UpdateCallRequest.builder().status(UpdateStatus.COMPLETED)
                .statusCallback("https://example.com/status").build();
        try (TwilioSimulator sim = TwilioSimulator.builder().call(sid, CallStatus.COMPLETED).start();
             CallFluxClient client = client(sim, 10)) {
            BulkResult<Integer> r = client.updateAll(Flux.just(BulkCommand.of(sid, hangup, 1)), BulkOptions.DEFAULT)
                    .blockLast(TIMEOUT);
            assertThat(r.outcome()).isEqualTo(BulkResult.Outcome.ALREADY_ENDED);
        }
    }
}
