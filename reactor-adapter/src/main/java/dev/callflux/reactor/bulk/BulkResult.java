package dev.callflux.reactor.bulk;

import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.Call;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What became of one {@link BulkCommand}: exactly one result per command. Either the {@link Call} Twilio
 * returned, or the final error with its {@link Outcome}; plus how many attempts it took and how long.
 *
 * @param <T> the command's correlation value
 */
public final class BulkResult<T> {

    /** What the call's state is known to be after the command. */
    public enum Outcome {
        /** Twilio applied the update and returned the call. */
        SUCCEEDED,
        /** The update failed and was certainly not applied (a 4xx, a 429 out of retries, nothing sent...). */
        FAILED,
        /** The update failed but may have been applied: a 5xx, a timeout or reset after the request was sent. */
        UNKNOWN
    }

    private final T correlation;
    private final String callSid;
    private final Call call;
    private final Throwable error;
    private final int attempts;
    private final Duration elapsed;

    private BulkResult(T correlation, String callSid, Call call, Throwable error, int attempts, Duration elapsed) {
        this.correlation = correlation;
        this.callSid = callSid;
        this.call = call;
        this.error = error;
        this.attempts = attempts;
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    }

    /** A success. */
    public static <T> BulkResult<T> success(T correlation, String callSid, Call call, int attempts, Duration elapsed) {
        return new BulkResult<>(correlation, callSid, Objects.requireNonNull(call, "call"), null, attempts, elapsed);
    }

    /** A final failure. */
    public static <T> BulkResult<T> failure(T correlation, String callSid, Throwable error, int attempts, Duration elapsed) {
        return new BulkResult<>(correlation, callSid, null, Objects.requireNonNull(error, "error"), attempts, elapsed);
    }

    /** The command's correlation value. */
    public T correlation() {
        return correlation;
    }

    /** The command's call SID, as given. */
    public String callSid() {
        return callSid;
    }

    public boolean isSuccess() {
        return call != null;
    }

    public Outcome outcome() {
        if (call != null) {
            return Outcome.SUCCEEDED;
        }
        // Anything that is not a CallFlux failure (a bug) leaves the outcome unknown.
        boolean mayHaveBeenApplied = !(error instanceof CallFluxException) || ((CallFluxException) error).mayHaveBeenApplied();
        return mayHaveBeenApplied ? Outcome.UNKNOWN : Outcome.FAILED;
    }

    /** The call as Twilio returned it, on success. */
    public Optional<Call> call() {
        return Optional.ofNullable(call);
    }

    /** The final error, on failure: usually a {@link CallFluxException}. */
    public Optional<Throwable> error() {
        return Optional.ofNullable(error);
    }

    /** HTTP status of the final answer: 200 on success, Twilio's status on an API error; empty otherwise. */
    public OptionalInt httpStatus() {
        if (call != null) {
            return OptionalInt.of(200);
        }
        return error instanceof TwilioApiException ? OptionalInt.of(((TwilioApiException) error).statusCode()) : OptionalInt.empty();
    }

    /** Twilio's error code of the final answer, when there was one. */
    public OptionalInt twilioCode() {
        return error instanceof TwilioApiException ? ((TwilioApiException) error).code() : OptionalInt.empty();
    }

    /** Requests sent for this command (0 when it was refused before sending). */
    public int attempts() {
        return attempts;
    }

    /** Time from the command's start to its result, waits included. */
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "BulkResult{callSid=" + callSid + ", outcome=" + outcome() + ", attempts=" + attempts
                + ", elapsed=" + elapsed.toMillis() + "ms" + (error == null ? "" : ", error=" + error.getMessage()) + '}';
    }
}
