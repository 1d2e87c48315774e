package dev.callflux.kafka;

import dev.callflux.reactor.bulk.BulkResult;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A result record of a {@link CallFluxKafkaWorker}, read back: the one final result of a command (keyed by its
 * id in the results topic; a later record of the same id replaces an earlier one).
 *
 * @param commandId the command's id
 * @param callSid   the call, or {@code null} if the command record had none readable
 * @param outcome   what became of the command
 * @param httpStatus Twilio's HTTP status, if it answered
 * @param twilioCode Twilio's error code, if it gave one
 * @param attempts  requests sent ({@code 0}: never sent)
 * @param callStatus the Call's status after the update, if it succeeded
 * @param stillLive  the update succeeded and was to end the call, and the call is still live: a cancel that
 *                   reached an answered call (see {@link dev.callflux.core.model.UpdateCallRequest#leftLive})
 * @param field     the field of the command record that was refused, if it was
 * @param error     what went wrong, for a person, if anything did
 * @param topic     the commands topic of the record it answers
 * @param partition its partition
 * @param offset    its offset
 */
public record ResultRecord(String commandId, String callSid, BulkResult.Outcome outcome, OptionalInt httpStatus,
                           OptionalInt twilioCode, int attempts, Optional<String> callStatus, boolean stillLive, Optional<String> field,
                           Optional<String> error, String topic, int partition, long offset) {

    /**
     * Reads a result record's value.
     *
     * @param value the record value, as the worker wrote it
     * @return the result
     * @throws IllegalArgumentException if it is not a result record
     */
    public static ResultRecord parse(byte[] value) {
        return CommandCodec.parseResult(value);
    }
}
