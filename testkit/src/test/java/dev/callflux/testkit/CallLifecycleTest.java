package dev.callflux.testkit;

import static dev.callflux.testkit.SimHttp.FORM;
import static dev.callflux.testkit.SimHttp.basic;
import static dev.callflux.testkit.SimHttp.newCallSid;
import static dev.callflux.testkit.SimHttp.post;
import static dev.callflux.testkit.SimHttp.send;
import static dev.callflux.testkit.SimHttp.update;
import static dev.callflux.testkit.TwilioErrorAssert.assertTwilioError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.encoding.CallJson;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallStatus;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Steps 8 and 9: the call state machine and the Call JSON. */
class CallLifecycleTest {

    static final String REDIRECT = "Url=https%3A%2F%2Fexample.com%2Fhold.xml";

    @Test
    void hangupAnswersTheCompletedCallAndASecondHangupIs21220() {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            String sid = newCallSid();
            SimHttp.Response r = update(sim, sid, "Status=completed");
            assertThat(r.status).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.header("Twilio-Request-Id")).matches("RQ[0-9a-f]{32}");
            assertThat(r.header("Twilio-Concurrent-Requests")).isEqualTo("1");

            Call call = CallJson.parse(r.body);
            assertThat(call.sid()).isEqualTo(sid);
            assertThat(call.accountSid()).isEqualTo(sim.accountSid());
            assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(call.endTime()).isNotNull();
            assertThat(call.startTime()).isNotNull().isBefore(call.endTime());
            assertThat(call.dateCreated()).isBefore(call.startTime());
            assertThat(call.durationValue()).hasValueSatisfying(d -> assertThat(d).isPositive());
            assertThat(call.priceValue()).hasValueSatisfying(p -> assertThat(p.signum()).isNegative());
            assertThat(call.priceUnit()).isEqualTo("USD");

            CallRecord c = sim.ledger().call(sid);
            assertThat(c.hangupsApplied()).isEqualTo(1);
            assertThat(c.updatesApplied()).isEqualTo(1);
            assertThat(c.redirectsApplied()).isZero();
            assertThat(c.requestsReceived()).isEqualTo(1);
            assertThat(c.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(c.appliedUpdates()).containsExactly(Map.of("Status", "completed"));

            assertThat(c.notInProgressAnswers()).isZero();

            // As on Twilio, hanging up a call that has ended is refused, and not applied.
            SimHttp.Response again = update(sim, sid, "Status=completed");
            assertTwilioError(again, 400, 21220);
            assertThat(again.message()).isEqualTo("Call is not in-progress. Cannot update.");
            assertThat(again.header("Twilio-Concurrent-Requests")).isEqualTo("1");

            c = sim.ledger().call(sid);
            assertThat(c.hangupsApplied()).isEqualTo(1);
            assertThat(c.updatesApplied()).isEqualTo(1);
            assertThat(c.appliedUpdates()).containsExactly(Map.of("Status", "completed"));
            assertThat(c.notInProgressAnswers()).isEqualTo(1);
            assertThat(c.requestsReceived()).isEqualTo(2);
            assertThat(c.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(sim.ledger().totalHangupsApplied()).isEqualTo(1);
            assertThat(sim.ledger().totalUpdatesApplied()).isEqualTo(1);
            assertThat(sim.ledger().totalNotInProgressAnswers()).isEqualTo(1);
            assertThat(sim.ledger().statusCounts()).containsExactly(Map.entry(200, 1L), Map.entry(400, 1L));
            // The call is as the first hang-up left it.
            Call after = sim.ledger().entry(sid).call();
            assertThat(after.endTime()).isEqualTo(call.endTime());
            assertThat(after.duration()).isEqualTo(call.duration());
            assertThat(after.price()).isEqualTo(call.price());
        }
    }

