package dev.callflux.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.reactor.bulk.BatchStoppedException;
import dev.callflux.reactor.bulk.BulkResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The totals of a hang-up run, as a line of text or one JSON object. */
final class Summary {

    private long total;
    private long succeeded;
    private long alreadyEnded;
    private long failed;
    private long unknown;
    private long retries;
    private long skipped;
    private long duplicates;
    private long stillLive;
    private boolean interrupted;
    private boolean ofCommands;
    private String stoppedBecause;
    private final Map<String, Long> failuresByCode = new TreeMap<>();
    private Duration elapsed = Duration.ZERO;

    void add(BulkResult<?> result) {
        add(result.outcome(), result.attempts(), () -> reason(result));
    }

    /**
     * Counts one result.
     *
     * @param reason what failed, for a result that did not reach its goal (see {@link #reason(BulkResult)})
     */
    void add(BulkResult.Outcome outcome, int attempts, Supplier<String> reason) {
        total++;
        retries += Math.max(0, attempts - 1);
        switch (outcome) {
            case SUCCEEDED: succeeded++; return;
            case ALREADY_ENDED: alreadyEnded++; return;
            case FAILED: failed++; break;
            default: unknown++; break;
        }
        failuresByCode.merge(reason.get(), 1L, Long::sum);
    }

    /** Twilio's error code, or what else failed: {@code invalid}, {@code not_sent}, {@code connect}, ... */
    static String reason(BulkResult<?> result) {
        return reason(result.twilioCode(), result.httpStatus(), () -> {
            Throwable e = result.error().orElse(null);
            if (e instanceof InvalidRequestException) {
                return "invalid";
            }
            if (e instanceof BatchStoppedException) {
                return "not_sent";
            }
            if (e instanceof CallFluxTransportException) {
                return ((CallFluxTransportException) e).kind().name().toLowerCase(Locale.ROOT);
            }
            return "unexpected";
        });
    }

    /** Twilio's error code, else the HTTP status ({@code http_503}), else {@code otherwise}'s word. */
    static String reason(OptionalInt twilioCode, OptionalInt httpStatus, Supplier<String> otherwise) {
        if (twilioCode.isPresent()) {
            return Integer.toString(twilioCode.getAsInt());
        }
        if (httpStatus.isPresent()) {
            return "http_" + httpStatus.getAsInt();
        }
        return otherwise.get();
    }

    /** Commands never sent because the run was stopping: counted once, under their reason. */
    private long notSent() {
        return failuresByCode.getOrDefault("not_sent", 0L);
    }

    /** One of the succeeded results left the call live, as a cancel does to an answered call (see {@link dev.callflux.core.model.UpdateCallRequest#leftLive}). */
    void stillLive() {
        stillLive++;
    }

    void skipped(long n) {
        skipped = n;
    }

    void duplicates(long n) {
        duplicates = n;
    }

    void interrupted() {
        interrupted = true;
    }

    /** The run stopped early on a fatal error, described for the user. */
    void stoppedBecause(String reason) {
        stoppedBecause = reason;
    }

    boolean stopped() {
        return stoppedBecause != null;
    }

    String stoppedReason() {
        return stoppedBecause;
    }

    void elapsed(Duration d) {
        elapsed = d;
    }

    long total() {
        return total;
    }

    /** Every SID reached its goal: hung up now, or already ended. */
    boolean allDone() {
        return succeeded + alreadyEnded == total && !interrupted && stoppedBecause == null;
    }

    double callsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : total / s;
    }

    /** The results of commands run elsewhere (by workers): counted, not timed. */
    void ofCommands() {
        ofCommands = true;
    }

    String text() {
        String what = ofCommands
                ? String.format(Locale.ROOT, "%s%,d command%s", interrupted ? "interrupted: " : "", total, total == 1 ? "" : "s")
                : String.format(Locale.ROOT, "%s %,d call%s in %.1f s (%,.0f calls/s)",
                        interrupted ? "interrupted after" : stoppedBecause != null ? "stopped after" : "finished", total,
                        total == 1 ? "" : "s", elapsed.toNanos() / 1e9, callsPerSecond());
        StringBuilder sb = new StringBuilder(what).append(String.format(Locale.ROOT,
                ": %,d succeeded, %,d already ended, %,d failed, %,d unknown outcome, %,d retries",
                succeeded, alreadyEnded, failed, unknown, retries));
        if (stillLive > 0) {
            sb.append(String.format(Locale.ROOT, "; %,d of the succeeded still live (a cancel ends only queued or ringing"
                    + " calls; --status completed ends them)", stillLive));
        }
        if (!failuresByCode.isEmpty()) {
            sb.append("; failures by code ").append(failuresByCode);
        }
        long notSent = notSent();
        if (notSent > 0) {
            sb.append(String.format(Locale.ROOT, "; %,d not sent (a rerun with the same --journal sends them)", notSent));
        }
        if (skipped > 0) {
            sb.append(String.format(Locale.ROOT, "; %,d skipped (done in an earlier run, says the journal)", skipped));
        }
        if (duplicates > 0) {
            sb.append(String.format(Locale.ROOT, "; %,d duplicate SIDs sent once", duplicates));
        }
        if (stoppedBecause != null) {
            sb.append(System.lineSeparator()).append("callflux: stopped: ").append(stoppedBecause);
        }
        return sb.toString();
    }

    String json() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("total", total);
            g.writeNumberField("succeeded", succeeded);
            g.writeNumberField("already_ended", alreadyEnded);
            g.writeNumberField("still_live", stillLive);
            g.writeNumberField("failed", failed);
            g.writeNumberField("unknown", unknown);
            g.writeNumberField("not_sent", notSent());
            g.writeObjectFieldStart("failures_by_code");
            for (Map.Entry<String, Long> e : failuresByCode.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("retries", retries);
            g.writeNumberField("skipped", skipped);
            g.writeNumberField("duplicates", duplicates);
            g.writeBooleanField("interrupted", interrupted);
            if (stoppedBecause != null) {
                g.writeStringField("stopped", stoppedBecause);
            } else {
                g.writeNullField("stopped");
            }
            g.writeNumberField("elapsed_seconds", Math.round(elapsed.toMillis()) / 1000.0);
            g.writeNumberField("calls_per_second", Math.round(callsPerSecond() * 10) / 10.0);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
