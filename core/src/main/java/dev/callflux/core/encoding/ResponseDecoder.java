package dev.callflux.core.encoding;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.Call;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an UpdateCall response (status, two headers, body) into a {@link Call} or a typed exception. The
 * one place that decides what a response means; a pure function of its input.
 */
public final class ResponseDecoder {

    private static final int EXCERPT_LENGTH = 120;
    /** HTTP Basic credentials as they appear in an echoed header ("Basic " and Base64 of "sid:secret"). */
    private static final Pattern BASIC_CREDENTIALS =
            Pattern.compile("(?i)\\b(basic\\s+)[A-Za-z0-9+/]{20,}={0,2}");

    private ResponseDecoder() {
    }

    /**
     * Decodes a response.
     *
     * @param status     the HTTP status
     * @param body       the body, possibly empty
     * @param requestId  the {@code Twilio-Request-Id} header, or {@code null}
     * @param retryAfter the {@code Retry-After} header, or {@code null}
     * @param now        the time the response arrived, to read a {@code Retry-After} date
     * @return the Call, for a 2xx status
     * @throws TwilioApiException          for any other status
     * @throws CallFluxTransportException  ({@code MALFORMED_RESPONSE}) for a 2xx body that is not a Call
     */
    public static Call decode(int status, byte[] body, String requestId, String retryAfter, Instant now) {
        if (status >= 200 && status < 300) {
            try {
                // A null body is an empty one (a 204, say): not a Call, but not a NullPointerException either.
                return CallJson.parse(body == null ? new byte[0] : body);
            } catch (IllegalArgumentException e) {
                throw new CallFluxTransportException(CallFluxTransportException.Kind.MALFORMED_RESPONSE, true,
                        "HTTP " + status + " with a body that is not a Call: " + e.getMessage()
                                + (requestId == null ? "" : " [Twilio-Request-Id " + requestId + "]"), e);
            }
        }
        throw error(status, body, requestId, parseRetryAfter(retryAfter, now));
    }

    /**
     * Twilio's error JSON ({@code code}, {@code message}, {@code more_info}, {@code details}) as an exception.
     *
     * @param status     the HTTP status, outside 2xx
     * @param body       the body, possibly empty or {@code null}
     * @param requestId  the {@code Twilio-Request-Id} header, or {@code null}
     * @param retryAfter the {@code Retry-After} delay (see {@link #parseRetryAfter(String, Instant)}), or {@code null}
     * @return the exception, to be thrown by the caller; when the body is not Twilio's error JSON, without
     *         Twilio's fields and with a short excerpt of any printable body text in the message
     */
    public static TwilioApiException error(int status, byte[] body, String requestId, Duration retryAfter) {
        if (body != null && body.length > 0) {
            try (JsonParser p = CallJson.JSON.createParser(body)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    Integer code = null;
                    String message = null;
                    String moreInfo = null;
                    Map<String, Object> details = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken t = p.nextToken();
                        switch (name) {
                            case "code":
                                code = t == JsonToken.VALUE_NUMBER_INT ? Integer.valueOf(p.getIntValue()) : parseInt(p, t);
                                break;
                            case "message": message = scalar(p, t); break;
                            case "more_info": moreInfo = scalar(p, t); break;
                            case "details":
                                Object d = value(p);
                                if (d instanceof Map) {
                                    @SuppressWarnings("unchecked")
                                    Map<String, Object> m = (Map<String, Object>) d;
                                    details = m;
                                }
                                break;
                            default: p.skipChildren(); break;
                        }
                    }
                    if (code != null || message != null) {
                        return new TwilioApiException(status, code, message, moreInfo, details, requestId, retryAfter, null);
                    }
                }
            } catch (IOException | RuntimeException notJson) {
                // Not Twilio's error JSON (an HTML page from a proxy, a truncated body): described below.
            }
        }
        return new TwilioApiException(status, null, null, null, null, requestId, retryAfter, excerpt(body));
    }

    private static Integer parseInt(JsonParser p, JsonToken t) throws IOException {
        String s = scalar(p, t);
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String scalar(JsonParser p, JsonToken t) throws IOException {
        if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    m.put(key, value(p));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_STRING: return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return p.getNumberValue();
            case VALUE_TRUE: return Boolean.TRUE;
            case VALUE_FALSE: return Boolean.FALSE;
            default: return null;
        }
    }

    /**
     * A short, single-line, printable excerpt of a body that is not Twilio's error JSON, in quotes, with
     * {@code …} when text was left out; {@code null} for a body without printable text.
     */
    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String s = new String(body, 0, Math.min(body.length, EXCERPT_LENGTH * 4), java.nio.charset.StandardCharsets.UTF_8);
        // A proxy or debugging endpoint may echo the request's headers: the Authorization value carries the secret.
        s = BASIC_CREDENTIALS.matcher(s).replaceAll("$1<redacted>");
        StringBuilder sb = new StringBuilder();
        boolean space = false;
        int i = 0;
        for (; i < s.length() && sb.length() < EXCERPT_LENGTH; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                if (!space && sb.length() > 0) {
                    sb.append(' ');
                }
                space = true;
            } else {
                sb.append(c);
                space = false;
            }
        }
        if (sb.length() > 0 && Character.isHighSurrogate(sb.charAt(sb.length() - 1))) {
            sb.setLength(sb.length() - 1); // never end on half a character
        }
        String text = sb.toString().trim();
        if (text.isEmpty()) {
            return null; // only whitespace: as good as empty
        }
        // Cut only if printable text was left out: collapsed whitespace alone is not a cut.
        boolean cut = body.length > EXCERPT_LENGTH * 4
                || s.substring(i).chars().anyMatch(c -> !Character.isWhitespace(c) && !Character.isISOControl(c));
        return '"' + text + (cut ? "…" : "") + '"';
    }

    /**
     * Reads a {@code Retry-After} header: delta-seconds or an HTTP date (relative to {@code now}).
     *
     * @param header the header value, or {@code null}
     * @param now    the time the response arrived
     * @return the delay, never negative, or {@code null} when absent or unreadable
     */
    public static Duration parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(now, Rfc2822.parse(h).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
