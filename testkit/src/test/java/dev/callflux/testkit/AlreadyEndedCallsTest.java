package dev.callflux.testkit;

import static dev.callflux.testkit.SimHttp.newCallSid;
import static dev.callflux.testkit.SimHttp.update;
import static dev.callflux.testkit.TwilioErrorAssert.assertTwilioError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code alreadyEndedFraction}: calls that ended on their own before the hang-up arrived answer 400, code 21220. */
class AlreadyEndedCallsTest {

    static final String HANGUP = "Status=completed";

    @Test
    void withFractionOneEveryFirstHangupIs21220AndNothingIsApplied() {
        try (TwilioSimulator sim = TwilioSimulator.builder().alreadyEndedFraction(1.0).start()) {
            for (int i = 0; i < 20; i++) {
                String sid = newCallSid();
                ZonedDateTime before = ZonedDateTime.now();
                SimHttp.Response r = update(sim, sid, i % 2 == 0 ? HANGUP : "Status=canceled");
                assertTwilioError(r, 400, 21220);
                assertThat(r.message()).isEqualTo("Call is not in-progress. Cannot update.");
                assertTwilioError(update(sim, sid, "Url=https%3A%2F%2Fexample.com%2Fhold.xml"), 400, 21220);

                CallRecord c = sim.ledger().call(sid);
                assertThat(c.exists()).isTrue();
                assertThat(c.accountSid()).isEqualTo(sim.accountSid());
                assertThat(c.status()).isEqualTo(CallStatus.COMPLETED);
                assertThat(c.requestsReceived()).isEqualTo(2);
                assertThat(c.notInProgressAnswers()).isEqualTo(2);
                assertThat(c.updatesApplied()).isZero();
                assertThat(c.hangupsApplied()).isZero();
                assertThat(c.redirectsApplied()).isZero();
                assertThat(c.appliedUpdates()).isEmpty();

                // Ended as if the callee had hung up before the request: end time, duration, price.
                Call call = sim.ledger().entry(sid).call();
                assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
                assertThat(call.startTime()).isNotNull();
                assertThat(call.endTime()).isAfter(call.startTime()).isBefore(before);
                assertThat(call.dateUpdated()).isEqualTo(call.endTime());
                assertThat(call.durationValue()).hasValueSatisfying(d -> assertThat(d).isPositive());
                assertThat(call.priceValue()).hasValueSatisfying(p -> assertThat(p.signum()).isNegative());
            }
            Ledger l = sim.ledger();
            assertThat(l.totalNotInProgressAnswers()).isEqualTo(40);
            assertThat(l.statusCount(400)).isEqualTo(40);
            assertThat(l.statusCount(200)).isZero();
            assertThat(l.totalUpdatesApplied()).isZero();
            assertThat(l.totalHangupsApplied()).isZero();
            assertThat(l.faultCounts()).as("not a fault").isEmpty();
            assertThat(l.toString()).contains("notInProgressAnswers=40");
        }
    }

    @Test
    void withFractionZeroEveryFirstHangupIsApplied() {
        try (TwilioSimulator sim = TwilioSimulator.builder().alreadyEndedFraction(0.0).seed(5).start()) {
            for (int i = 0; i < 50; i++) {
                String sid = newCallSid();
                assertThat(update(sim, sid, HANGUP).status).isEqualTo(200);
                assertThat(sim.ledger().call(sid).hangupsApplied()).isEqualTo(1);
            }
            assertThat(sim.ledger().totalHangupsApplied()).isEqualTo(50);
            assertThat(sim.ledger().totalNotInProgressAnswers()).isZero();
        }
    }

    @Test
    void aFractionOfTheSidsEndOnTheirOwnTheSameOnesForTheSameSeed() {
        Random r = new Random(7);
        List<String> sids = IntStream.range(0, 2_000).mapToObj(i -> FaultInjectionTest.fixedSid(r)).toList();
        List<String> reversed = new ArrayList<>(sids);
        Collections.reverse(reversed);

        Set<String> ended = endedOnTheirOwn(0.3, 42, sids);
        assertThat(ended.size()).as("30 %% of 2,000 (sd about 20)").isBetween(520, 680);
        assertThat(endedOnTheirOwn(0.3, 42, reversed)).as("same seed, same SIDs, any order").isEqualTo(ended);
        List<String> few = sids.subList(0, 300);
        Set<String> endedOfFew = new TreeSet<>(ended);
        endedOfFew.retainAll(few);
        Set<String> otherSeed = endedOnTheirOwn(0.3, 43, few);
        assertThat(otherSeed.size()).isBetween(50, 130);
        assertThat(otherSeed).as("another seed picks other SIDs").isNotEqualTo(endedOfFew);
        Set<String> more = endedOnTheirOwn(0.6, 42, few);
        assertThat(more).as("a larger fraction ends more of the same SIDs").containsAll(endedOfFew);
        assertThat(more.size()).isBetween(140, 220);
    }

