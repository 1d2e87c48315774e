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
 *                         that changed nothing (a cancel of a call in progress, a {@code TimeLimit} alone) and
 *                         those whose answer was then replaced by an injected fault; never an update refused
 *                         because the call had ended (see {@code notInProgressAnswers})
 * @param hangupsApplied   transitions into an ended status caused by an update: at most 1 per call; 0 for a
 *                         call that ended on its own or was pre-registered as ended
 * @param redirectsApplied updates with {@code Url} or {@code Twiml} applied to a live call
 * @param status           the call's current status; {@link CallStatus#UNKNOWN} while the simulator has no
 *                         such call (never requested, or refused because of {@code knownCallsOnly})
 * @param appliedUpdates   the decoded forms of the applied updates, in order, each in the order of its body
 * @param rateLimitedAnswers requests for this SID answered 429 (the concurrency limit or
 *                         {@code rateLimitedFraction}): never applied, and the client can tell. The other
 *                         {@code requestsReceived - rateLimitedAnswers} requests got past that gate, so a
 *                         client that saw them fail cannot know whether they were applied.
 * @param faultsInjected   requests for this SID that met an injected fault ({@link Fault}: a 5xx, a reset, a
 *                         broken or foreign answer, no answer, a slow answer, a refusal while paused)
 * @param notInProgressAnswers updates that reached the call's state machine when the call had already ended
 *                         (hung up, canceled, ended on its own or pre-registered as ended) and were refused with
 *                         400, code 21220 ("Call is not in-progress"), as Twilio refuses them: hang-ups,
 *                         cancels and redirects alike. Never applied: not in {@code updatesApplied},
 *                         {@code hangupsApplied}, {@code redirectsApplied} or {@code appliedUpdates}, but in
 *                         {@code requestsReceived}. Counted also when the answer was then replaced by an injected
 *                         fault (see {@link TwilioSimulator.Builder#faultsAfterApply(boolean)}).
 */
public record CallRecord(
        String callSid,
        String accountSid,
        int requestsReceived,
        int updatesApplied,
        int hangupsApplied,
        int redirectsApplied,
        CallStatus status,
        List<Map<String, String>> appliedUpdates,
        int rateLimitedAnswers,
        int faultsInjected,
        int notInProgressAnswers) {

    /**
     * Copies {@code appliedUpdates}, so the record stays immutable.
     *
     * @param callSid            the call's SID
     * @param accountSid         the owning account, or {@code null} while the simulator has no such call
     * @param requestsReceived   requests for this SID with a well-formed path, whatever their outcome
     * @param updatesApplied     updates accepted by the call's state machine, no-ops included
     * @param hangupsApplied     transitions into an ended status caused by an update: 0 or 1
     * @param redirectsApplied   updates with {@code Url} or {@code Twiml} applied to a live call
     * @param status             the current status; {@link CallStatus#UNKNOWN} while the simulator has no such call
     * @param appliedUpdates     the decoded forms of the applied updates, in order; copied, must not be {@code null}
     * @param rateLimitedAnswers requests for this SID answered 429
     * @param faultsInjected     requests for this SID that met an injected {@link Fault}
     * @param notInProgressAnswers updates refused with 400, code 21220, because the call had ended
     */
    public CallRecord {
        appliedUpdates = List.copyOf(appliedUpdates);
    }

    /**
     * A record without updates refused because the call had ended (the constructor of earlier versions).
     *
     * @param callSid            the call's SID
     * @param accountSid         the owning account, or {@code null} while the simulator has no such call
     * @param requestsReceived   requests for this SID with a well-formed path, whatever their outcome
     * @param updatesApplied     updates accepted by the call's state machine, no-ops included
     * @param hangupsApplied     transitions into an ended status caused by an update: 0 or 1
     * @param redirectsApplied   updates with {@code Url} or {@code Twiml} applied to a live call
     * @param status             the current status; {@link CallStatus#UNKNOWN} while the simulator has no such call
     * @param appliedUpdates     the decoded forms of the applied updates, in order; copied, must not be {@code null}
     * @param rateLimitedAnswers requests for this SID answered 429
     * @param faultsInjected     requests for this SID that met an injected {@link Fault}
     */
    public CallRecord(String callSid, String accountSid, int requestsReceived, int updatesApplied, int hangupsApplied,
            int redirectsApplied, CallStatus status, List<Map<String, String>> appliedUpdates, int rateLimitedAnswers,
            int faultsInjected) {
        this(callSid, accountSid, requestsReceived, updatesApplied, hangupsApplied, redirectsApplied, status,
                appliedUpdates, rateLimitedAnswers, faultsInjected, 0);
    }

    /**
     * A record without 429 answers or injected faults (the constructor of earlier versions).
     *
     * @param callSid          the call's SID
     * @param accountSid       the owning account, or {@code null} while the simulator has no such call
     * @param requestsReceived requests for this SID with a well-formed path, whatever their outcome
     * @param updatesApplied   updates accepted by the call's state machine, no-ops included
     * @param hangupsApplied   transitions into an ended status caused by an update: 0 or 1
     * @param redirectsApplied updates with {@code Url} or {@code Twiml} applied to a live call
     * @param status           the current status; {@link CallStatus#UNKNOWN} while the simulator has no such call
     * @param appliedUpdates   the decoded forms of the applied updates, in order; copied, must not be {@code null}
     */
    public CallRecord(String callSid, String accountSid, int requestsReceived, int updatesApplied, int hangupsApplied,
            int redirectsApplied, CallStatus status, List<Map<String, String>> appliedUpdates) {
        this(callSid, accountSid, requestsReceived, updatesApplied, hangupsApplied, redirectsApplied, status,
                appliedUpdates, 0, 0, 0);
    }

    /**
     * Requests that got past the 429 gate ({@code requestsReceived - rateLimitedAnswers}): each of them may
     * have been applied as far as a client that saw it fail can tell. A client that never resends an update
     * whose outcome is unknown has at most one such request per call.
     *
     * @return {@code requestsReceived - rateLimitedAnswers}
     */
    public int requestsPastRateLimit() {
        return requestsReceived - rateLimitedAnswers;
    }

    /**
     * Whether the simulator has this call (it was pre-registered or an update created it).
     *
     * @return {@code false} exactly when {@link #status()} is {@link CallStatus#UNKNOWN}
     */
    public boolean exists() {
        return status != CallStatus.UNKNOWN;
    }
}
