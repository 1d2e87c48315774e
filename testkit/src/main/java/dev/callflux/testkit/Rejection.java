package dev.callflux.testkit;

/**
 * An answer other than 200 decided while handling a request: an HTTP status, a Twilio error code and a
 * message. Thrown and caught inside the simulator only; carries no stack trace.
 */
final class Rejection extends RuntimeException {

    private final int status;
    private final int code;

    Rejection(int status, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    int code() {
        return code;
    }

    static Rejection badRequest(String message) {
        return new Rejection(400, TwilioErrors.INVALID_PARAMETER, message);
    }

    static Rejection badUrl(String message) {
        return new Rejection(400, TwilioErrors.INVALID_URL, message);
    }

    static Rejection notFound(String resource) {
        return new Rejection(404, TwilioErrors.NOT_FOUND, "The requested resource " + resource + " was not found");
    }
}
