package dev.callflux.testkit;

import dev.callflux.core.model.UpdateCallParameter;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks an UpdateCall request body against the operation's form schema, independently of CallFlux's own
 * encoder: the body is decoded with Netty's {@link QueryStringDecoder} and every rule is written here again.
 * Every failure is a {@link Rejection} whose message names the parameter.
 */
final class FormRules {

    static final String FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";
    static final int TWIML_MAX_CHARACTERS = 4000;

    private static final Set<String> NAMES = java.util.Arrays.stream(UpdateCallParameter.values())
            .map(UpdateCallParameter::wireName)
            .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    private static final String NAME_LIST = String.join(", ", NAMES);
    private static final Set<String> METHODS = Set.of("HEAD", "GET", "POST", "PATCH", "PUT", "DELETE");
    private static final Set<String> STATUSES = Set.of("canceled", "completed");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final String REPLACEMENT = "\uFFFD";

    private FormRules() {
    }

    /** Step 3: the media type must be the form type; a {@code charset} parameter must say UTF-8. */
    static void checkContentType(String header) {
        if (header == null || header.isBlank()) {
            throw Rejection.badRequest("Content-Type must be " + FORM_MEDIA_TYPE + " (the request has no Content-Type)");
        }
        String[] parts = header.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(FORM_MEDIA_TYPE)) {
            throw Rejection.badRequest("Content-Type must be " + FORM_MEDIA_TYPE + " (got '"
                    + TwilioErrors.quote(mediaType, 80) + "')");
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String charset = p.substring(eq + 1).trim();
                if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
                    charset = charset.substring(1, charset.length() - 1);
                }
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw Rejection.badRequest("Content-Type charset must be UTF-8 (got '"
                            + TwilioErrors.quote(charset, 40) + "')");
                }
            }
        }
    }

    /**
     * Step 4: decodes and validates the body.
     *
     * @return the parameters in the order of the body, unmodifiable
     */
    static Map<String, String> decodeAndValidate(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw Rejection.badRequest("The form body is not valid UTF-8");
        }
        if (text.indexOf('#') >= 0) {
            throw Rejection.badRequest("The form body contains a raw '#': form encoding requires it as %23");
        }
        Map<String, List<String>> decoded;
        try {
            // semicolonIsNormalChar: in a form body ';' is data, not a separator (WHATWG URL standard).
            decoded = new QueryStringDecoder(text, StandardCharsets.UTF_8, false, 1024, true).parameters();
        } catch (IllegalArgumentException e) {
            throw Rejection.badRequest("The form body is not valid " + FORM_MEDIA_TYPE + " (malformed percent-encoding)");
        }
        checkPercentEncodedUtf8(text, decoded);

        if (decoded.isEmpty()) {
            throw Rejection.badRequest("At least one parameter is required (one of " + NAME_LIST + ")");
        }
        for (Map.Entry<String, List<String>> e : decoded.entrySet()) {
            String name = e.getKey();
            if (!NAMES.contains(name)) {
                String hint = NAMES.stream().filter(n -> n.equalsIgnoreCase(name)).findFirst()
                        .map(n -> " (names are case-sensitive: did you mean '" + n + "'?)").orElse("");
                throw Rejection.badRequest("Unknown parameter '" + TwilioErrors.quote(name, 64) + "'" + hint
                        + "; UpdateCall accepts " + NAME_LIST);
            }
            if (e.getValue().size() > 1) {
                throw Rejection.badRequest(name + " may be given at most once (got " + e.getValue().size() + ")");
            }
        }
        Map<String, String> form = new LinkedHashMap<>();
        decoded.forEach((k, v) -> form.put(k, v.get(0)));

        for (UpdateCallParameter p : UpdateCallParameter.values()) {
            String name = p.wireName();
            String value = form.get(name);
            if (value == null) {
                continue;
            }
            switch (p) {
                case URL:
                case FALLBACK_URL:
                case STATUS_CALLBACK:
                    url(name, value);
                    break;
                case METHOD:
                case FALLBACK_METHOD:
                case STATUS_CALLBACK_METHOD:
                    if (!METHODS.contains(value)) {
                        throw Rejection.badRequest(name + " must be one of HEAD, GET, POST, PATCH, PUT, DELETE (got '"
                                + TwilioErrors.quote(value, 40) + "')");
                    }
                    break;
                case STATUS:
                    if (!STATUSES.contains(value)) {
                        throw Rejection.badRequest(name + " must be 'canceled' or 'completed' (got '"
                                + TwilioErrors.quote(value, 40) + "')");
                    }
                    break;
                case TWIML:
                    twiml(name, value);
                    break;
                case TIME_LIMIT:
                    timeLimit(name, value);
                    break;
                default:
                    throw new AssertionError(p);
            }
        }
        if (form.containsKey(UpdateCallParameter.URL.wireName()) && form.containsKey(UpdateCallParameter.TWIML.wireName())) {
            throw Rejection.badRequest("Url and Twiml are mutually exclusive: give one of them");
        }
        return Collections.unmodifiableMap(form);
    }

    /**
     * Netty replaces percent-encoded bytes that are not UTF-8 with U+FFFD; any U+FFFD that the body did not
     * carry itself (raw or as {@code %EF%BF%BD}) means the client encoded text in some other charset.
     */
    private static void checkPercentEncodedUtf8(String text, Map<String, List<String>> decoded) {
        int produced = 0;
        for (Map.Entry<String, List<String>> e : decoded.entrySet()) {
            produced += count(e.getKey(), REPLACEMENT);
            for (String v : e.getValue()) {
                produced += count(v, REPLACEMENT);
            }
        }
        if (produced == 0) {
            return;
        }
        int carried = count(text, REPLACEMENT) + count(text.toUpperCase(Locale.ROOT), "%EF%BF%BD");
        if (produced > carried) {
            throw Rejection.badRequest("The form body has percent-encoded bytes that are not valid UTF-8");
        }
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    /** An absolute http/https URL whose host has no underscore. User info is allowed, as Twilio allows it. */
    static void url(String name, String value) {
        if (value.isEmpty()) {
            throw Rejection.badUrl(name + " is not a valid URL: it is empty");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw Rejection.badUrl(name + " is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw Rejection.badUrl(name + " is not a valid URL: it must be absolute (http:// or https://)");
        }
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw Rejection.badUrl(name + " is not a valid URL: the scheme must be http or https (got '"
                    + TwilioErrors.quote(scheme, 20) + "')");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw Rejection.badUrl(name + " is not a valid URL: it has no host");
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = close < 0 ? hostPort : hostPort.substring(0, close + 1);
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        }
        if (host.indexOf('_') >= 0) {
            throw Rejection.badUrl(name + " is not a valid URL: the host name must not contain underscores");
        }
        if (host.isEmpty() || uri.getHost() == null) {
            throw Rejection.badUrl(name + " is not a valid URL: it has no valid host name");
        }
    }

    private static void twiml(String name, String value) {
        if (value.isBlank()) {
            throw Rejection.badRequest(name + " must not be blank");
        }
        int characters = value.codePointCount(0, value.length());
        if (characters > TWIML_MAX_CHARACTERS) {
            throw Rejection.badRequest(name + " must be at most " + TWIML_MAX_CHARACTERS + " characters (got "
                    + characters + ")");
        }
    }

    private static void timeLimit(String name, String value) {
        if (!DIGITS.matcher(value).matches()) {
            throw Rejection.badRequest(name + " must be a positive integer (got '" + TwilioErrors.quote(value, 20) + "')");
        }
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            v = Long.MAX_VALUE;
        }
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw Rejection.badRequest(name + " must be a positive integer of at most " + Integer.MAX_VALUE
                    + " (got '" + TwilioErrors.quote(value, 20) + "')");
        }
    }
}
