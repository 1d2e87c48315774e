package dev.callflux.reactor.bulk;

import static dev.callflux.reactor.bulk.BulkTestSupport.FAST_RETRIES;
import static dev.callflux.reactor.bulk.BulkTestSupport.client;
import static dev.callflux.reactor.bulk.BulkTestSupport.sids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.model.CallStatus;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.testkit.CallRecord;
import dev.callflux.testkit.Fault;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Bulk runs against the simulator: exactly one result per command, and what the ledger says happened. */
class BulkUpdateTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    void tenThousandHangupsUnderAConcurrencyLimitAndRandom429sAllSucceedExactlyOnce() {
        List<String> sids = sids(1, 10_000);
        BulkProgress progress = new BulkProgress();
        try (TwilioSimulator sim = TwilioSimulator.builder().concurrencyLimit(50).rateLimitedFraction(0.3).seed(42).start();
             CallFluxClient client = client(sim, 100)) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids),
                            BulkOptions.builder().maxInFlight(100).retryPolicy(FAST_RETRIES).listener(progress).build())
                    .collectList().block(TIMEOUT);

            assertThat(results).hasSize(sids.size());
            Map<String, BulkResult<String>> bySid = results.stream()
                    .collect(Collectors.toMap(BulkResult::callSid, Function.identity()));
            assertThat(bySid.keySet()).containsExactlyInAnyOrderElementsOf(sids);
            assertThat(results).allSatisfy(r -> {
                assertThat(r.isSuccess()).as(r.toString()).isTrue();
                assertThat(r.correlation()).isEqualTo(r.callSid());
                assertThat(r.call().orElseThrow().status()).isEqualTo(CallStatus.COMPLETED);
            });
            for (String sid : sids) {
                CallRecord call = sim.ledger().call(sid);
                assertThat(call.hangupsApplied()).as(sid).isEqualTo(1);
                assertThat(call.requestsReceived()).isEqualTo(bySid.get(sid).attempts());
            }
            long attempts = results.stream().mapToLong(BulkResult::attempts).sum();
            assertThat(sim.ledger().totalRequests()).isEqualTo(attempts);
            // About 1 / 0.7 attempts per hang-up from the random 429s, plus those of the concurrency limit.
            assertThat(attempts).isLessThan(3L * sids.size());
            assertThat(sim.ledger().peakConcurrency()).isLessThanOrEqualTo(100);
            progress.finished().block(TIMEOUT);
            BulkProgress.Snapshot end = progress.snapshot();
            assertThat(end.finished()).isTrue();
            assertThat(end.succeeded()).isEqualTo(sids.size());
            assertThat(end.retries()).isEqualTo(attempts - sids.size());
            assertThat(end.inFlight()).isZero();
        }
    }

    @Test
    void adaptiveConcurrencySettlesNearTheServersLimitInsteadOfMaxInFlight() {
        List<String> sids = sids(2, 4_000);
        BulkProgress progress = new BulkProgress();
        try (TwilioSimulator sim = TwilioSimulator.builder().concurrencyLimit(20).latency(Duration.ofMillis(2)).start();
             CallFluxClient client = client(sim, 200)) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids),
                            BulkOptions.builder().maxInFlight(200).retryPolicy(FAST_RETRIES).listener(progress).build())
                    .collectList().block(TIMEOUT);
            assertThat(results).hasSize(sids.size()).allMatch(BulkResult::isSuccess);
            long rejected = sim.ledger().statusCount(429);
            // A fixed 200 in flight against a limit of 20 would see most requests refused.
            assertThat(rejected).isLessThan(sids.size() / 4);
            assertThat(progress.snapshot().limit()).isBetween(1, 60);
            assertThat(sim.ledger().peakConcurrency()).isLessThan(200);
        }
    }

    /**
     * The faults strike after the hang-up is applied: a command whose answer was lost is resent, Twilio answers
     * the resend 400/21220 (the call has ended), and the command ends ALREADY_ENDED, its goal reached, the call
     * hung up exactly once.
     */
    @Test
    void hangupsAreRetriedThrough5xxAndResetsAndAllReachTheirGoalAppliedOnce() {
        List<String> sids = sids(3, 2_000);
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.SERVER_ERROR, 0.2).fault(Fault.RESET, 0.1)
                .faultsAfterApply(true).seed(7).start();
             CallFluxClient client = client(sim, 50)) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids),
                    BulkOptions.builder().maxInFlight(50).retryPolicy(FAST_RETRIES).build()).collectList().block(TIMEOUT);
            assertThat(results).hasSize(sids.size()).allMatch(BulkResult::isGoalReached);
            assertThat(results.stream().map(BulkResult::callSid).distinct().count()).isEqualTo(sids.size());
            long resent = results.stream().filter(r -> r.attempts() > 1).count();
            assertThat(resent).isPositive();
            for (BulkResult<String> r : results) {
                CallRecord call = sim.ledger().call(r.callSid());
                assertThat(call.hangupsApplied()).as("%s / %s", r, call).isEqualTo(1);
                assertThat(call.updatesApplied()).as("applied once: %s / %s", r, call).isEqualTo(1);
                assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
                assertThat(call.requestsReceived()).isEqualTo(r.attempts());
                // Every attempt after the first reached the ended call and was refused.
                assertThat(call.notInProgressAnswers()).as("%s / %s", r, call).isEqualTo(r.attempts() - 1);
                if (r.attempts() == 1) {
                    assertThat(r.outcome()).as(r.toString()).isEqualTo(BulkResult.Outcome.SUCCEEDED);
                    assertThat(r.call().orElseThrow().status()).isEqualTo(CallStatus.COMPLETED);
                } else {
                    assertThat(r.outcome()).as(r.toString()).isEqualTo(BulkResult.Outcome.ALREADY_ENDED);
                    assertThat(r.isSuccess()).isFalse();
                    assertThat(r.httpStatus()).hasValue(400);
                    assertThat(r.twilioCode()).hasValue(21220);
                }
            }
            assertThat(results.stream().filter(r -> r.outcome() == BulkResult.Outcome.ALREADY_ENDED).count())
                    .isEqualTo(resent);
            assertThat(sim.ledger().totalHangupsApplied()).isEqualTo(sids.size());
        }
    }

    @Test
    void redirectsAreNotResentWhenTheOutcomeIsUnknown() {
        List<String> sids = sids(4, 1_000);
        UpdateCallRequest redirect = UpdateCallRequest.redirect("https://example.com/announcement.xml");
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.SERVER_ERROR, 0.2).fault(Fault.RESET, 0.1)
                .faultsAfterApply(true).seed(11).start();
             CallFluxClient client = client(sim, 50)) {
            List<BulkResult<Integer>> results = client.updateAll(
                    Flux.range(0, sids.size()).map(i -> BulkCommand.of(sids.get(i), redirect, i)),
                    BulkOptions.builder().maxInFlight(50).retryPolicy(FAST_RETRIES).build()).collectList().block(TIMEOUT);

            assertThat(results).hasSize(sids.size());
            assertThat(results.stream().map(BulkResult::correlation).distinct().count()).isEqualTo(sids.size());
            long unknown = 0;
            for (BulkResult<Integer> r : results) {
                CallRecord call = sim.ledger().call(r.callSid());
                assertThat(call.requestsReceived()).as("never resent: " + r).isEqualTo(1);
                assertThat(r.attempts()).isEqualTo(1);
                assertThat(call.redirectsApplied()).isEqualTo(1); // faults strike after the update is applied
                if (!r.isSuccess()) {
                    unknown++;
                    assertThat(r.outcome()).isEqualTo(BulkResult.Outcome.UNKNOWN);
                    assertThat(((CallFluxException) r.error().orElseThrow()).mayHaveBeenApplied()).isTrue();
                }
            }
            assertThat(unknown).isBetween(200L, 400L); // 30% of 1,000, give or take
        }
    }

    @Test
    void redirectsAreResentOnlyWhenTheCallerOptsIn() {
        List<String> sids = sids(5, 300);
        UpdateCallRequest redirect = UpdateCallRequest.redirect("https://example.com/announcement.xml");
        try (TwilioSimulator sim = TwilioSimulator.builder().fault(Fault.SERVER_ERROR, 0.3).faultsAfterApply(false).seed(3).start();
             CallFluxClient client = client(sim, 20)) {
            List<BulkResult<String>> results = client.updateAll(
                    Flux.fromIterable(sids).map(sid -> BulkCommand.of(sid, redirect, sid)),
                    BulkOptions.builder().maxInFlight(20)
                            .retryPolicy(FAST_RETRIES.mutate().resendWhenOutcomeUnknown(true).build()).build())
                    .collectList().block(TIMEOUT);
            assertThat(results).hasSize(sids.size()).allMatch(BulkResult::isSuccess);
            assertThat(results.stream().filter(r -> r.attempts() > 1).count()).isPositive();
            // Faults strike before applying here, so every call was redirected exactly once.
            assertThat(sids).allSatisfy(sid -> assertThat(sim.ledger().call(sid).redirectsApplied()).isEqualTo(1));
        }
    }

    @Test
    void invalidSidsYieldFailedResultsAndTheBatchGoesOn() {
        List<String> good = sids(6, 50);
        List<String> input = new java.util.ArrayList<>(good);
        input.add(10, "CA-not-a-call");
        input.add(20, "../../Accounts");
        try (TwilioSimulator sim = TwilioSimulator.builder().start(); CallFluxClient client = client(sim, 10)) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(input)).collectList().block(TIMEOUT);
            assertThat(results).hasSize(input.size());
            List<BulkResult<String>> failed = results.stream().filter(r -> !r.isSuccess()).toList();
            assertThat(failed).extracting(BulkResult::callSid).containsExactlyInAnyOrder("CA-not-a-call", "../../Accounts");
            assertThat(failed).allSatisfy(r -> {
                assertThat(r.attempts()).isZero();
                assertThat(r.outcome()).isEqualTo(BulkResult.Outcome.FAILED);
                assertThat(r.error().orElseThrow()).isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("CallSid:");
            });
            assertThat(sim.ledger().totalRequests()).isEqualTo(good.size());
        }
    }

    @Test
    void finalFailuresAreNotRetried() {
        List<String> sids = sids(7, 20);
        try (TwilioSimulator sim = TwilioSimulator.builder().knownCallsOnly(true).start();
             CallFluxClient client = client(sim, 10)) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids),
                    BulkOptions.builder().retryPolicy(FAST_RETRIES).build()).collectList().block(TIMEOUT);
            assertThat(results).hasSize(20).allSatisfy(r -> {
                assertThat(r.httpStatus()).hasValue(404);
                assertThat(r.twilioCode()).hasValue(20404);
                assertThat(r.attempts()).isEqualTo(1);
                assertThat(r.outcome()).isEqualTo(BulkResult.Outcome.FAILED);
            });
            assertThat(sim.ledger().totalRequests()).isEqualTo(20);
        }
    }
}
