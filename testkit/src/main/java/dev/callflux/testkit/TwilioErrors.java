package dev.callflux.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Twilio's error codes used by the simulator and the error JSON Twilio answers with. */
final class TwilioErrors {

    /** Invalid parameter (any rule other than a URL rule). */
    static final int INVALID_PARAMETER = 20001;
    /** Authentication failed. */
    static final int AUTHENTICATE = 20003;
    /** Method not allowed. */
    static final int METHOD_NOT_ALLOWED = 20004;
    /** Resource not found. */
    static final int NOT_FOUND = 20404;
    /** Too many requests (concurrency or rate limit). */
    static final int TOO_MANY_REQUESTS = 20429;
    /** Internal server error (and the other injected 5xx answers). */
    static final int SERVER_ERROR = 20500;
    /** A URL parameter is not a valid URL. */
    static final int INVALID_URL = 21205;
    /** Call is not in-progress: any update (hang-up, cancel, redirect) of a call that has ended. */
    static final int NOT_IN_PROGRESS = 21220;

    private static final JsonFactory JSON = new JsonFactory();

    private TwilioErrors() {
    }

    /** {@code {"code":..,"message":..,"more_info":"https://www.twilio.com/docs/errors/<code>","status":..}}. */
    static String json(int status, int code, String message) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("code", code);
            g.writeStringField("message", message);
            g.writeStringField("more_info", "https://www.twilio.com/docs/errors/" + code);
            g.writeNumberField("status", status);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A value from a request made safe to quote in a message: at most {@code max} characters, control
     * characters and non-ASCII shown as {@code \\uXXXX}.
     */
    static String quote(String value, int max) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), max) + 8);
        for (int i = 0; i < value.length() && i < max; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (value.length() > max) {
            sb.append("...");
        }
        return sb.toString();
    }
}
