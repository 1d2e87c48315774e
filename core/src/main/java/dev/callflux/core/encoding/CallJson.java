package dev.callflux.core.encoding;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.callflux.core.model.Call;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes the Call resource's JSON with Jackson's streaming parser: no reflection, no object
 * mapper, nothing loaded beyond what one pass over the bytes needs. Unknown properties are skipped;
 * {@code null}s and missing properties are fine.
 */
public final class CallJson {

    /** Twilio's RFC 2822 dates: {@code "Tue, 31 Aug 2010 20:36:28 +0000"}. */
    static final DateTimeFormatter RFC_2822_OUT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    static final JsonFactory JSON = new JsonFactory();

    private CallJson() {
    }

    /**
     * Parses a Call.
     *
     * @throws IllegalArgumentException if {@code json} is not a JSON object or a property has the wrong type;
     *         the message names the property, never echoes the body
     */
    public static Call parse(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            return read(p);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON", e);
        }
    }

    /** Parses a Call from text. See {@link #parse(byte[])}. */
    public static Call parse(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            return read(p);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON", e);
        }
    }

    /**
     * Says where the JSON broke, not what it said there: Jackson's own message quotes the offending token,
     * which may be a phone number or a name from the body. For the same reason Jackson's exception is not
     * kept as the cause (stack traces print causes' messages).
     */
    private static IllegalArgumentException invalid(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            // A size or nesting limit: its message names the limit, never the content.
            return new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String what = e instanceof JsonEOFException ? "truncated" : "malformed";
        return new IllegalArgumentException("not valid JSON (" + what + where + ")");
    }

    private static Call read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("a Call must be a JSON object");
        }
        Call.Builder b = Call.builder();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "sid": b.sid(text(p, name)); break;
                case "date_created": b.dateCreated(date(p, name)); break;
                case "date_updated": b.dateUpdated(date(p, name)); break;
                case "parent_call_sid": b.parentCallSid(text(p, name)); break;
                case "account_sid": b.accountSid(text(p, name)); break;
                case "to": b.to(text(p, name)); break;
                case "to_formatted": b.toFormatted(text(p, name)); break;
                case "from": b.from(text(p, name)); break;
                case "from_formatted": b.fromFormatted(text(p, name)); break;
                case "phone_number_sid": b.phoneNumberSid(text(p, name)); break;
                case "status": b.status(text(p, name)); break;
                case "start_time": b.startTime(date(p, name)); break;
                case "end_time": b.endTime(date(p, name)); break;
                case "duration": b.duration(text(p, name)); break;
                case "price": b.price(text(p, name)); break;
                case "price_unit": b.priceUnit(text(p, name)); break;
                case "direction": b.direction(text(p, name)); break;
                case "answered_by": b.answeredBy(text(p, name)); break;
                case "api_version": b.apiVersion(text(p, name)); break;
                case "forwarded_from": b.forwardedFrom(text(p, name)); break;
                case "group_sid": b.groupSid(text(p, name)); break;
                case "caller_name": b.callerName(text(p, name)); break;
                case "queue_time": b.queueTime(text(p, name)); break;
                case "trunk_sid": b.trunkSid(text(p, name)); break;
                case "uri": b.uri(text(p, name)); break;
                case "subresource_uris": b.subresourceUris(stringMap(p, name)); break;
                default: p.skipChildren(); break;
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("a Call must be a JSON object");
        }
        if (p.nextToken() != null) {
            throw new IllegalArgumentException("unexpected content after the Call object");
        }
        return b.build();
    }

    /** A string property; a number is taken as its text (Twilio documents these as strings). */
    private static String text(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getText();
        }
        throw new IllegalArgumentException("property '" + name + "' must be a string, not " + t);
    }

    private static ZonedDateTime date(JsonParser p, String name) throws IOException {
        String s = text(p, name);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Rfc2822.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("property '" + name + "' must be an RFC 2822 date", e);
        }
    }

    private static Map<String, String> stringMap(JsonParser p, String name) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("property '" + name + "' must be an object");
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            map.put(key, text(p, name + "." + key));
        }
        return map;
    }

    /** The Call as Twilio's JSON: snake_case names, schema order, {@code null} for absent properties. */
    public static String write(Call call) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(call, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the Call as one JSON object to {@code g} (for callers streaming many). */
    public static void write(Call call, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("account_sid", call.accountSid());
        g.writeStringField("answered_by", call.answeredBy());
        g.writeStringField("api_version", call.apiVersion());
        g.writeStringField("caller_name", call.callerName());
        g.writeStringField("date_created", format(call.dateCreated()));
        g.writeStringField("date_updated", format(call.dateUpdated()));
        g.writeStringField("direction", call.direction());
        g.writeStringField("duration", call.duration());
        g.writeStringField("end_time", format(call.endTime()));
        g.writeStringField("forwarded_from", call.forwardedFrom());
        g.writeStringField("from", call.from());
        g.writeStringField("from_formatted", call.fromFormatted());
        g.writeStringField("group_sid", call.groupSid());
        g.writeStringField("parent_call_sid", call.parentCallSid());
        g.writeStringField("phone_number_sid", call.phoneNumberSid());
        g.writeStringField("price", call.price());
        g.writeStringField("price_unit", call.priceUnit());
        g.writeStringField("sid", call.sid());
        g.writeStringField("start_time", format(call.startTime()));
        g.writeStringField("status", call.statusValue());
        g.writeObjectFieldStart("subresource_uris");
        for (Map.Entry<String, String> e : call.subresourceUris().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeStringField("to", call.to());
        g.writeStringField("to_formatted", call.toFormatted());
        g.writeStringField("trunk_sid", call.trunkSid());
        g.writeStringField("uri", call.uri());
        g.writeStringField("queue_time", call.queueTime());
        g.writeEndObject();
    }

    private static String format(ZonedDateTime t) {
        return t == null ? null : RFC_2822_OUT.format(t);
    }
}