    /** Hangs up each SID once on a new simulator; returns the SIDs answered 21220 (and checks the ledger agrees). */
    private static Set<String> endedOnTheirOwn(double fraction, long seed, List<String> sids) {
        Set<String> ended = new TreeSet<>();
        try (TwilioSimulator sim = TwilioSimulator.builder().alreadyEndedFraction(fraction).seed(seed).start()) {
            for (String sid : sids) {
                SimHttp.Response res = update(sim, sid, HANGUP);
                if (res.status == 400) {
                    assertThat(res.code()).isEqualTo(21220L);
                    ended.add(sid);
                } else {
                    assertThat(res.status).isEqualTo(200);
                }
            }
            Ledger l = sim.ledger();
            assertThat(l.totalNotInProgressAnswers()).isEqualTo(ended.size());
            assertThat(l.totalHangupsApplied()).isEqualTo(sids.size() - ended.size());
            assertThat(l.statusCount(400)).isEqualTo(ended.size());
        }
        return ended;
    }

    @Test
    void theSameCallsEndOnTheirOwnAgainAfterClear() {
        Random r = new Random(8);
        List<String> sids = IntStream.range(0, 40).mapToObj(i -> FaultInjectionTest.fixedSid(r)).toList();
        try (TwilioSimulator sim = TwilioSimulator.builder().alreadyEndedFraction(0.5).seed(1).start()) {
            List<Integer> first = sids.stream().map(sid -> update(sim, sid, HANGUP).status).toList();
            assertThat(first).contains(200, 400);
            // Every call has ended now, one way or the other.
            sids.forEach(sid -> assertTwilioError(update(sim, sid, HANGUP), 400, 21220));
            sim.ledger().clear();
            assertThat(sids.stream().map(sid -> update(sim, sid, HANGUP).status).toList()).isEqualTo(first);
        }
    }

    @Test
    void preRegisteredCallsKeepTheirStatus() {
        String live = newCallSid();
        String ringing = newCallSid();
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .call(live, CallStatus.IN_PROGRESS)
                .call(ringing, CallStatus.RINGING)
                .alreadyEndedFraction(1.0)
                .start()) {
            assertThat(update(sim, live, HANGUP).status).isEqualTo(200);
            assertThat(update(sim, ringing, "Status=canceled").status).isEqualTo(200);
            assertThat(sim.ledger().call(ringing).status()).isEqualTo(CallStatus.CANCELED);
            assertThat(sim.ledger().totalHangupsApplied()).isEqualTo(2);
            assertTwilioError(update(sim, newCallSid(), HANGUP), 400, 21220);
        }
    }

    @Test
    void aFaultAfterApplyReplacesThe21220AndTheRefusalIsStillCounted() {
        try (TwilioSimulator sim = TwilioSimulator.builder().alreadyEndedFraction(1.0).fault(Fault.SERVER_ERROR, 1.0)
                .serverErrorStatuses(503).start()) {
            String sid = newCallSid();
            assertTwilioError(update(sim, sid, HANGUP), 503, 20500);
            CallRecord c = sim.ledger().call(sid);
            assertThat(c.notInProgressAnswers()).isEqualTo(1);
            assertThat(c.faultsInjected()).isEqualTo(1);
            assertThat(c.updatesApplied()).isZero();
            assertThat(c.status()).isEqualTo(CallStatus.COMPLETED);
        }
    }

    @Test
    void theFractionIsValidatedAndListed() {
        TwilioSimulator.Builder b = TwilioSimulator.builder();
        assertThatThrownBy(() -> b.alreadyEndedFraction(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alreadyEndedFraction");
        assertThatThrownBy(() -> b.alreadyEndedFraction(1.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alreadyEndedFraction");
        assertThatThrownBy(() -> b.alreadyEndedFraction(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alreadyEndedFraction");
        assertThat(b.alreadyEndedFraction(0.25).toString()).contains("alreadyEndedFraction=0.25");
        // Not a fault fraction: it does not count towards their sum of at most 1.
        try (TwilioSimulator sim = b.alreadyEndedFraction(1.0).fault(Fault.SERVER_ERROR, 1.0).start()) {
            assertThat(sim.isClosed()).isFalse();
        }
    }

    @Test
    void theMainHasAFlagForIt() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (TwilioSimulator sim = TwilioSimulatorMain.start(new String[] {"--already-ended-rate", "1"}, sink, sink)) {
            assertTwilioError(update(sim, newCallSid(), HANGUP), 400, 21220);
        }
        assertThatThrownBy(() -> TwilioSimulatorMain.start(new String[] {"--already-ended-rate", "2"}, sink, sink))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alreadyEndedFraction");
        assertThatThrownBy(() -> TwilioSimulatorMain.start(new String[] {"--already-ended-rate", "x"}, sink, sink))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--already-ended-rate");
        assertThat(TwilioSimulatorMain.USAGE).contains("--already-ended-rate");
    }
}
