package dev.callflux.core.encoding;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.Call.Property;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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
        return parse(json.getBytes(StandardCharsets.UTF_8));
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

    /** Each property by its JSON name. */
    private static final Map<String, Property> BY_NAME = new HashMap<>();
    private static final Property[] PROPERTIES = Property.values();
    /** The JSON names by {@link Property#ordinal()}, to match against the raw bytes. */
    private static final SerializedString[] NAMES = new SerializedString[PROPERTIES.length];

    static {
        for (Property property : PROPERTIES) {
            BY_NAME.put(property.jsonName(), property);
            NAMES[property.ordinal()] = new SerializedString(property.jsonName());
        }
    }

    private static Call read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("a Call must be a JSON object");
        }
        Call.Builder b = Call.builder();
        // Twilio writes the properties in Property's order: the expected name is matched against the raw
        // bytes, and only another one is looked up (this saves about 10 % of a parse).
        int next = 0;
        for (;;) {
            Property property;
            if (p.nextFieldName(NAMES[next])) {
                property = PROPERTIES[next];
            } else if (p.currentToken() == JsonToken.FIELD_NAME) {
                property = BY_NAME.get(p.currentName());
            } else {
                break;
            }
            JsonToken t = p.nextToken();
            if (property == null) {
                p.skipChildren();
                continue;
            }
            next = (property.ordinal() + 1) % NAMES.length;
            String name = property.jsonName();
            switch (property.kind()) {
                case TEXT -> b.set(property, text(p, t, name));
                case DATE -> b.set(property, date(p, t, name));
                case MAP -> b.set(property, stringMap(p, t, name));
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("a Call must be a JSON object");
        }
        if (p.nextToken() != null) {
            throw new IllegalArgumentException("unexpected content after the Call object");
        }
        return b.build();
    }

    /** A string property; a number is taken as its text (Twilio documents these as strings). */
    private static String text(JsonParser p, JsonToken t, String name) throws IOException {
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new IllegalArgumentException("property '" + name + "' must be a string, not " + t);
    }

    /** A date, read from the parser's characters without making a String of them when it has Twilio's layout. */
    private static ZonedDateTime date(JsonParser p, JsonToken t, String name) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            ZonedDateTime fast = Rfc2822.fixedLayout(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (fast != null) {
                return fast;
            }
        }
        String s = text(p, t, name);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Rfc2822.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("property '" + name + "' must be an RFC 2822 date", e);
        }
    }

    private static Map<String, String> stringMap(JsonParser p, JsonToken t, String name) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("property '" + name + "' must be an object");
        }
        Map<String, String> map = new LinkedHashMap<>();
        String key;
        while ((key = p.nextFieldName()) != null) {
            map.put(key, text(p, p.nextToken(), name + "." + key));
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("property '" + name + "' must be an object");
        }
        return map;
    }

    /**
     * The Call as Twilio's JSON: snake_case names in Twilio's order (that of {@link Property}), {@code null}
     * for absent properties.
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
        for (Property property : PROPERTIES) {
            Object value = call.get(property);
            switch (property.kind()) {
                case TEXT -> g.writeStringField(property.jsonName(), (String) value);
                case DATE -> g.writeStringField(property.jsonName(),
                        value == null ? null : Rfc2822.format((ZonedDateTime) value));
                case MAP -> {
                    g.writeObjectFieldStart(property.jsonName());
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                        g.writeStringField((String) e.getKey(), (String) e.getValue());
                    }
                    g.writeEndObject();
                }
            }
        }
        g.writeEndObject();
    }
}