    @Test
    void callJsonIsRealistic() {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            String sid = newCallSid();
            SimHttp.Response r = update(sim, sid, "StatusCallback=https%3A%2F%2Fexample.com%2Fcb");
            Call call = CallJson.parse(r.body);
            String uri = "/2010-04-01/Accounts/" + sim.accountSid() + "/Calls/" + sid + ".json";
            assertThat(call.sid()).isEqualTo(sid);
            assertThat(call.status()).isEqualTo(CallStatus.IN_PROGRESS);
            assertThat(call.direction()).isEqualTo("outbound-api");
            assertThat(call.apiVersion()).isEqualTo("2010-04-01");
            assertThat(call.uri()).isEqualTo(uri);
            assertThat(call.from()).matches("\\+1415555\\d{4}");
            assertThat(call.to()).matches("\\+1\\d{3}555\\d{4}");
            assertThat(call.fromFormatted()).matches("\\(415\\) 555-\\d{4}");
            assertThat(call.phoneNumberSid()).matches("PN[0-9a-f]{32}");
            assertThat(call.price()).isNull();
            assertThat(call.duration()).isNull();
            assertThat(call.endTime()).isNull();
            assertThat(call.startTime()).isNotNull();
            assertThat(call.dateUpdated()).isAfterOrEqualTo(call.dateCreated());
            assertThat(call.dateCreated()).isBefore(ZonedDateTime.now().plusSeconds(1));
            assertThat(call.subresourceUris()).containsOnlyKeys("notifications", "recordings", "payments", "events",
                    "siprec", "streams", "transcriptions", "user_defined_message_subscriptions", "user_defined_messages");
            assertThat(call.subresourceUris().get("recordings"))
                    .isEqualTo("/2010-04-01/Accounts/" + sim.accountSid() + "/Calls/" + sid + "/Recordings.json");
            // Same SID, same numbers.
            Call again = CallJson.parse(update(sim, sid, "TimeLimit=60").body);
            assertThat(again.from()).isEqualTo(call.from());
            assertThat(again.to()).isEqualTo(call.to());
            // All 26 schema properties are present (nulls included), as Twilio sends them.
            assertThat(SimHttp.parseFlat(r.body).keySet()).contains("answered_by", "caller_name", "forwarded_from",
                    "group_sid", "parent_call_sid", "trunk_sid", "queue_time");
        }
    }

    @Test
    void redirectOfALiveCallIsCountedAndOfAnEndedCallIs21220() {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            String sid = newCallSid();
            SimHttp.Response r = update(sim, sid, REDIRECT + "&Method=GET");
            assertThat(r.status).isEqualTo(200);
            assertThat(CallJson.parse(r.body).status()).isEqualTo(CallStatus.IN_PROGRESS);
            assertThat(update(sim, sid, "Twiml=%3CResponse%2F%3E").status).isEqualTo(200);
            assertThat(sim.ledger().call(sid).redirectsApplied()).isEqualTo(2);

            assertThat(update(sim, sid, "Status=completed").status).isEqualTo(200);
            SimHttp.Response late = update(sim, sid, REDIRECT);
            assertTwilioError(late, 400, 21220);
            assertThat(late.message()).isEqualTo("Call is not in-progress. Cannot redirect.");
            SimHttp.Response lateTwiml = update(sim, sid, "Twiml=%3CResponse%2F%3E");
            assertTwilioError(lateTwiml, 400, 21220);

            // With a Status, the message is the one of an update.
            SimHttp.Response lateBoth = update(sim, sid, REDIRECT + "&Status=completed");
            assertTwilioError(lateBoth, 400, 21220);
            assertThat(lateBoth.message()).isEqualTo("Call is not in-progress. Cannot update.");

            CallRecord c = sim.ledger().call(sid);
            assertThat(c.redirectsApplied()).isEqualTo(2);
            assertThat(c.hangupsApplied()).isEqualTo(1);
            assertThat(c.updatesApplied()).isEqualTo(3);
            assertThat(c.appliedUpdates()).hasSize(3);
            assertThat(c.notInProgressAnswers()).isEqualTo(3);
            assertThat(c.requestsReceived()).isEqualTo(6);
            assertThat(c.status()).isEqualTo(CallStatus.COMPLETED);
        }
    }

    @Test
    void hangupWithRedirectEndsTheCallWithoutCountingARedirect() {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            String sid = newCallSid();
            SimHttp.Response r = update(sim, sid, REDIRECT + "&Status=completed");
            assertThat(CallJson.parse(r.body).status()).isEqualTo(CallStatus.COMPLETED);
            CallRecord c = sim.ledger().call(sid);
            assertThat(c.hangupsApplied()).isEqualTo(1);
            assertThat(c.redirectsApplied()).isZero();
        }
    }

    @Test
    void cancelEndsOnlyQueuedOrRingingCalls() {
        String ringing = newCallSid();
        String queued = newCallSid();
        String queuedToComplete = newCallSid();
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .call(ringing, CallStatus.RINGING)
                .call(queued, CallStatus.QUEUED)
                .call(queuedToComplete, CallStatus.QUEUED)
                .start()) {
            String live = newCallSid();
            SimHttp.Response r = update(sim, live, "Status=canceled");
            assertThat(r.status).isEqualTo(200);
            assertThat(CallJson.parse(r.body).status()).isEqualTo(CallStatus.IN_PROGRESS);
            assertThat(sim.ledger().call(live).hangupsApplied()).isZero();
            assertThat(sim.ledger().call(live).updatesApplied()).isEqualTo(1);

            Call canceled = CallJson.parse(update(sim, ringing, "Status=canceled").body);
            assertThat(canceled.status()).isEqualTo(CallStatus.CANCELED);
            assertThat(canceled.endTime()).isNotNull();
            assertThat(sim.ledger().call(ringing).hangupsApplied()).isEqualTo(1);
            // Canceling again, or completing, is refused as on Twilio: the call has ended.
            SimHttp.Response cancelAgain = update(sim, ringing, "Status=canceled");
            assertTwilioError(cancelAgain, 400, 21220);
            assertThat(cancelAgain.message()).isEqualTo("Call is not in-progress. Cannot update.");
            assertTwilioError(update(sim, ringing, "Status=completed"), 400, 21220);
            CallRecord r2 = sim.ledger().call(ringing);
            assertThat(r2.status()).isEqualTo(CallStatus.CANCELED);
            assertThat(r2.hangupsApplied()).isEqualTo(1);
            assertThat(r2.updatesApplied()).isEqualTo(1);
            assertThat(r2.notInProgressAnswers()).isEqualTo(2);
            assertThat(r2.requestsReceived()).isEqualTo(3);

            Call queuedCanceled = CallJson.parse(update(sim, queued, "Status=canceled").body);
            assertThat(queuedCanceled.status()).isEqualTo(CallStatus.CANCELED);
            assertThat(queuedCanceled.startTime()).isNull();

            Call completed = CallJson.parse(update(sim, queuedToComplete, "Status=completed").body);
            assertThat(completed.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(completed.duration()).isEqualTo("0");
            assertThat(sim.ledger().call(queuedToComplete).hangupsApplied()).isEqualTo(1);
            // A cancel of a completed call is refused too.
            assertTwilioError(update(sim, queuedToComplete, "Status=canceled"), 400, 21220);
            assertThat(sim.ledger().call(queuedToComplete).status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(sim.ledger().call(queuedToComplete).notInProgressAnswers()).isEqualTo(1);
            // The cancel of the call in progress had no effect, and it can still be hung up.
            assertThat(update(sim, live, "Status=completed").status).isEqualTo(200);
            assertThat(sim.ledger().call(live).hangupsApplied()).isEqualTo(1);
            assertThat(sim.ledger().call(live).notInProgressAnswers()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = CallStatus.class, names = {"COMPLETED", "CANCELED", "FAILED", "BUSY", "NO_ANSWER"})
    void preRegisteredEndedCallRefusesEveryUpdateWith21220(CallStatus ended) {
        String done = newCallSid();
        try (TwilioSimulator sim = TwilioSimulator.builder().call(done, ended).start()) {
            assertThat(sim.ledger().call(done).status()).isEqualTo(ended);
            assertThat(sim.ledger().call(done).requestsReceived()).isZero();
            assertThat(sim.ledger().callSids()).containsExactly(done);
            SimHttp.Response redirect = update(sim, done, REDIRECT);
            assertTwilioError(redirect, 400, 21220);
            assertThat(redirect.message()).isEqualTo("Call is not in-progress. Cannot redirect.");
            for (String body : new String[] {"Status=completed", "Status=canceled", "Twiml=%3CResponse%2F%3E",
                "TimeLimit=60"}) {
                SimHttp.Response r = update(sim, done, body);
                assertTwilioError(r, 400, 21220);
                assertThat(r.message()).as(body).startsWith("Call is not in-progress. Cannot ");
            }
            CallRecord c = sim.ledger().call(done);
            assertThat(c.status()).isEqualTo(ended);
            assertThat(c.hangupsApplied()).isZero();
            assertThat(c.redirectsApplied()).isZero();
            assertThat(c.updatesApplied()).isZero();
            assertThat(c.appliedUpdates()).isEmpty();
            assertThat(c.notInProgressAnswers()).isEqualTo(5);
            assertThat(c.requestsReceived()).isEqualTo(5);
            assertThat(sim.ledger().statusCounts()).containsExactly(Map.entry(400, 5L));
        }
    }

    @Test
    void callsCreatedOnFirstSightWithAnEndedInitialStatusRefuseTheirFirstUpdate() {
        try (TwilioSimulator sim = TwilioSimulator.builder().initialStatus(CallStatus.NO_ANSWER).start()) {
            String sid = newCallSid();
            assertTwilioError(update(sim, sid, "Status=completed"), 400, 21220);
            CallRecord c = sim.ledger().call(sid);
            assertThat(c.exists()).isTrue();
            assertThat(c.status()).isEqualTo(CallStatus.NO_ANSWER);
            assertThat(c.notInProgressAnswers()).isEqualTo(1);
            assertThat(c.updatesApplied()).isZero();
        }
    }

    @Test
    void initialStatusAppliesToCallsCreatedOnFirstSight() {
        try (TwilioSimulator sim = TwilioSimulator.builder().initialStatus(CallStatus.RINGING).start()) {
            String sid = newCallSid();
            assertThat(CallJson.parse(update(sim, sid, "Status=canceled").body).status()).isEqualTo(CallStatus.CANCELED);
            assertThat(sim.ledger().call(sid).hangupsApplied()).isEqualTo(1);
        }
    }

    @Test
    void knownCallsOnlyAnswers404ForOtherSids() {
        String known = newCallSid();
        String otherAccount = SimHttp.newAccountSid();
        String otherCall = newCallSid();
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .account(SimHttp.newAccountSid(), "t1")
                .account(otherAccount, "t2")
                .knownCallsOnly(true)
                .call(known, CallStatus.IN_PROGRESS)
                .call(otherAccount, otherCall, CallStatus.IN_PROGRESS)
                .start()) {
            String unknown = newCallSid();
            SimHttp.Response r = update(sim, unknown, "Status=completed");
            assertTwilioError(r, 404, 20404);
            assertThat(r.message()).contains(unknown);
            assertThat(sim.ledger().call(unknown).exists()).isFalse();
            assertThat(sim.ledger().call(unknown).requestsReceived()).isEqualTo(1);

            assertThat(update(sim, known, "Status=completed").status).isEqualTo(200);
            assertThat(sim.ledger().call(known).accountSid()).isEqualTo(sim.accountSid());

            // A call belongs to one account: another account's path does not find it.
            assertTwilioError(update(sim, otherCall, "Status=completed"), 404, 20404);
            SimHttp.Response own = send(post(sim, otherAccount, otherCall, basic(otherAccount, "t2"), FORM, "Status=completed"));
            assertThat(own.status).isEqualTo(200);
        }
    }

    @Test
    void callCreatedOnFirstSightBelongsToItsAccount() {
        String a2 = SimHttp.newAccountSid();
        try (TwilioSimulator sim = TwilioSimulator.builder().account(SimHttp.newAccountSid(), "t1").account(a2, "t2").start()) {
            String sid = newCallSid();
            assertThat(update(sim, sid, "TimeLimit=10").status).isEqualTo(200);
            assertTwilioError(send(post(sim, a2, sid, basic(a2, "t2"), FORM, "Status=completed")), 404, 20404);
            assertThat(sim.ledger().call(sid).hangupsApplied()).isZero();
        }
    }

    @Test
    void concurrentHangupsOfOneCallApplyExactlyOnceAndTheOthersAre21220() {
        try (TwilioSimulator sim = TwilioSimulator.builder().latency(Duration.ofMillis(20)).start()) {
            String sid = newCallSid();
            var futures = java.util.stream.IntStream.range(0, 16)
                    .mapToObj(i -> SimHttp.updateAsync(sim, sid, "Status=completed")).toList();
            List<SimHttp.Response> responses = futures.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertThat(responses).filteredOn(r -> r.status == 200).hasSize(1);
            responses.stream().filter(r -> r.status != 200).forEach(r -> assertTwilioError(r, 400, 21220));
            CallRecord c = sim.ledger().call(sid);
            assertThat(c.hangupsApplied()).isEqualTo(1);
            assertThat(c.updatesApplied()).isEqualTo(1);
            assertThat(c.appliedUpdates()).hasSize(1);
            assertThat(c.notInProgressAnswers()).isEqualTo(15);
            assertThat(c.requestsReceived()).isEqualTo(16);
        }
    }
}
