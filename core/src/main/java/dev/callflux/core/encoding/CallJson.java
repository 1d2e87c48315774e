package dev.callflux.core.encoding;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.callflux.core.model.Call;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Reads and writes the Call resource's JSON with Jackson's streaming parser: no reflection, no object
 * mapper, nothing loaded beyond what one pass over the bytes needs. Unknown properties are skipped;
 * {@code null}s and missing properties are fine.
 */
public final class CallJson {

    static final JsonFactory JSON = new JsonFactory();

    private CallJson() {
    }

    /**
     * Parses a Call.
     *
     * @param json one JSON object, with nothing but whitespace after it
     * @return the Call, never {@code null}
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

    /**
     * Parses a Call from text. See {@link #parse(byte[])}.
     *
     * @param json one JSON object, with nothing but whitespace after it
     * @return the Call, never {@code null}
     * @throws IllegalArgumentException as {@link #parse(byte[])} does
     */
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

    // The properties, by index. The order is the one write() uses (and Twilio's documentation shows).
    private static final int ACCOUNT_SID = 0;
    private static final int ANSWERED_BY = 1;
    private static final int API_VERSION = 2;
    private static final int CALLER_NAME = 3;
    private static final int DATE_CREATED = 4;
    private static final int DATE_UPDATED = 5;
    private static final int DIRECTION = 6;
    private static final int DURATION = 7;
    private static final int END_TIME = 8;
    private static final int FORWARDED_FROM = 9;
    private static final int FROM = 10;
    private static final int FROM_FORMATTED = 11;
    private static final int GROUP_SID = 12;
    private static final int PARENT_CALL_SID = 13;
    private static final int PHONE_NUMBER_SID = 14;
    private static final int PRICE = 15;
    private static final int PRICE_UNIT = 16;
    private static final int SID = 17;
    private static final int START_TIME = 18;
    private static final int STATUS = 19;
    private static final int SUBRESOURCE_URIS = 20;
    private static final int TO = 21;
    private static final int TO_FORMATTED = 22;
    private static final int TRUNK_SID = 23;
    private static final int URI = 24;
    private static final int QUEUE_TIME = 25;
    private static final int PROPERTIES = 26;

    private static final SerializedString[] NAMES = names("account_sid", "answered_by", "api_version",
            "caller_name", "date_created", "date_updated", "direction", "duration", "end_time", "forwarded_from",
            "from", "from_formatted", "group_sid", "parent_call_sid", "phone_number_sid", "price", "price_unit",
            "sid", "start_time", "status", "subresource_uris", "to", "to_formatted", "trunk_sid", "uri", "queue_time");

    /**
     * The property that followed each property (and, at {@code PROPERTIES}, the first one) in the last Call
     * read: a server writes its properties in one order, so the next name is usually known and is matched
     * against the raw bytes ({@link JsonParser#nextFieldName(com.fasterxml.jackson.core.SerializableString)})
     * instead of being looked up. Shared by all threads: a stale guess only costs the ordinary lookup.
     */
    private static final byte[] NEXT = initialOrder();

    private static SerializedString[] names(String... names) {
        SerializedString[] s = new SerializedString[names.length];
        for (int i = 0; i < names.length; i++) {
            s[i] = new SerializedString(names[i]);
        }
        return s;
    }

    private static byte[] initialOrder() {
        byte[] next = new byte[PROPERTIES + 1];
        for (int i = 0; i < PROPERTIES; i++) {
            next[i] = (byte) (i + 1 < PROPERTIES ? i + 1 : 0);
        }
        next[PROPERTIES] = 0;
        return next;
    }

    /** The index of a property, or -1 for one the Call does not have. */
    private static int index(String name) {
        switch (name) {
            case "account_sid": return ACCOUNT_SID;
            case "answered_by": return ANSWERED_BY;
            case "api_version": return API_VERSION;
            case "caller_name": return CALLER_NAME;
            case "date_created": return DATE_CREATED;
            case "date_updated": return DATE_UPDATED;
            case "direction": return DIRECTION;
            case "duration": return DURATION;
            case "end_time": return END_TIME;
            case "forwarded_from": return FORWARDED_FROM;
            case "from": return FROM;
            case "from_formatted": return FROM_FORMATTED;
            case "group_sid": return GROUP_SID;
            case "parent_call_sid": return PARENT_CALL_SID;
            case "phone_number_sid": return PHONE_NUMBER_SID;
            case "price": return PRICE;
            case "price_unit": return PRICE_UNIT;
            case "sid": return SID;
            case "start_time": return START_TIME;
            case "status": return STATUS;
            case "subresource_uris": return SUBRESOURCE_URIS;
            case "to": return TO;
            case "to_formatted": return TO_FORMATTED;
            case "trunk_sid": return TRUNK_SID;
            case "uri": return URI;
            case "queue_time": return QUEUE_TIME;
            default: return -1;
        }
    }

