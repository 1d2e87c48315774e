package dev.callflux.examples.webflux;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.callflux.core.model.Call;
import dev.callflux.reactor.bulk.BulkResult;
import java.util.OptionalInt;

/**
 * One line of the bulk endpoint's NDJSON output: what became of one SID of the input. Absent values are
 * left out of the line.
 *
 * @param sid        the SID as given (at most 64 characters of it); absent when none could be read
 * @param line       the SID's position in the input, from 1 (NDJSON line or array element)
 * @param outcome    {@code SUCCEEDED}, {@code ALREADY_ENDED} (the call had already ended: Twilio answered 400,
 *                   code 21220, "Call is not in-progress"; nothing left to hang up, the goal is reached, not a
 *                   failure), {@code FAILED} (certainly not applied) or {@code UNKNOWN} (may have been applied: a
 *                   5xx or a timeout after the request was sent, out of retries)
 * @param httpStatus Twilio's HTTP status of the final answer (200 on success, 400 for {@code ALREADY_ENDED})
 * @param twilioCode Twilio's error code of the final answer (21220 for {@code ALREADY_ENDED})
 * @param attempts   requests sent for this SID (0 when refused before sending)
 * @param millis     time from the command's start to its result, retries included
 * @param message    why it failed; for {@code ALREADY_ENDED}, {@link #ALREADY_ENDED_MESSAGE}
 * @param status     the call's status after the update (on success): {@code completed}, ...
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"sid", "line", "outcome", "http_status", "twilio_code", "attempts", "millis", "message", "status"})
record BulkLine(
        String sid,
        Long line,
        String outcome,
        @JsonProperty("http_status") Integer httpStatus,
        @JsonProperty("twilio_code") Integer twilioCode,
        Integer attempts,
        Long millis,
        String message,
        String status) {

    /** The message of an {@code ALREADY_ENDED} line. */
    static final String ALREADY_ENDED_MESSAGE = "the call had already ended: nothing to hang up";

    static BulkLine of(BulkResult<SidInput> result) {
        SidInput input = result.correlation();
        String message = null;
        if (result.outcome() == BulkResult.Outcome.ALREADY_ENDED) {
            // The goal is reached: say so, rather than quote Twilio's refusal as if the hang-up had failed.
            message = ALREADY_ENDED_MESSAGE;
        } else if (!result.isSuccess()) {
            message = input.problem() != null ? input.problem()
                    : result.error().map(Throwable::getMessage).orElse(null);
        }
        return new BulkLine(
                input.sid() == null ? null : UpdateBody.shorten(input.sid()),
                input.line(),
                result.outcome().name(),
                boxed(result.httpStatus()),
                boxed(result.twilioCode()),
                result.attempts(),
                result.elapsed().toMillis(),
                message,
                result.call().map(Call::statusValue).orElse(null));
    }

    /**
     * The last line when the request body itself broke off (malformed JSON, a line over the size limit): the
     * SIDs before it have their results, the rest of the body was not read.
     */
    static BulkLine bodyFailed(String why) {
        return new BulkLine(null, null, BulkResult.Outcome.FAILED.name(), null, null, 0, 0L,
                "request body: " + why + "; the SIDs after this point were not read", null);
    }

    private static Integer boxed(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }
}
