package dev.callflux.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallParameter;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.bulk.BulkResult;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The wire formats of the worker's topics: command records in, result and intent records out. Reading a
 * command never throws: whatever is wrong with a record becomes a {@link ParsedCommand#invalid} naming the field.
 */
final class CommandCodec {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The fields a command may have; anything else is refused by name. */
    static final Set<String> FIELDS = Set.of("id", "callSid", "accountSid", "status", "url", "method", "twiml",
            "fallbackUrl", "fallbackMethod", "statusCallback", "statusCallbackMethod", "timeLimit", "resend");

    /** The outcome written for a command that was never sent because its record could not be read. */
    static final String FAILED = BulkResult.Outcome.FAILED.name();

    private CommandCodec() {
    }

    /**
     * Reads one command record.
     *
     * @param key   the record's key (the account SID), possibly {@code null}
     * @param value the record's value, possibly {@code null}
     */
    static ParsedCommand parse(String topic, int partition, long offset, byte[] key, byte[] value) {
        Coordinates fallback = new Coordinates(topic, partition, offset, Coordinates.fallbackId(topic, partition, offset), null);
        if (value == null) {
            return ParsedCommand.invalid(fallback, null, "value", "must be a JSON object, not empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (java.io.IOException e) {
            return ParsedCommand.invalid(fallback, null, "value", "must be a JSON object (unreadable JSON)");
        }
        if (root == null || !root.isObject()) {
            return ParsedCommand.invalid(fallback, null, "value", "must be a JSON object");
        }
        JsonNode idNode = root.get("id");
        Coordinates at = fallback;
        if (idNode != null && idNode.isTextual() && !idNode.asText().isBlank()) {
            at = new Coordinates(topic, partition, offset, idNode.asText(), null);
        } else if (idNode != null && idNode.isIntegralNumber()) {
            at = new Coordinates(topic, partition, offset, idNode.asText(), null);
        } else {
            return ParsedCommand.invalid(fallback, text(root, "callSid"), "id", "is required: a non-empty string");
        }
        String callSid = text(root, "callSid");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return ParsedCommand.invalid(at, callSid, name, "is not a field of a command");
            }
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode v = root.get(name);
            boolean ok = switch (name) {
                case "timeLimit" -> v.isIntegralNumber();
                case "resend" -> v.isBoolean();
                case "id" -> true;
                default -> v.isTextual();
            };
            if (!ok) {
                return ParsedCommand.invalid(at, callSid, name, "has the wrong JSON type");
            }
        }
        if (callSid == null) {
            return ParsedCommand.invalid(at, null, "callSid", "is required");
        }
        if (!CallSid.isValid(callSid)) {
            return ParsedCommand.invalid(at, callSid, "callSid", "must be CA followed by 32 hex digits");
        }
        AccountSid account = null;
        String accountText = text(root, "accountSid");
        if (accountText != null) {
            if (!AccountSid.isValid(accountText)) {
                return ParsedCommand.invalid(at, callSid, "accountSid", "must be AC followed by 32 hex digits");
            }
            account = AccountSid.of(accountText);
        } else if (key != null) {
            String keyText = new String(key, StandardCharsets.UTF_8);
            if (!AccountSid.isValid(keyText)) {
                return ParsedCommand.invalid(at, callSid, "key", "must be the account SID: AC followed by 32 hex digits");
            }
            account = AccountSid.of(keyText);
        }
        UpdateCallRequest request;
        try {
            UpdateCallRequest.Builder b = UpdateCallRequest.builder();
            if (root.has("status")) {
                b.status(root.get("status").asText());
            }
            if (root.has("url")) {
                b.url(root.get("url").asText());
            }
            if (root.has("method")) {
                b.method(root.get("method").asText());
            }
            if (root.has("twiml")) {
                b.twiml(root.get("twiml").asText());
            }
            if (root.has("fallbackUrl")) {
                b.fallbackUrl(root.get("fallbackUrl").asText());
            }
            if (root.has("fallbackMethod")) {
                b.fallbackMethod(root.get("fallbackMethod").asText());
            }
            if (root.has("statusCallback")) {
                b.statusCallback(root.get("statusCallback").asText());
            }
            if (root.has("statusCallbackMethod")) {
                b.statusCallbackMethod(root.get("statusCallbackMethod").asText());
            }
            if (root.has("timeLimit")) {
                b.timeLimit(root.get("timeLimit").asInt());
            }
            request = b.build();
        } catch (InvalidRequestException e) {
            return ParsedCommand.invalid(at, callSid, e.field(), e.rule());
        } catch (IllegalArgumentException e) {
            return ParsedCommand.invalid(at, callSid, "value", "is not a valid update");
        }
        boolean resend = root.has("resend") && root.get("resend").asBoolean();
        Coordinates coordinates = new Coordinates(topic, partition, offset, at.commandId(), request);
        return ParsedCommand.valid(coordinates, callSid, account, request, resend);
    }

    /** A parameter's field in a command record: its wire name with a lower-case first letter ({@code statusCallback}). */
    static String field(UpdateCallParameter p) {
        String wire = p.wireName();
        return Character.toLowerCase(wire.charAt(0)) + wire.substring(1);
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** The result record of a command refused before sending. */
    static byte[] refused(ParsedCommand c) {
        ObjectNode o = base(c.at(), c.callSid());
        o.put("outcome", FAILED);
        o.put("attempts", 0);
        o.put("field", c.field());
        o.put("error", c.field() + " " + c.rule());
        return bytes(o);
    }

    /** The result record of a redirect found with an intent but no result: it may have been applied. */
    static byte[] inDoubt(ParsedCommand c) {
        ObjectNode o = base(c.at(), c.callSid());
        o.put("outcome", BulkResult.Outcome.UNKNOWN.name());
        o.put("attempts", 0);
        o.put("error", "may have been applied: an earlier worker recorded the intent to send this redirect and"
                + " left no result (set \"resend\": true on the command to send it again)");
        return bytes(o);
    }

    /** The result record of a command the bulk run finished. */
    static byte[] result(BulkResult<Coordinates> r) {
        ObjectNode o = base(r.correlation(), r.callSid());
        o.put("outcome", r.outcome().name());
        r.httpStatus().ifPresent(s -> o.put("httpStatus", s));
        r.twilioCode().ifPresent(s -> o.put("twilioCode", s));
        o.put("attempts", r.attempts());
        r.call().ifPresent(call -> {
            o.put("callStatus", call.status().value());
            UpdateCallRequest request = r.correlation().request();
            if (request != null && request.leftLive(call)) {
                o.put("stillLive", true);
            }
        });
        r.error().ifPresent(e -> {
            if (e instanceof InvalidRequestException ire) {
                o.put("field", ire.field());
            }
            // CallFlux's messages never carry credentials (SecretsInMessagesTest); others get their type only.
            o.put("error", e instanceof CallFluxException || e instanceof TwilioApiException
                    ? String.valueOf(e.getMessage()) : e.getClass().getSimpleName());
        });
        return bytes(o);
    }

    /** The intent record written, and acknowledged, before a redirect is sent. */
    static byte[] intent(Coordinates at) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", at.commandId());
        o.put("state", "SENDING");
        o.put("topic", at.topic());
        o.put("partition", at.partition());
        o.put("offset", at.offset());
        return bytes(o);
    }

    /** The intent record that replaces a redirect's intent once its result is known: it carries the result. */
    static byte[] done(Coordinates at, byte[] result) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", at.commandId());
        o.put("state", "DONE");
        try {
            o.set("result", JSON.readTree(result));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read a result record just written", e);
        }
        return bytes(o);
    }

    /**
     * What an intent record says: {@code null} for none, else the stored result ({@code DONE}) or an empty array
     * ({@code SENDING}: sent, or about to be, with no result recorded).
     */
    static byte[] storedResult(byte[] intent) {
        try {
            JsonNode n = JSON.readTree(intent);
            if (n != null && "DONE".equals(n.path("state").asText()) && n.has("result")) {
                return JSON.writeValueAsBytes(n.get("result"));
            }
        } catch (java.io.IOException e) {
            // an unreadable intent is treated as SENDING: the redirect may have been sent
        }
        return new byte[0];
    }

    /** Reads back a record written by {@link #result}, {@link #refused} or {@link #inDoubt}. */
    static ResultRecord parseResult(byte[] value) {
        JsonNode n;
        try {
            n = value == null ? null : JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a result record: unreadable JSON");
        }
        if (n == null || !n.isObject() || !n.path("id").isTextual() || !n.path("outcome").isTextual()) {
            throw new IllegalArgumentException("not a result record: id and outcome are required");
        }
        BulkResult.Outcome outcome;
        try {
            outcome = BulkResult.Outcome.valueOf(n.get("outcome").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a result record: outcome must be one of "
                    + java.util.Arrays.toString(BulkResult.Outcome.values()));
        }
        return new ResultRecord(n.get("id").asText(), text(n, "callSid"), outcome, optionalInt(n, "httpStatus"),
                optionalInt(n, "twilioCode"), n.path("attempts").asInt(0), Optional.ofNullable(text(n, "callStatus")),
                n.path("stillLive").asBoolean(false),
                Optional.ofNullable(text(n, "field")), Optional.ofNullable(text(n, "error")), text(n, "topic"),
                n.path("partition").asInt(-1), n.path("offset").asLong(-1));
    }

    private static OptionalInt optionalInt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isIntegralNumber() ? OptionalInt.of(v.asInt()) : OptionalInt.empty();
    }

    private static ObjectNode base(Coordinates at, String callSid) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", at.commandId());
        if (callSid != null) {
            o.put("callSid", callSid);
        }
        o.put("topic", at.topic());
        o.put("partition", at.partition());
        o.put("offset", at.offset());
        return o;
    }

    static byte[] bytes(ObjectNode o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}
