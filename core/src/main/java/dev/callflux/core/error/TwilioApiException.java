package dev.callflux.core.error;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Twilio answered with an HTTP error status. Carries what Twilio said: the HTTP status, Twilio's error
 * {@code code}, {@code message}, {@code more_info} and {@code details}, and the {@code Twilio-Request-Id}
 * response header to quote to Twilio support. A body that was empty or not Twilio's error JSON (a proxy's
 * HTML page, say) still gives this type with its status; the Twilio fields are then absent.
 *
 * <p>Transient statuses are 429 (Twilio's concurrency limit, code 20429: never processed), 408 and 5xx.
 * Only 408 and 5xx leave the outcome unknown: the update may have been applied before the error.
 */
public final class TwilioApiException extends CallFluxException {

    private static final long serialVersionUID = 1L;

    /** Twilio's code for "Too Many Requests": the request was not processed. */
    public static final int CODE_TOO_MANY_REQUESTS = 20429;

    /** The HTTP status code, outside 2xx. */
    private final int statusCode;
    /** Twilio's error code, or {@code null}. */
    private final Integer code;
    /** Twilio's {@code message}, or {@code null}. */
    private final String twilioMessage;
    /** Twilio's {@code more_info} URL, or {@code null}. */
    private final String moreInfo;
    private final transient Map<String, Object> details;
    /** The {@code Twilio-Request-Id} response header, or {@code null}. */
    private final String requestId;
    /** The {@code Retry-After} response header as a delay, or {@code null}. */
    private final Duration retryAfter;

    /**
     * @param statusCode    HTTP status outside 2xx
     * @param code          Twilio's error code, or {@code null} when the body did not carry one
     * @param twilioMessage Twilio's {@code message}, or {@code null}
     * @param moreInfo      Twilio's {@code more_info} URL, or {@code null}
     * @param details       Twilio's {@code details} object, or {@code null}
     * @param requestId     the {@code Twilio-Request-Id} response header, or {@code null}
     * @param retryAfter    the {@code Retry-After} response header as a delay, or {@code null}
     * @param bodyExcerpt   a short, printable excerpt of a body that was not Twilio's error JSON, or {@code null}
     */
    public TwilioApiException(int statusCode, Integer code, String twilioMessage, String moreInfo,
                              Map<String, Object> details, String requestId, Duration retryAfter,
                              String bodyExcerpt) {
        super(describe(statusCode, code, twilioMessage, moreInfo, requestId, bodyExcerpt));
        this.statusCode = statusCode;
        this.code = code;
        this.twilioMessage = twilioMessage;
        this.moreInfo = moreInfo;
        this.details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    private static String describe(int status, Integer code, String message, String moreInfo,
                                   String requestId, String bodyExcerpt) {
        StringBuilder sb = new StringBuilder("Twilio answered HTTP ").append(status);
        if (code != null) {
            sb.append(", error ").append(code);
        }
        if (message != null) {
            sb.append(": ").append(oneLine(message));
        } else if (bodyExcerpt != null) {
            sb.append(" with a body that is not Twilio's error JSON: ").append(bodyExcerpt);
        } else if (code == null) {
            // Only when nothing at all came back: an error code without a message is not an empty body.
            sb.append(" with an empty body");
        }
        if (moreInfo != null) {
            sb.append(" (").append(oneLine(moreInfo)).append(')');
        }
        if (requestId != null) {
            sb.append(" [Twilio-Request-Id ").append(oneLine(requestId)).append(']');
        }
        return sb.toString();
    }

    /**
     * The text with line breaks and other control characters as spaces. These values come from the network
     * (possibly a proxy, not Twilio) and the message goes to logs, where a line break could forge an entry.
     * The accessors still return the values exactly as received.
     */
    private static String oneLine(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, ' ');
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * The HTTP status code.
     *
     * @return the status, outside 2xx, e.g. 404, 429 or 503
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * Twilio's error code (for example 20404), when the body carried one.
     *
     * @return the code, or empty if the body carried none
     */
    public OptionalInt code() {
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /**
     * Twilio's human-readable {@code message}, when the body carried one.
     *
     * @return the message exactly as received (line breaks kept), or empty
     */
    public Optional<String> twilioMessage() {
        return Optional.ofNullable(twilioMessage);
    }

    /**
     * Twilio's {@code more_info} link to the error's documentation.
     *
     * @return the URL, e.g. {@code https://www.twilio.com/docs/errors/20404}, or empty
     */
    public Optional<String> moreInfo() {
        return Optional.ofNullable(moreInfo);
    }

    /**
     * Twilio's {@code details} object (JSON values as maps, lists, strings, numbers, booleans); empty when absent.
     *
     * @return an unmodifiable map, never {@code null}
     */
    public Map<String, Object> details() {
        return details == null ? Map.of() : details;
    }

    /**
     * The {@code Twilio-Request-Id} response header.
     *
     * @return the id, or empty if the response had no such header
     */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /**
     * The server's {@code Retry-After}, when it sent one.
     *
     * @return the delay to wait before resending, or empty if the header was absent or unreadable
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Whether this is Twilio's concurrency limit (HTTP 429): never processed, always safe to resend.
     *
     * @return {@code true} for HTTP 429
     */
    public boolean isRateLimited() {
        return statusCode == 429;
    }

    @Override
    public boolean isTransient() {
        return statusCode == 429 || statusCode == 408 || statusCode >= 500;
    }

    @Override
    public boolean mayHaveBeenApplied() {
        return statusCode == 408 || statusCode >= 500;
    }
}
