package dev.callflux.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallParameter;
import dev.callflux.core.model.UpdateCallRequest;
import java.util.Map;
import java.util.Objects;

/**
 * The value of a command record, for applications (and {@code callflux enqueue}) that write commands for a
 * {@link CallFluxKafkaWorker}: {@code {"id": …, "callSid": …, "status": "completed"}} and the like. Key the
 * record by the account SID, so that one account's commands, and its adaptive limit, stay in one worker.
 */
public final class CommandRecords {

    private CommandRecords() {
    }

    /**
     * A command for the worker's client's own account (or the record key's).
     *
     * @param commandId the command's id, unique: its result is keyed by it
     * @param callSid   the call, {@code CA} and 32 hex digits
     * @param update    what to do to the call
     * @return the record value, JSON in UTF-8
     * @throws IllegalArgumentException if the id is blank or the call SID malformed (naming the field)
     */
    public static byte[] value(String commandId, String callSid, UpdateCallRequest update) {
        return value(commandId, callSid, null, update, false);
    }

    /**
     * A command.
     *
     * @param commandId  the command's id, unique: its result is keyed by it
     * @param callSid    the call, {@code CA} and 32 hex digits
     * @param accountSid the account whose call it is, or {@code null} for the record key's (else the client's)
     * @param update     what to do to the call
     * @param resend     whether a redirect whose earlier send has an unknown outcome may be sent again after a crash
     * @return the record value, JSON in UTF-8
     * @throws IllegalArgumentException if the id is blank or a SID malformed (naming the field)
     */
    public static byte[] value(String commandId, String callSid, String accountSid, UpdateCallRequest update,
                               boolean resend) {
        Objects.requireNonNull(update, "update");
        if (commandId == null || commandId.isBlank()) {
            throw new IllegalArgumentException("commandId must be a non-empty string");
        }
        if (!CallSid.isValid(callSid)) {
            throw new IllegalArgumentException("callSid must be CA followed by 32 hex digits");
        }
        if (accountSid != null && !AccountSid.isValid(accountSid)) {
            throw new IllegalArgumentException("accountSid must be AC followed by 32 hex digits");
        }
        ObjectNode o = CommandCodec.JSON.createObjectNode();
        o.put("id", commandId);
        o.put("callSid", callSid);
        if (accountSid != null) {
            o.put("accountSid", accountSid);
        }
        for (Map.Entry<UpdateCallParameter, String> p : update.parameters()) {
            String field = CommandCodec.field(p.getKey());
            if (p.getKey() == UpdateCallParameter.TIME_LIMIT) {
                o.put(field, Integer.parseInt(p.getValue()));
            } else {
                o.put(field, p.getValue());
            }
        }
        if (resend) {
            o.put("resend", true);
        }
        return CommandCodec.bytes(o);
    }
}
