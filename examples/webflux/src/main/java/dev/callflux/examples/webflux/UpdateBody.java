package dev.callflux.examples.webflux;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.model.UpdateCallParameter;
import dev.callflux.core.model.UpdateCallRequest;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON body of {@code POST /calls/{sid}} as an {@link UpdateCallRequest}:
 * {@code {"url": .., "method": .., "status": .., "fallbackUrl": .., "fallbackMethod": .., "statusCallback": ..,
 * "statusCallbackMethod": .., "twiml": .., "timeLimit": ..}}. A {@code null} value means "not set"; an
 * unknown property is refused (a typo must not silently drop an update). Every value is checked by
 * {@link UpdateCallRequest.Builder#build()}; errors are {@link InvalidRequestException}s naming Twilio's
 * parameter ({@code Url}, {@code TimeLimit}, ...), {@code body} for the JSON itself (malformed, not an object,
 * no update field set), or the unknown property.
 */
final class UpdateBody {

    static final String FIELDS = "url, method, status, fallbackUrl, fallbackMethod, statusCallback,"
            + " statusCallbackMethod, twiml, timeLimit";

    /** Plain Jackson 3 tree parsing; a repeated property is an error, not "last one wins". */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private UpdateBody() {
    }

    /** Parses and validates; an empty body, {@code {}} and all-null fields are refused as an update that changes nothing. */
    static UpdateCallRequest parse(String body) {
        JsonNode node = body == null || body.isBlank() ? JSON.createObjectNode() : read(body);
        if (!node.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object with the update fields (" + FIELDS + ")");
        }
        UpdateCallRequest.Builder b = UpdateCallRequest.builder();
        boolean any = false;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode value = e.getValue();
            if (value.isNull()) {
                continue;
            }
            any = true;
            switch (e.getKey()) {
                case "url" -> b.url(text(UpdateCallParameter.URL, value));
                case "method" -> b.method(text(UpdateCallParameter.METHOD, value));
                case "status" -> b.status(text(UpdateCallParameter.STATUS, value));
                case "fallbackUrl" -> b.fallbackUrl(text(UpdateCallParameter.FALLBACK_URL, value));
                case "fallbackMethod" -> b.fallbackMethod(text(UpdateCallParameter.FALLBACK_METHOD, value));
                case "statusCallback" -> b.statusCallback(text(UpdateCallParameter.STATUS_CALLBACK, value));
                case "statusCallbackMethod" -> b.statusCallbackMethod(text(UpdateCallParameter.STATUS_CALLBACK_METHOD, value));
                case "twiml" -> b.twiml(text(UpdateCallParameter.TWIML, value));
                case "timeLimit" -> b.timeLimit(integer(UpdateCallParameter.TIME_LIMIT, value));
                default -> throw new InvalidRequestException(shorten(e.getKey()),
                        "is not an update field (expected " + FIELDS + ")");
            }
        }
        if (!any) {
            // The builder says so too, naming its Java type: the client of this service sent a body.
            throw new InvalidRequestException("body", "must set at least one update field (" + FIELDS + ")");
        }
        return b.build();
    }

    /** Says where the JSON broke, not what it said there (Jackson's messages quote the content). */
    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidRequestException("body", "must be valid JSON (malformed" + where + ")");
        }
    }

    private static String text(UpdateCallParameter parameter, JsonNode value) {
        if (!value.isString()) {
            throw new InvalidRequestException(parameter.wireName(), "must be a JSON string");
        }
        return value.stringValue();
    }

    private static Integer integer(UpdateCallParameter parameter, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidRequestException(parameter.wireName(), "must be a whole number of seconds");
        }
        return value.intValue();
    }

    /** Echoes at most 64 characters of a client-supplied name. */
    static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