    private static Call read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("a Call must be a JSON object");
        }
        Call.Builder b = Call.builder();
        int previous = PROPERTIES;
        for (;;) {
            int guess = NEXT[previous];
            int property;
            if (p.nextFieldName(NAMES[guess])) {
                property = guess;
            } else if (p.currentToken() == JsonToken.FIELD_NAME) {
                property = index(p.currentName());
                if (property < 0) {
                    p.nextToken();
                    p.skipChildren();
                    continue;
                }
                NEXT[previous] = (byte) property;
            } else {
                break;
            }
            p.nextToken();
            if (property == DATE_CREATED || property == DATE_UPDATED || property == START_TIME || property == END_TIME) {
                setDate(b, property, date(p, property));
            } else if (property == SUBRESOURCE_URIS) {
                b.subresourceUris(stringMap(p));
            } else {
                setText(b, property, text(p, property));
            }
            previous = property;
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("a Call must be a JSON object");
        }
        if (p.nextToken() != null) {
            throw new IllegalArgumentException("unexpected content after the Call object");
        }
        return b.build();
    }

    private static void setText(Call.Builder b, int property, String value) {
        switch (property) {
            case ACCOUNT_SID: b.accountSid(value); break;
            case ANSWERED_BY: b.answeredBy(value); break;
            case API_VERSION: b.apiVersion(value); break;
            case CALLER_NAME: b.callerName(value); break;
            case DIRECTION: b.direction(value); break;
            case DURATION: b.duration(value); break;
            case FORWARDED_FROM: b.forwardedFrom(value); break;
            case FROM: b.from(value); break;
            case FROM_FORMATTED: b.fromFormatted(value); break;
            case GROUP_SID: b.groupSid(value); break;
            case PARENT_CALL_SID: b.parentCallSid(value); break;
            case PHONE_NUMBER_SID: b.phoneNumberSid(value); break;
            case PRICE: b.price(value); break;
            case PRICE_UNIT: b.priceUnit(value); break;
            case SID: b.sid(value); break;
            case STATUS: b.status(value); break;
            case TO: b.to(value); break;
            case TO_FORMATTED: b.toFormatted(value); break;
            case TRUNK_SID: b.trunkSid(value); break;
            case URI: b.uri(value); break;
            case QUEUE_TIME: b.queueTime(value); break;
            default: throw new IllegalStateException("not a text property: " + NAMES[property]);
        }
    }

    private static void setDate(Call.Builder b, int property, ZonedDateTime value) {
        switch (property) {
            case DATE_CREATED: b.dateCreated(value); break;
            case DATE_UPDATED: b.dateUpdated(value); break;
            case START_TIME: b.startTime(value); break;
            case END_TIME: b.endTime(value); break;
            default: throw new IllegalStateException("not a date property: " + NAMES[property]);
        }
    }

    private static String text(JsonParser p, int property) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        return otherText(p, t, NAMES[property].getValue());
    }

    /** A string property; a number is taken as its text (Twilio documents these as strings). */
    private static String text(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        return otherText(p, t, name);
    }

    private static String otherText(JsonParser p, JsonToken t, String name) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getText();
        }
        throw new IllegalArgumentException("property '" + name + "' must be a string, not " + t);
    }

    /** A date, read from the parser's characters without making a String of them when it has Twilio's layout. */
    private static ZonedDateTime date(JsonParser p, int property) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            ZonedDateTime fast = Rfc2822.fixedLayout(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (fast != null) {
                return fast;
            }
        }
        String name = NAMES[property].getValue();
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

    private static Map<String, String> stringMap(JsonParser p) throws IOException {
        String name = NAMES[SUBRESOURCE_URIS].getValue();
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("property '" + name + "' must be an object");
        }
        // Call copies the map into its own: collect into two arrays rather than a first hash map.
        PairList map = new PairList();
        String key;
        while ((key = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            map.add(key, t == JsonToken.VALUE_STRING ? p.getText() : otherText(p, t, name + "." + key));
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("property '" + name + "' must be an object");
        }
        return map;
    }

    /**
     * Keys and values in arrays, as a read-only {@code Map} whose only use is to be copied (in order) by
     * {@link Call}. A key given twice keeps its first place and its last value, as a {@code LinkedHashMap}
     * would.
     */
    private static final class PairList extends AbstractMap<String, String> {
        private String[] keys = new String[12];
        private String[] values = new String[12];
        private int size;

        void add(String key, String value) {
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    values[i] = value;
                    return;
                }
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            size++;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Set<Map.Entry<String, String>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, String>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Map.Entry<String, String> next() {
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }

    /**
     * The Call as Twilio's JSON: snake_case names, schema order, {@code null} for absent properties.
     *
     * @param call the call to write
     * @return one JSON object on one line, dates in Twilio's RFC 2822 form
     */
    public static String write(Call call) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(call, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Writes the Call as one JSON object to {@code g} (for callers streaming many).
     *
     * @param call the call to write
     * @param g    where to write; neither flushed nor closed
     * @throws IOException if {@code g} fails to write
     */
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
        return t == null ? null : Rfc2822.format(t);
    }
}
