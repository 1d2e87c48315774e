package dev.callflux.examples.cli;

import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallStatus;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.core.model.UpdateStatus;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkCommand;
import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;

/** Bulk results for the journal and report tests: made directly, or (already ended) by the library itself. */
final class TestResults {

    private TestResults() {
    }

    static String sid(int i) {
        return dev.callflux.testkit.TestSids.callSid(0x5eed, i);
    }

    static BulkResult<Long> succeeded(String sid) {
        return BulkResult.success(1L, sid, Call.builder().sid(sid).build(), 1, Duration.ofMillis(12));
    }

    static BulkResult<Long> failed(String sid) {
        return BulkResult.failure(1L, sid, new TwilioApiException(404, 20404, "The requested resource was not found",
                null, null, null, null, null), 1, Duration.ofMillis(7));
    }

    static BulkResult<Long> unknown(String sid) {
        return BulkResult.failure(1L, sid, new TwilioApiException(503, null, "Service unavailable",
                null, null, null, null, null), 3, Duration.ofMillis(70));
    }

    /** What the library answers for hang-ups of calls that had already ended: from the simulator, over HTTP. */
    static List<BulkResult<Long>> alreadyEnded(String... sids) {
        TwilioSimulator.Builder b = TwilioSimulator.builder();
        for (String sid : sids) {
            b.call(sid, CallStatus.COMPLETED);
        }
        UpdateCallRequest hangup = UpdateCallRequest.builder().status(UpdateStatus.COMPLETED).build();
        try (TwilioSimulator sim = b.start();
             CallFluxClient client = CallFluxClient.builder()
                     .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                     .baseUrl(sim.baseUrl()).build()) {
            List<BulkResult<Long>> results = client.updateAll(Flux.fromArray(sids).map(s -> BulkCommand.of(s, hangup, 1L)))
                    .collectList().block(Duration.ofSeconds(30));
            if (results == null || results.stream().anyMatch(r -> r.outcome() != BulkResult.Outcome.ALREADY_ENDED)) {
                throw new AssertionError("expected ALREADY_ENDED results: " + results);
            }
            return results;
        }
    }
}
