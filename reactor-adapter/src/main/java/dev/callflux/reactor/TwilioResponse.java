package dev.callflux.reactor;

import dev.callflux.core.http.TwilioHttp;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A successful UpdateCall response: the decoded value with the HTTP status and response headers, for
 * callers that want Twilio's request id or its view of the account's concurrency.
 *
 * @param <T> the decoded value, a {@link dev.callflux.core.model.Call}
 */
public final class TwilioResponse<T> {

    private final int statusCode;
    private final HttpHeaders headers;
    private final T value;

    TwilioResponse(int statusCode, HttpHeaders headers, T value) {
        this.statusCode = statusCode;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.value = Objects.requireNonNull(value, "value");
    }

    /**
     * The HTTP status, 2xx.
     *
     * @return the status code, 200 to 299 (Twilio answers UpdateCall with 200)
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * The decoded body.
     *
     * @return the decoded value, never {@code null}
     */
    public T value() {
        return value;
    }

    /**
     * The first value of a response header, compared without case.
     *
     * @param name the header name, such as {@code Twilio-Request-Id}
     * @return the header's first value, or empty when the response did not carry it
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /**
     * All response headers, names in case-insensitive order.
     *
     * @return a new map on each call, looked up without case, of each header name to its values in the order
     *         received (unmodifiable lists)
     */
    public Map<String, List<String>> headers() {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : headers.names()) {
            map.put(name, List.copyOf(headers.getAll(name)));
        }
        return map;
    }

    /**
     * {@code Twilio-Request-Id}: Twilio's id of this request, to quote to Twilio support.
     *
     * @return the header's value as sent (Twilio's are {@code RQ} and 32 hex digits), or empty when absent
     */
    public Optional<String> requestId() {
        return header(TwilioHttp.REQUEST_ID);
    }

    /**
     * {@code Twilio-Concurrent-Requests}: how many requests of the account Twilio was serving at once,
     * when Twilio says.
     *
     * @return the header's value, or empty when the header is absent or not an integer
     */
    public OptionalInt concurrentRequests() {
        String v = headers.get(TwilioHttp.CONCURRENT_REQUESTS);
        if (v == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public String toString() {
        return "TwilioResponse{status=" + statusCode + ", requestId=" + requestId().orElse("-") + ", value=" + value + '}';
    }
}
