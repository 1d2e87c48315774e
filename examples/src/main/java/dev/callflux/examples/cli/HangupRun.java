package dev.callflux.examples.cli;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.core.model.UpdateStatus;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BatchStoppedException;
import dev.callflux.reactor.bulk.BulkCommand;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkProgress;
import dev.callflux.reactor.bulk.BulkResult;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One hang-up run through the bulk API: SIDs in (each sent once per run, those the journal says are done
 * skipped), a report row and a journal line per SID as it finishes, progress on standard error, a summary at
 * the end. Ctrl-C (or SIGTERM) stops starting new requests, lets those in flight finish for up to
 * {@link #GRACE}, writes the report and the summary, and exits. A fatal error (credentials refused, endpoint
 * unreachable) stops the run within seconds: the rest of the SIDs are reported "not sent".
 */
final class HangupRun {

    /** How long in-flight requests may take to finish after Ctrl-C before they are abandoned. */
    static final Duration GRACE = Duration.ofSeconds(20);
    /**
     * Exit code after Ctrl-C (128 + SIGINT). The JVM, once a signal has started its shutdown, exits with
     * 128 + that signal's number whatever the program asks: 130 for Ctrl-C, 143 for SIGTERM.
     */
    static final int INTERRUPTED = 130;

    /** Where the SIDs come from. */
    record Input(String name, Supplier<Stream<SidInput.Line>> lines, LongSupplier total, BooleanSupplier mayDraw) {

        static Input of(SidInput in) {
            // While someone types SIDs at the terminal, progress would draw over what they type.
            BooleanSupplier mayDraw = in.fromTerminal() ? in::reachedEnd : () -> true;
            return new Input(in.name(), in::lines, in::estimatedTotal, mayDraw);
        }
    }

    /** Standard output and error, and how progress is shown there. */
    record Console(PrintStream out, PrintStream err, ProgressDisplay.Mode mode, int width, Duration interval) {
    }

    private final CallFluxClient client;
    private final UpdateCallRequest request;
    private final BulkOptions options;
    private final Console console;
    private final String credentialsHint;

    HangupRun(CallFluxClient client, UpdateCallRequest request, BulkOptions options, Console console, String credentialsHint) {
        this.client = client;
        this.request = request;
        this.options = options;
        this.console = console;
        this.credentialsHint = credentialsHint;
    }

