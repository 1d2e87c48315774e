package dev.callflux.kafka;

import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.UpdateCallRequest;

/**
 * One command record, read: either a request to send, or the reason it cannot be sent ({@code field} and
 * {@code rule}), which becomes a FAILED result without reaching Twilio.
 */
record ParsedCommand(Coordinates at, String callSid, AccountSid account, UpdateCallRequest request,
                     boolean resendAllowed, String field, String rule) {

    static ParsedCommand valid(Coordinates at, String callSid, AccountSid account, UpdateCallRequest request,
                               boolean resendAllowed) {
        return new ParsedCommand(at, callSid, account, request, resendAllowed, null, null);
    }

    static ParsedCommand invalid(Coordinates at, String callSid, String field, String rule) {
        return new ParsedCommand(at, callSid, null, null, false, field, rule);
    }

    boolean isValid() {
        return request != null;
    }

    /** A redirect (Url or Twiml): not safe to apply twice, so it is sent only behind an acknowledged intent. */
    boolean isRedirect() {
        return request != null && !request.isIdempotent();
    }
}
