package dev.callflux.reactor.bulk;

import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.UpdateCallRequest;
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
        UNKNOWN,
        /**
         * A hang-up or cancel reached a call that had already ended (Twilio's 400 with code 21220, "Call is not
         * in-progress"): the goal of the command is reached. Only for a {@code Status} update without
         * {@code Url}/{@code Twiml}; a redirect of an ended call is {@link #FAILED}.
         */
        ALREADY_ENDED
    }

    /** Twilio's code for an update of a call that is no longer live. */
    static final int NOT_IN_PROGRESS = 21220;

    private final T correlation;
    private final String callSid;
    private final Call call;
    private final Throwable error;
    private final int attempts;
    private final Duration elapsed;
    private final Outcome outcome;

    private BulkResult(T correlation, String callSid, Call call, Throwable error, int attempts, Duration elapsed,
                       Outcome outcome) {
        this.outcome = outcome;
        this.correlation = correlation;
        this.callSid = callSid;
        this.call = call;
        this.error = error;
        this.attempts = attempts;
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    }

    /**
     * A success. The engine makes results; this and {@link #failure(Object, String, Throwable, int, Duration)} are
     * for the tests of code that consumes them (a report writer, say), without running a batch.
     *
     * @param <T>         the correlation value's type
     * @param correlation the command's correlation value
     * @param callSid     the command's call SID as given
     * @param call        the call as Twilio returned it; {@code null} throws {@link NullPointerException}
     * @param attempts    requests sent for the command, at least 1
     * @param elapsed     time from the command's start to this result; {@code null} throws {@link NullPointerException}
     * @return a result whose outcome is {@link Outcome#SUCCEEDED}
     */
    public static <T> BulkResult<T> success(T correlation, String callSid, Call call, int attempts, Duration elapsed) {
        return new BulkResult<>(correlation, callSid, Objects.requireNonNull(call, "call"), null, attempts, elapsed,
                Outcome.SUCCEEDED);
    }

    /**
     * A final failure.
     *
     * @param <T>         the correlation value's type
     * @param correlation the command's correlation value
     * @param callSid     the command's call SID as given
     * @param error       the last error; {@code null} throws {@link NullPointerException}
     * @param attempts    requests sent for the command, 0 when it was refused before sending
     * @param elapsed     time from the command's start to this result; {@code null} throws {@link NullPointerException}
     * @return a result whose outcome is {@link Outcome#FAILED} or {@link Outcome#UNKNOWN}, as {@code error} says
     */
    public static <T> BulkResult<T> failure(T correlation, String callSid, Throwable error, int attempts, Duration elapsed) {
        Objects.requireNonNull(error, "error");
        // Anything that is not a CallFlux failure (a bug) leaves the outcome unknown.
        boolean mayHaveBeenApplied = !(error instanceof CallFluxException) || ((CallFluxException) error).mayHaveBeenApplied();
        return new BulkResult<>(correlation, callSid, null, error, attempts, elapsed,
                mayHaveBeenApplied ? Outcome.UNKNOWN : Outcome.FAILED);
    }

    /**
     * The final failure of {@code request}, which is {@link Outcome#ALREADY_ENDED} when Twilio said the call
     * is no longer live (400, code 21220) and the request only ends it.
     */
    static <T> BulkResult<T> failure(T correlation, String callSid, UpdateCallRequest request, Throwable error,
                                     int attempts, Duration elapsed) {
        if (isAlreadyEnded(request, error)) {
            return new BulkResult<>(correlation, callSid, null, error, attempts, elapsed, Outcome.ALREADY_ENDED);
        }
        return failure(correlation, callSid, error, attempts, elapsed);
    }

    /** Whether {@code error} answers a hang-up or cancel of a call that had already ended. */
    static boolean isAlreadyEnded(UpdateCallRequest request, Throwable error) {
        if (!(error instanceof TwilioApiException)) {
            return false;
        }
        TwilioApiException api = (TwilioApiException) error;
        return api.statusCode() == 400 && api.code().orElse(0) == NOT_IN_PROGRESS
                && request.status().isPresent() && request.url().isEmpty() && request.twiml().isEmpty();
    }

    /**
     * The command's correlation value.
     *
     * @return the value the command carried, possibly {@code null}
     */
    public T correlation() {
        return correlation;
    }

    /**
     * The command's call SID, as given.
     *
     * @return the SID as the command had it, possibly malformed or {@code null}
     */
    public String callSid() {
        return callSid;
    }

    /**
     * Whether Twilio applied the update.
     *
     * @return {@code true} when {@link #call()} is present, that is for {@link Outcome#SUCCEEDED}
     */
    public boolean isSuccess() {
        return call != null;
    }

    /**
     * Whether nothing is left to do for this command: Twilio applied it, or (for a hang-up or cancel) the call
     * had already ended.
     *
     * @return {@code true} for {@link Outcome#SUCCEEDED} and {@link Outcome#ALREADY_ENDED}
     */
    public boolean isGoalReached() {
        return outcome == Outcome.SUCCEEDED || outcome == Outcome.ALREADY_ENDED;
    }

    /**
     * What the call's state is known to be after the command.
     *
     * @return {@link Outcome#SUCCEEDED} on success; on failure {@link Outcome#FAILED} when the error says the
     *         update was certainly not applied, otherwise {@link Outcome#UNKNOWN} (also for an error that is not
     *         a {@link CallFluxException}); {@link Outcome#ALREADY_ENDED} for a hang-up or cancel of a call that
     *         had already ended
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * The call as Twilio returned it, on success.
     *
     * @return the call, or empty on failure
     */
    public Optional<Call> call() {
        return Optional.ofNullable(call);
    }

    /**
     * The final error, on failure: usually a {@link CallFluxException}.
     *
     * @return the error of the last attempt, or empty on success
     */
    public Optional<Throwable> error() {
        return Optional.ofNullable(error);
    }

    /**
     * HTTP status of the final answer: 200 on success, Twilio's status on an API error; empty otherwise.
     *
     * @return the status, or empty when no HTTP answer decided the result (a transport failure, a malformed SID)
     */
    public OptionalInt httpStatus() {
        if (call != null) {
            return OptionalInt.of(200);
        }
        return error instanceof TwilioApiException ? OptionalInt.of(((TwilioApiException) error).statusCode()) : OptionalInt.empty();
    }

    /**
     * Twilio's error code of the final answer, when there was one.
     *
     * @return the code (20429 for Twilio's concurrency limit, say), or empty on success, without an API error,
     *         or when Twilio's body carried no code
     */
    public OptionalInt twilioCode() {
        return error instanceof TwilioApiException ? ((TwilioApiException) error).code() : OptionalInt.empty();
    }

    /**
     * Requests sent for this command (0 when it was refused before sending).
     *
     * @return the number of attempts, 429 answers included
     */
    public int attempts() {
        return attempts;
    }

    /**
     * Time from the command's start to its result, waits included.
     *
     * @return the elapsed time, never {@code null}
     */
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "BulkResult{callSid=" + callSid + ", outcome=" + outcome() + ", attempts=" + attempts
                + ", elapsed=" + elapsed.toMillis() + "ms" + (error == null ? "" : ", error=" + error.getMessage()) + '}';
    }
}
