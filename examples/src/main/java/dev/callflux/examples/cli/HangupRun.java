package dev.callflux.examples.cli;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkCommand;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkProgress;
import dev.callflux.reactor.bulk.BulkResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One hang-up run through the bulk API: SIDs in, a report row and a journal line per SID as it finishes,
 * progress on standard error, a summary at the end. Ctrl-C (or SIGTERM) stops starting new requests, lets
 * those in flight finish for up to {@link #GRACE}, writes the report and the summary, and exits.
 */
final class HangupRun {

    /** How long in-flight requests may take to finish after Ctrl-C before they are abandoned. */
    static final Duration GRACE = Duration.ofSeconds(20);
    /**
     * Exit code after Ctrl-C (128 + SIGINT). The JVM, once a signal has started its shutdown, exits with
     * 128 + that signal's number whatever the program asks: 130 for Ctrl-C, 143 for SIGTERM.
     */
    static final int INTERRUPTED = 130;

    private final CallFluxClient client;
    private final UpdateCallRequest request;
    private final BulkOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final Duration progressInterval;

    HangupRun(CallFluxClient client, UpdateCallRequest request, BulkOptions options, PrintStream out,
              PrintStream err, boolean terminal, Duration progressInterval) {
        this.progressInterval = progressInterval;
        this.client = client;
        this.request = request;
        this.options = options;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * @param lines  opens the input (read lazily, off the event loops)
     * @param total  the number of SID lines, or -1 if unknown
     * @param stopOnInvalid end the run (after the results of SIDs already taken) at the first line that is
     *                      not a call SID
     * @return the exit code
     */
    int run(Supplier<Stream<SidInput.Line>> lines, long total, Path reportFile, Path journalFile, boolean json,
            boolean stopOnInvalid) throws IOException {
        Sinks.Empty<Void> stopStarting = Sinks.empty();
        Sinks.Empty<Void> abandon = Sinks.empty();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread onSignal = new Thread(() -> {
            interrupted.set(true);
            err.println("\ncallflux: stopping: no new requests; waiting up to " + GRACE.toSeconds() + " s for those in flight");
            stopStarting.tryEmitEmpty();
            try {
                if (!finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    abandon.tryEmitEmpty();
                    finished.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "callflux-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);

        Summary summary = new Summary();
        BulkProgress progress = new BulkProgress();
        AtomicLong skipped = new AtomicLong();
        long start = System.nanoTime();
        try (Journal journal = journalFile == null ? null : Journal.open(journalFile);
             Report report = reportFile == null ? null : Report.create(reportFile);
             ProgressDisplay display = ProgressDisplay.start(progress,
                     total < 0 ? -1 : total - (journal == null ? 0 : Math.min(total, journal.previouslySucceeded())),
                     terminal, err, progressInterval)) {
            Flux<BulkCommand<Long>> commands = Flux.using(lines::get, Flux::fromStream, Stream::close)
                    .filter(line -> {
                        boolean done = journal != null && journal.succeeded(line.text());
                        if (done) {
                            skipped.incrementAndGet();
                        }
                        return !done;
                    })
                    .map(line -> {
                        if (stopOnInvalid && !CallSid.isValid(line.text())) {
                            throw new SidInput.InputException("line " + line.number() + " is not a call SID: stopped (--stop-on-invalid)");
                        }
                        return BulkCommand.of(line.text(), request, line.number());
                    })
                    // Reading the input is blocking I/O: never on an event loop.
                    .subscribeOn(Schedulers.boundedElastic())
                    .takeUntilOther(stopStarting.asMono());
            BulkOptions watched = options.mutate().listener(progress).stopWhen(stopStarting.asMono()).build();
            for (BulkResult<Long> result : client.updateAll(commands, watched).takeUntilOther(abandon.asMono()).toIterable(256)) {
                summary.add(result);
                if (report != null) {
                    report.write(result, message(result));
                }
                if (journal != null) {
                    journal.record(result);
                }
            }
        } finally {
            summary.elapsed(Duration.ofNanos(System.nanoTime() - start));
            summary.skipped(skipped.get());
            if (interrupted.get()) {
                summary.interrupted();
            }
            (json ? out : err).println(json ? summary.json() : summary.text());
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the latch just released
            }
        }
        if (interrupted.get()) {
            return INTERRUPTED;
        }
        return summary.allSucceeded() ? 0 : CallFluxCli.SOME_FAILED;
    }

    /** The report's message: empty on success; the error, with the input line for a line that is not a SID. */
    static String message(BulkResult<Long> result) {
        Throwable e = result.error().orElse(null);
        if (e == null) {
            return "";
        }
        String m = e.getMessage();
        return e instanceof InvalidRequestException ? "line " + result.correlation() + ": " + m : m;
    }
}