    /**
     * @param report        where each SID's row goes, or {@code null}; closed (and compacted) by the caller
     * @param journal       what earlier runs did and this one does, or {@code null}; closed by the caller
     * @param stopOnInvalid end the run (after the results of SIDs already taken) at the first line that is
     *                      not a call SID
     * @return the exit code
     * @throws SidInput.InputException when the input cannot be read on (after the results of what was read)
     */
    int run(Input input, Report report, Journal journal, boolean json, boolean stopOnInvalid) throws IOException {
        Sinks.Empty<Void> stopStarting = Sinks.empty();
        Sinks.Empty<Void> abandon = Sinks.empty();
        PrintStream err = console.err();
        ShutdownSignal signal = new ShutdownSignal(s -> {
            err.println("\ncallflux: stopping: no new requests; waiting up to " + GRACE.toSeconds() + " s for those in flight");
            stopStarting.tryEmitEmpty();
            if (!s.awaitFinished(GRACE.toMillis())) {
                abandon.tryEmitEmpty();
                s.awaitFinished(10_000);
            }
        });

        Summary summary = new Summary();
        BulkProgress progress = new BulkProgress();
        AtomicLong skipped = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        SidSet seen = new SidSet();
        AtomicLong invalidShown = new AtomicLong();
        String endpoint = client.endpoint().baseUrl();
        try (ProgressDisplay display = new ProgressDisplay(progress, () -> remaining(input, skipped, duplicates),
                console.mode(), err, console.interval(), console.width(), input.mayDraw())) {
            Flux<BulkCommand<Long>> commands = Flux.using(input.lines()::get, Flux::fromStream, Stream::close)
                    .filter(line -> {
                        String sid = line.text();
                        if (!CallSid.isValid(sid)) {
                            return true; // reported as invalid by the engine, never sent
                        }
                        if (!seen.add(sid)) {
                            duplicates.incrementAndGet();
                            return false;
                        }
                        BulkResult.Outcome done = journal == null ? null : journal.doneOutcome(sid);
                        if (done != null) {
                            skipped.incrementAndGet();
                            if (report != null) {
                                write(() -> report.writeSkipped(sid, done.name()));
                            }
                            return false;
                        }
                        return true;
                    })
                    .map(line -> {
                        if (stopOnInvalid && !CallSid.isValid(line.text())) {
                            throw new SidInput.InputException("line " + line.number() + ": not a call SID: "
                                    + HangupCommand.printable(line.text()) + "; stopped (--stop-on-invalid)");
                        }
                        return BulkCommand.of(line.text(), request, line.number());
                    })
                    // Reading the input is blocking I/O: never on an event loop.
                    .subscribeOn(Schedulers.boundedElastic())
                    .takeUntilOther(stopStarting.asMono());
            BulkOptions watched = options.mutate().listener(progress).stopWhen(stopStarting.asMono()).build();
            for (BulkResult<Long> result : client.updateAll(commands, watched).takeUntilOther(abandon.asMono()).toIterable(256)) {
                summary.add(result);
                // A cancel that reached an answered call: the update succeeded, the call did not end (see leftLive).
                boolean stillLive = result.call().map(request::leftLive).orElse(false);
                if (stillLive) {
                    summary.stillLive();
                }
                if (result.error().orElse(null) instanceof InvalidRequestException
                        && invalidShown.incrementAndGet() <= HangupCommand.INVALID_LINES_SHOWN) {
                    err.println("line " + result.correlation() + ": not a call SID: " + HangupCommand.printable(String.valueOf(result.callSid())));
                }
                if (!summary.stopped() && result.error().orElse(null) instanceof BatchStoppedException
                        && ((BatchStoppedException) result.error().get()).isFatal()) {
                    summary.stoppedBecause(CliMessages.describe(result.error().get().getCause(), endpoint, credentialsHint));
                }
                if (report != null) {
                    report.write(result, stillLive ? stillLiveMessage(request, result.call().get())
                            : message(result, endpoint, credentialsHint));
                }
                if (journal != null) {
                    journal.record(result);
                }
            }
        } finally {
            if (invalidShown.get() > HangupCommand.INVALID_LINES_SHOWN) {
                err.printf("... and %,d more lines that are not call SIDs (see the report)%n", invalidShown.get() - HangupCommand.INVALID_LINES_SHOWN);
            }
            summary.elapsed(progress.snapshot().elapsed());
            summary.skipped(skipped.get());
            summary.duplicates(duplicates.get());
            if (signal.received()) {
                summary.interrupted();
            }
            if (json) {
                console.out().println(summary.json());
                if (summary.stopped()) {
                    err.println("callflux: stopped: " + summary.stoppedReason());
                }
            } else {
                err.println(summary.text());
            }
            signal.close();
        }
        if (signal.received()) {
            return INTERRUPTED;
        }
        if (summary.total() == 0 && skipped.get() == 0 && duplicates.get() == 0) {
            // Most often an upstream command that failed (twilio-cli without credentials): say so, not just "0 calls".
            err.println("callflux: " + input.name() + " held no call SIDs: nothing was sent");
        }
        if (summary.stopped()) {
            return CallFluxCli.STOPPED;
        }
        return summary.allDone() ? 0 : CallFluxCli.SOME_FAILED;
    }

    /** The SIDs that will get a result: the input's (estimated) total less those skipped. */
    private static long remaining(Input input, AtomicLong skipped, AtomicLong duplicates) {
        long total = input.total().getAsLong();
        return total < 0 ? -1 : Math.max(0, total - skipped.get() - duplicates.get());
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void write(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String stillLiveMessage(UpdateCallRequest request, Call call) {
        return request.status().orElse(null) == UpdateStatus.CANCELED
                ? "not canceled: the call is " + call.status().value() + " (a cancel ends only queued or ringing calls;"
                        + " --status completed ends it)"
                : "still live: Twilio answered with the call " + call.status().value();
    }

    /** The report's message: empty on success; the error in the CLI's words, with the line for a line that is not a SID. */
    static String message(BulkResult<Long> result, String endpoint, String credentialsHint) {
        Throwable e = result.error().orElse(null);
        if (e == null) {
            return "";
        }
        if (result.outcome() == BulkResult.Outcome.ALREADY_ENDED) {
            return "the call had already ended";
        }
        if (e instanceof InvalidRequestException) {
            return "line " + result.correlation() + ": not a call SID (" + ((InvalidRequestException) e).rule() + ")";
        }
        return CliMessages.describe(e, endpoint, credentialsHint);
    }
}
