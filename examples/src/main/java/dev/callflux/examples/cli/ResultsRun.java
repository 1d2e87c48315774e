package dev.callflux.examples.cli;

import dev.callflux.kafka.ResultRecord;
import dev.callflux.reactor.bulk.BulkResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code callflux results}: the results topic read from its beginning, the last record of each
 * command id kept, rows to the report as they come, and the summary at the end.
 */
final class ResultsRun {

    private final ResultsCommand o;
    private final Duration limit;

    ResultsRun(ResultsCommand options, Duration limit) {
        this.o = options;
        this.limit = limit;
    }

    int run() throws IOException {
        Properties settings = o.kafka.properties(o.cli.env);
        String prefix = o.batch == null ? null : o.batch.strip() + "-";
        Map<String, ResultRecord> finals = new HashMap<>();
        long[] duplicates = {0};
        Report rows;
        try {
            rows = o.report == null ? null : Report.open(o.report);
        } catch (SidInput.InputException e) {
            throw new ClientOptions.UsageException(e.getMessage());
        }
        ShutdownSignal signal = new ShutdownSignal(s -> s.awaitFinished(15_000));
        long started = System.nanoTime();
        long deadline = limit == null ? Long.MAX_VALUE : started + limit.toNanos();
        long[] lastProgress = {started};
        // When the count last moved: a batch that stops moving says why it may have (a worker crashed or none runs).
        long[] lastChange = {started};
        int[] lastCount = {0};
        long unreadable;
        try (Report r = rows) {
            unreadable = KafkaSetup.readResults(settings, o.topic, o.expect == 0, result -> {
                if (prefix != null && !result.commandId().startsWith(prefix)) {
                    return;
                }
                if (finals.put(result.commandId(), result) != null) {
                    duplicates[0]++;
                }
                if (r != null) {
                    try {
                        r.write(result.callSid() != null ? result.callSid() : "", result.outcome(), result.httpStatus(),
                                result.twilioCode(), result.attempts(), "", message(result));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }, () -> {
                long now = System.nanoTime();
                if (finals.size() != lastCount[0]) {
                    lastChange[0] = now;
                    lastCount[0] = finals.size();
                }
                long interval = TimeUnit.MILLISECONDS.toNanos(Math.max(100, o.progressIntervalMillis));
                if (!o.quiet && o.expect > 0 && now - lastProgress[0] >= interval) {
                    lastProgress[0] = now;
                    o.cli.err.println(String.format(Locale.ROOT, "results: %,d of %,d", finals.size(), o.expect)
                            + (now - lastChange[0] >= 3 * interval ? stalled(now - lastChange[0]) : ""));
                }
                return signal.received() || (o.expect > 0 && finals.size() >= o.expect) || now >= deadline;
            });
        } catch (KafkaSetup.KafkaProblem e) {
            o.cli.err.println("callflux: " + e.getMessage());
            return CallFluxCli.STOPPED;
        } catch (UncheckedIOException e) {
            o.cli.err.println("callflux: cannot write the report: " + IoMessages.reason(e.getCause()));
            return CallFluxCli.SOME_FAILED;
        } finally {
            signal.close();
        }
        Summary summary = new Summary();
        finals.values().forEach(res -> {
            summary.add(res.outcome(), res.attempts(), () -> reason(res));
            if (res.stillLive()) {
                summary.stillLive();
            }
        });
        summary.ofCommands();
        if (signal.received()) {
            summary.interrupted();
        }
        if (o.json) {
            o.cli.out.println(summary.json());
        } else {
            o.cli.err.println(summary.text()
                    + (duplicates[0] > 0 ? String.format(Locale.ROOT, "; %,d duplicate result records (delivered again after a"
                    + " worker stopped or crashed; the later counts)", duplicates[0]) : "")
                    + (unreadable > 0 ? String.format(Locale.ROOT, "; %,d records that are not results skipped", unreadable) : ""));
        }
        boolean complete = o.expect == 0 || finals.size() >= o.expect;
        if (!complete) {
            o.cli.err.println(String.format(Locale.ROOT, "callflux: %,d of the %,d commands expected have no result yet%s",
                    o.expect - finals.size(), o.expect, limit != null && !signal.received() ? " (--timeout " + o.timeout + ")" : ""));
        }
        if (signal.received()) {
            return HangupRun.INTERRUPTED;
        }
        return complete && summary.allDone() ? 0 : CallFluxCli.SOME_FAILED;
    }

    /**
     * Said on the progress line once no result has come for three intervals: the two usual reasons, in the words
     * of the commands an operator runs. A worker that dies is replaced only when Kafka's group notices, after its
     * session timeout (45 s by default), so a pause of that length is expected and not a fault of this command.
     */
    private static String stalled(long nanos) {
        return String.format(Locale.ROOT, " (none new for %d s: is a 'callflux worker' running? One that stopped"
                + " hands its commands to the others after the group's session timeout, 45 s by default)",
                TimeUnit.NANOSECONDS.toSeconds(nanos));
    }

    /** The report's message: empty on success, else what the worker said. */
    private static String message(ResultRecord r) {
        if (r.outcome() == BulkResult.Outcome.ALREADY_ENDED) {
            return "the call had already ended";
        }
        if (r.stillLive()) {
            return "still live: the call is " + r.callStatus().orElse("live") + " (a cancel ends only queued or ringing calls)";
        }
        String error = r.error().orElse("");
        return r.callSid() == null ? "command " + r.commandId() + ": " + error : error;
    }

    /** As {@link Summary#reason(BulkResult)} says it for a result of this process. */
    private static String reason(ResultRecord r) {
        return Summary.reason(r.twilioCode(), r.httpStatus(), () -> r.field().isPresent() ? "invalid"
                : r.outcome() == BulkResult.Outcome.UNKNOWN ? "unknown" : "unexpected");
    }
}
