package dev.callflux.examples.cli;

import dev.callflux.core.encoding.FormEncoder;
import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.http.ApiEndpoint;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.core.model.UpdateStatus;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code callflux hangup}: end every call of a list, through the bulk API. */
@Command(name = "hangup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Hang up (or cancel) every call SID read from --sids FILE or standard input.",
                "One SID per line (blank lines and # comments skipped), or a CSV with a 'sid' column.",
                "Concurrency adapts to Twilio's 429s below --concurrency; safe retries; nothing is sent twice that could play twice."})
final class HangupCommand implements Callable<Integer> {

    /** How many invalid lines are listed before the rest are only counted. */
    static final int INVALID_LINES_SHOWN = 20;

    @ParentCommand
    CallFluxCli cli;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--sids", paramLabel = "FILE", description = "The SIDs (default: standard input).")
    Path sids;

    @Option(names = "--status", defaultValue = "completed", paramLabel = "completed|canceled",
            description = "completed (end the call whatever its state, the default) or canceled (only queued or ringing calls).")
    String status;

    @Option(names = "--concurrency", defaultValue = "100", paramLabel = "N",
            description = "Most requests at once (default ${DEFAULT-VALUE}); the client adapts below it to Twilio's limit.")
    int concurrency;

    @Option(names = "--rate", paramLabel = "N", description = "Most requests started per second (default: no cap).")
    double rate;

    @Option(names = "--report", paramLabel = "FILE.csv", description = "Write one row per SID: sid,outcome,http_status,twilio_code,attempts,millis,message.")
    Path report;

    @Option(names = "--journal", paramLabel = "FILE", description = "Record every finished SID here; a rerun with the same journal skips the SIDs that succeeded.")
    Path journal;

    @Option(names = "--dry-run", description = "Validate every line and print what would be sent; send nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the final summary as one JSON object on standard output.")
    boolean json;

    @Option(names = "--stop-on-invalid", description = {"Refuse the whole input (exit 2, nothing sent) if any line is not a call SID;",
            "from standard input, which cannot be read twice, stop at the first such line (exit 1).",
            "By default such lines are reported as failures, never sent, and the rest go on."})
    boolean stopOnInvalid;

    @Option(names = "--progress-interval", hidden = true, defaultValue = "5000", paramLabel = "MILLIS",
            description = "Milliseconds between plain progress lines (when standard error is not a terminal).")
    long progressIntervalMillis;

    @Override
    public Integer call() throws IOException {
        UpdateCallRequest request;
        try {
            request = UpdateCallRequest.builder().status(UpdateStatus.parse(status)).build();
        } catch (InvalidRequestException e) {
            cli.err.println("callflux: --status " + e.rule());
            return CallFluxCli.USAGE;
        }
        if (concurrency < 1 || rate < 0) {
            cli.err.println("callflux: --concurrency must be at least 1 and --rate not negative");
            return CallFluxCli.USAGE;
        }
        if (sids != null && !Files.isReadable(sids)) {
            cli.err.println("callflux: cannot read --sids " + sids);
            return CallFluxCli.USAGE;
        }
        SidInput input = sids != null ? SidInput.file(sids) : SidInput.stream(cli.in, "standard input");
        if (dryRun) {
            return dryRun(input, request);
        }
        long total = -1;
        try {
            if (sids != null) { // a file can be read twice: count it, and check it first if asked to
                Check check = check(input);
                total = check.lines;
                if (stopOnInvalid && check.invalid > 0) {
                    cli.err.printf("callflux: %,d of %,d lines are not call SIDs; nothing was sent (--stop-on-invalid)%n",
                            check.invalid, check.lines);
                    return CallFluxCli.USAGE;
                }
            }
        } catch (SidInput.InputException e) {
            cli.err.println("callflux: " + input.name() + ": " + e.getMessage());
            return CallFluxCli.USAGE;
        }
        CallFluxClient callflux;
        try {
            callflux = client.client(cli.env, concurrency);
        } catch (InvalidRequestException e) {
            cli.err.println("callflux: " + e.getMessage());
            return CallFluxCli.USAGE;
        }
        try (callflux) {
            BulkOptions options = BulkOptions.builder().maxInFlight(concurrency).ratePerSecond(rate).build();
            return new HangupRun(callflux, request, options, cli.out, cli.err, cli.terminal(),
                    Duration.ofMillis(Math.max(100, progressIntervalMillis)))
                    .run(input::lines, total, report, journal, json, stopOnInvalid);
        } catch (SidInput.InputException e) {
            cli.err.println("callflux: " + input.name() + ": " + e.getMessage());
            return CallFluxCli.USAGE;
        }
    }

    /** Counts the SID lines and reports those that are not call SIDs, by line number. */
    private Check check(SidInput input) {
        Check c = new Check();
        try (Stream<SidInput.Line> lines = input.lines()) {
            lines.forEach(line -> {
                c.lines++;
                if (!CallSid.isValid(line.text())) {
                    if (++c.invalid <= INVALID_LINES_SHOWN) {
                        cli.err.println("line " + line.number() + ": not a call SID: " + printable(line.text()));
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw new SidInput.InputException("cannot be read: " + e.getCause().getMessage());
        }
        if (c.invalid > INVALID_LINES_SHOWN) {
            cli.err.printf("... and %,d more invalid lines%n", c.invalid - INVALID_LINES_SHOWN);
        }
        return c;
    }

    private int dryRun(SidInput input, UpdateCallRequest request) {
        String account = client.account(cli.env);
        AccountSid path = account != null && AccountSid.isValid(account) ? AccountSid.of(account) : null;
        String form = FormEncoder.encodeToString(request);
        long valid = 0;
        long invalid = 0;
        try (Stream<SidInput.Line> lines = input.lines()) {
            for (SidInput.Line line : (Iterable<SidInput.Line>) lines::iterator) {
                if (CallSid.isValid(line.text())) {
                    valid++;
                    String p = path != null ? ApiEndpoint.updateCallPath(path, CallSid.of(line.text()))
                            : "/2010-04-01/Accounts/{AccountSid}/Calls/" + line.text() + ".json";
                    cli.out.println("POST " + p + " " + form);
                } else {
                    invalid++;
                    cli.err.println("line " + line.number() + ": not a call SID: " + printable(line.text()));
                }
            }
        } catch (SidInput.InputException e) {
            cli.err.println("callflux: " + input.name() + ": " + e.getMessage());
            return CallFluxCli.USAGE;
        }
        cli.err.printf("dry run: %,d requests would be sent, %,d invalid lines; nothing was sent%n", valid, invalid);
        return invalid == 0 ? 0 : CallFluxCli.USAGE;
    }

    /** A line shown back to the user: at most 60 characters, control characters escaped. */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 60; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return '"' + sb.toString() + (text.length() > 60 ? "…" : "") + '"';
    }

    private static final class Check {
        long lines;
        long invalid;
    }
}
