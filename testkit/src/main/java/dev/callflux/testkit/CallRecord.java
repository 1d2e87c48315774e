package dev.callflux.testkit;

import dev.callflux.core.model.CallStatus;
import java.util.List;
import java.util.Map;

/**
 * What the simulator knows about one call SID at one moment: an immutable snapshot taken by
 * {@link Ledger#call(String)}.
 *
 * @param callSid          the call's SID
 * @param accountSid       the account that owns the call, or {@code null} while the simulator has no such call
 * @param requestsReceived requests received for this SID with a well-formed path, whatever their outcome
 *                         (401, 400, 429, 5xx, resets included)
 * @param updatesApplied   updates that reached the call's state machine and were accepted, including those
 *                         that changed nothing (a second hang-up, a cancel of a call in progress) and those
 *                         whose answer was then replaced by an injected fault
 * @param hangupsApplied   transitions into an ended status caused by an update: at most 1 per call
 * @param redirectsApplied updates with {@code Url} or {@code Twiml} applied to a live call
 * @param status           the call's current status; {@link CallStatus#UNKNOWN} while the simulator has no
 *                         such call (never requested, or refused because of {@code knownCallsOnly})
 * @param appliedUpdates   the decoded forms of the applied updates, in order, each in the order of its body
 */
public record CallRecord(
        String callSid,
        String accountSid,
        int requestsReceived,
        int updatesApplied,
        int hangupsApplied,
        int redirectsApplied,
        CallStatus status,
        List<Map<String, String>> appliedUpdates) {

    /** Copies {@code appliedUpdates}, so the record stays immutable. */
    public CallRecord {
        appliedUpdates = List.copyOf(appliedUpdates);
    }

    /** Whether the simulator has this call (it was pre-registered or an update created it). */
    public boolean exists() {
        return status != CallStatus.UNKNOWN;
    }
}
