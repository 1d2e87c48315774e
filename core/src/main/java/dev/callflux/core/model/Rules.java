package dev.callflux.core.model;

import dev.callflux.core.error.InvalidRequestException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The value rules of UpdateCall's parameters. Every failure names the parameter and the rule. */
final class Rules {

    /** Twilio's limit on inline TwiML. */
    static final int TWIML_MAX_CHARACTERS = 4000;

    private Rules() {
    }

    /**
     * An absolute {@code http}/{@code https} URL with a valid host name: no underscores (Twilio refuses
     * them), no user info (credentials in a URL end up in logs), no whitespace, control or invisible
     * formatting characters (they could split a header or a log line, or disguise one), and otherwise valid
     * URI syntax.
     */
    static String url(String field, String value) {
        if (value.isBlank()) {
            throw new InvalidRequestException(field, "must not be blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // isSpaceChar adds the no-break spaces isWhitespace leaves out. Format characters (bidi
            // overrides, zero-width spaces) cannot split a line, but they make a URL display as something
            // it is not, in logs and consoles alike.
            if (c <= ' ' || (c >= 0x7f && c <= 0x9f) || Character.isWhitespace(c) || Character.isSpaceChar(c)
                    || Character.getType(value.codePointAt(i)) == Character.FORMAT
                    || (Character.isSurrogate(c) && !validSurrogatePair(value, i))) {
                throw new InvalidRequestException(field, "must not contain whitespace, control characters, "
                        + "invisible formatting characters or broken Unicode (at index " + i + ")");
            }
        }
        int schemeEnd = value.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : value.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidRequestException(field, "must be an absolute URL with the http or https scheme");
        }
        int authorityStart = schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < value.length() && "/?#".indexOf(value.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = value.substring(authorityStart, authorityEnd);
        if (authority.indexOf('@') >= 0) {
            throw new InvalidRequestException(field, "must not contain user info (credentials in a URL end up in logs)");
        }
        hostAndPort(field, authority);
        try {
            new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException(field,
                    "must be a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        return value;
    }

    private static boolean validSurrogatePair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static void hostAndPort(String field, String authority) {
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new InvalidRequestException(field, "must have a valid host (unclosed IPv6 literal)");
            }
            host = authority.substring(1, close);
            if (host.isEmpty() || !host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)
                    || host.indexOf(':') < 0) {
                throw new InvalidRequestException(field, "must have a valid host (malformed IPv6 literal)");
            }
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new InvalidRequestException(field, "must have a valid host (text after IPv6 literal)");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            hostName(field, host);
        }
        if (port != null && !validPort(port)) {
            throw new InvalidRequestException(field, "must have a port between 1 and 65535");
        }
    }

    private static boolean validPort(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    /** A DNS name or IPv4 address: dot-separated labels of ASCII letters, digits and inner hyphens. */
    private static void hostName(String field, String host) {
        if (host.isEmpty()) {
            throw new InvalidRequestException(field, "must have a host");
        }
        if (host.indexOf('_') >= 0) {
            throw new InvalidRequestException(field, "must have a valid host name (underscores are not permitted)");
        }
        if (host.length() > 253) {
            throw new InvalidRequestException(field, "must have a host name of at most 253 characters");
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            boolean ok = !label.isEmpty() && label.length() <= 63
                    && label.charAt(0) != '-' && label.charAt(label.length() - 1) != '-'
                    && label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9') || c == '-');
            if (!ok) {
                throw new InvalidRequestException(field, "must have a valid host name "
                        + "(dot-separated labels of ASCII letters, digits and inner hyphens; use punycode for "
                        + "international names)");
            }
        }
    }

    /** Inline TwiML: not blank, at most 4,000 characters, well-formed Unicode so UTF-8 round-trips exactly. */
    static String twiml(String value) {
        String field = UpdateCallParameter.TWIML.wireName();
        if (value.isBlank()) {
            throw new InvalidRequestException(field, "must not be blank");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i)) && !validSurrogatePair(value, i)) {
                throw new InvalidRequestException(field, "must be valid Unicode (unpaired surrogate at index " + i + ")");
            }
        }
        int characters = value.codePointCount(0, value.length());
        if (characters > TWIML_MAX_CHARACTERS) {
            throw new InvalidRequestException(field,
                    "must be at most " + TWIML_MAX_CHARACTERS + " characters (got " + characters + ")");
        }
        return value;
    }

    static int timeLimit(int seconds) {
        if (seconds <= 0) {
            throw new InvalidRequestException(UpdateCallParameter.TIME_LIMIT.wireName(),
                    "must be a positive number of seconds (got " + seconds + ")");
        }
        return seconds;
    }
}
