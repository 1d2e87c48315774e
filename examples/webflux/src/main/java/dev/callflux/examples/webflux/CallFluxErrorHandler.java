package dev.callflux.examples.webflux;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.error.TwilioApiException;
import java.time.Duration;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

/**
 * Maps CallFlux's failures of the single-call endpoints to HTTP answers:
 *
 * <table>
 *   <caption>error mapping</caption>
 *   <tr><th>failure</th><th>status</th></tr>
 *   <tr><td>{@link InvalidRequestException} (bad SID, bad URL, Url with Twiml, empty update...)</td><td>400</td></tr>
 *   <tr><td>Twilio 404 (no such call)</td><td>404</td></tr>
 *   <tr><td>Twilio 400 with code 21220 (the call is not in a state that allows the update, e.g. it ended); for
 *       {@code POST /calls/{sid}/hangup} the message says the call has already ended: nothing was hung up, no
 *       Call came back, and nothing is left to do (the bulk endpoint's line says {@code ALREADY_ENDED})</td><td>409</td></tr>
 *   <tr><td>Twilio 400 with another code (Twilio refused a value CallFlux accepted)</td><td>422</td></tr>
 *   <tr><td>Twilio 401/403 (the service's own credentials): a gateway problem</td><td>502</td></tr>
 *   <tr><td>Twilio 429 (concurrency limit)</td><td>503 + {@code Retry-After}</td></tr>
 *   <tr><td>Twilio 408, transport timeouts (response, connection pool)</td><td>504</td></tr>
 *   <tr><td>Twilio 5xx, other 4xx, other transport failures</td><td>502</td></tr>
 * </table>
 *
 * Bodies never carry a secret: they are built from Twilio's error fields and CallFlux's messages, which
 * never contain credentials, and an error body that is not Twilio's JSON (a proxy's page) is not echoed.
 */
@RestControllerAdvice
public class CallFluxErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(CallFluxErrorHandler.class);

    /** Twilio's "the call is not in a state that allows this update" (e.g. redirecting an ended call). */
    static final int CALL_NOT_IN_PROGRESS = 21220;

    /** The message of a 409 answering {@code POST /calls/{sid}/hangup} for a call that had ended. */
    static final String ALREADY_ENDED_MESSAGE = "the call has already ended: nothing to hang up";

    /** {@code Retry-After} when Twilio's 429 carried none. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    /** 400: {@code {"field": .., "rule": .., "message": ..}}. */
    @JsonPropertyOrder({"field", "rule", "message"})
    public record ValidationError(String field, String rule, String message) {
    }

    /**
     * 404, 409, 422, 502, 503 or 504: what Twilio (or the way to it) answered.
     *
     * @param status             this answer's HTTP status
     * @param twilioStatus       Twilio's HTTP status; absent for a transport failure
     * @param twilioCode         Twilio's error code, when it sent one
     * @param message            what went wrong
     * @param moreInfo           Twilio's link to the error's documentation
     * @param requestId          Twilio's {@code Twilio-Request-Id}, to quote to Twilio support
     * @param transportError     the kind of transport failure ({@code RESPONSE_TIMEOUT}, {@code CONNECT}, ...)
     * @param mayHaveBeenApplied whether Twilio may have applied the update despite the error (a 5xx or a
     *                           timeout after sending): check the call before repeating a redirect
     */
    @JsonPropertyOrder({"status", "twilio_status", "twilio_code", "message", "more_info", "request_id",
            "transport_error", "may_have_been_applied"})
    public record UpstreamError(
            int status,
            @JsonProperty("twilio_status") Integer twilioStatus,
            @JsonProperty("twilio_code") Integer twilioCode,
            String message,
            @JsonProperty("more_info") String moreInfo,
            @JsonProperty("request_id") String requestId,
            @JsonProperty("transport_error") String transportError,
            @JsonProperty("may_have_been_applied") boolean mayHaveBeenApplied) {
    }

    @ExceptionHandler(InvalidRequestException.class)
    public ResponseEntity<ValidationError> invalid(InvalidRequestException e) {
        log.debug("Refused before sending: {}", e.getMessage());
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(new ValidationError(e.field(), e.rule(), e.getMessage()));
    }

    @ExceptionHandler(TwilioApiException.class)
    public ResponseEntity<UpstreamError> twilio(TwilioApiException e, ServerWebExchange exchange) {
        HttpStatus status = statusFor(e);
        int twilioStatus = e.statusCode();
        String message;
        if (isHangupOfAnEndedCall(e, exchange)) {
            message = ALREADY_ENDED_MESSAGE;
            log.debug("UpdateCall refused: the call had already ended: {}", e.getMessage());
        } else if (twilioStatus == 401 || twilioStatus == 403) {
            // Our own credentials: nothing the caller can fix, and nothing about them goes out.
            message = "Twilio refused this service's credentials (HTTP " + twilioStatus + ")";
            log.error("Twilio refused the service's credentials: {}. Check TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN"
                    + " or TWILIO_API_KEY/TWILIO_API_SECRET", e.getMessage());
        } else {
            message = e.twilioMessage().orElse("Twilio answered HTTP " + twilioStatus);
            if (status.is5xxServerError()) {
                log.warn("UpdateCall failed: {}", e.getMessage());
            } else {
                log.debug("UpdateCall refused: {}", e.getMessage());
            }
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (twilioStatus == 429) {
            long seconds = Math.max(1, (e.retryAfter().orElse(DEFAULT_RETRY_AFTER).toMillis() + 999) / 1000);
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return answer.body(new UpstreamError(status.value(), twilioStatus, boxed(e.code()), message,
                e.moreInfo().orElse(null), e.requestId().orElse(null), null, e.mayHaveBeenApplied()));
    }

    @ExceptionHandler(CallFluxTransportException.class)
    public ResponseEntity<UpstreamError> transport(CallFluxTransportException e) {
        HttpStatus status = switch (e.kind()) {
            case RESPONSE_TIMEOUT, POOL_ACQUIRE_TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
            default -> HttpStatus.BAD_GATEWAY;
        };
        log.warn("UpdateCall failed: {}", e.getMessage());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new UpstreamError(status.value(), null, null, e.getMessage(), null, null, e.kind().name(),
                        e.mayHaveBeenApplied()));
    }

    /** Twilio's 21220 answering the single hang-up endpoint ({@code Status=completed} only, no redirect). */
    private static boolean isHangupOfAnEndedCall(TwilioApiException e, ServerWebExchange exchange) {
        return e.statusCode() == 400 && e.code().orElse(0) == CALL_NOT_IN_PROGRESS && exchange != null
                && exchange.getRequest().getPath().value().endsWith("/hangup");
    }

    /** The mapping of the class comment. */
    static HttpStatus statusFor(TwilioApiException e) {
        int s = e.statusCode();
        if (s == 404) {
            return HttpStatus.NOT_FOUND;
        }
        if (s == 400) {
            return e.code().orElse(0) == CALL_NOT_IN_PROGRESS ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_CONTENT;
        }
        if (s == 429) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        if (s == 408) {
            return HttpStatus.GATEWAY_TIMEOUT;
        }
        return HttpStatus.BAD_GATEWAY; // 401/403 (our credentials), 5xx, any other status
    }

    private static Integer boxed(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }
}
