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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code callflux hangup}: end every call of a list, through the bulk API. */
@Command(name = "hangup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Hang up (or cancel) every call SID read from --sids FILE, standard input, or --sid.",
                "One SID per line (blank lines and # comments skipped), a CSV with a 'sid' column, or what twilio-cli prints"
                        + " (its columns, -o tsv, -o json):",
                "  twilio api:core:calls:list --status in-progress -o json | callflux hangup",
                "A SID listed twice is sent once. A call that had already ended counts as done (already ended).",
                "Concurrency adapts to Twilio's 429s below --concurrency; safe retries; nothing is sent twice that could play twice."})
final class HangupCommand implements Callable<Integer> {

    /** How many invalid lines the dry run lists before the rest are only counted. */
    static final int INVALID_LINES_SHOWN = 20;

    @ParentCommand
    CallFluxCli cli;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--sids", paramLabel = "FILE", description = "The SIDs: a file, a pipe, or - for standard input (the default).")
    String sids;

    @Option(names = "--sid", paramLabel = "CA...", description = "A call to hang up, instead of --sids (repeat for more).")
    List<String> sid;

    @Option(names = "--status", defaultValue = "completed", paramLabel = "completed|canceled",
            description = "completed (end the call whatever its state, the default) or canceled (only queued or ringing calls: an answered call stays live, and the summary counts it).")
    String status;

    @Option(names = "--concurrency", defaultValue = "100", paramLabel = "N",
            description = "Most requests at once (default ${DEFAULT-VALUE}); the client adapts below it to Twilio's limit.")
    int concurrency;

    @Option(names = "--rate", paramLabel = "N", description = "Most requests started per second (default: no cap).")
    double rate;

    @Option(names = "--report", paramLabel = "FILE.csv", description = {"One row per SID: sid,outcome,http_status,twilio_code,attempts,millis,message.",
            "Rerun with the same file: it keeps the earlier rows and ends with one final row per SID."})
    Path report;

    @Option(names = "--journal", paramLabel = "FILE", description = {"Record every finished SID here; a rerun with the same journal skips the SIDs that are done.",
            "A journal belongs to one account, endpoint and operation: using it for another is refused."})
    Path journal;

    @Option(names = "--dry-run", description = "Validate every line and print each request that would be sent (full URL); send nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the final summary as one JSON object on standard output.")
    boolean json;

    @Option(names = "--stop-on-invalid", description = {"Stop at the first line that is not a call SID (the SIDs before it are sent); exit 2.",
            "By default such lines are reported as failures, never sent, and the rest go on."})
    boolean stopOnInvalid;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no notes on standard error; only the summary and errors.")
    boolean quiet;

    @Option(names = "--no-progress", description = "No progress display.")
    boolean noProgress;

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
        if (concurrency < 1) {
            cli.err.println("callflux: --concurrency must be at least 1 (got " + concurrency + ")");
            return CallFluxCli.USAGE;
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) { // NaN too
            cli.err.println("callflux: --rate must be 0 (no cap) or a positive number of requests per second (got "
                    + rate + ")");
            return CallFluxCli.USAGE;
        }
        if (sid != null && sids != null) {
            cli.err.println("callflux: give --sid or --sids, not both");
            return CallFluxCli.USAGE;
        }
        // Before anything is opened: either file would otherwise be refused, or taken over, as the other's.
        Path sidsFile = null;
        try {
            sidsFile = sids == null || sids.equals("-") ? null : Path.of(sids);
        } catch (java.nio.file.InvalidPathException e) {
            // SidInput refuses it below, in the user's words
        }
        String clash = sameFile(report, journal) ? "--report and --journal must be different files"
                : sameFile(sidsFile, report) ? "--report must not be the --sids file: it would be overwritten"
                : sameFile(sidsFile, journal) ? "--journal must not be the --sids file: it would be written to"
                : null;
        if (clash != null) {
            cli.err.println("callflux: " + clash);
            return CallFluxCli.USAGE;
        }
        HangupRun.Input input;
        if (sid != null) {
            input = listed(sid);
        } else {
            SidInput in;
            try {
                in = SidInput.open(sids, cli.in);
            } catch (SidInput.InputException e) {
                cli.err.println("callflux: " + e.getMessage());
                return CallFluxCli.USAGE;
            }
            if (in.fromTerminal() && !quiet) {
                cli.err.println("reading call SIDs from standard input, end with Ctrl-D");
            }
            input = HangupRun.Input.of(in);
        }
        String note = client.credentialsNote(cli.env);
        if (note != null && !quiet) {
            cli.err.println("callflux: " + note);
        }
        if (dryRun) {
            return dryRun(input, request);
        }
        try (CallFluxClient callflux = client.client(cli.env, concurrency)) {
            BulkOptions options = BulkOptions.builder().maxInFlight(concurrency).ratePerSecond(rate).build();
            HangupRun run = new HangupRun(callflux, request, options, console(), client.credentialsHint(cli.env));
            Journal j = null;
            Report r = null;
            try {
                j = journal == null ? null : Journal.open(journal, Journal.Identity.of(callflux, request));
                r = report == null ? null : Report.open(report);
            } catch (SidInput.InputException e) {
                closeQuietly(j);
                cli.err.println("callflux: " + e.getMessage());
                return CallFluxCli.USAGE;
            }
            try (Journal jj = j; Report rr = r) {
                return run.run(input, rr, jj, json, stopOnInvalid);
            } catch (SidInput.InputException e) {
                cli.err.println("callflux: " + input.name() + ": " + e.getMessage());
                return CallFluxCli.USAGE;
            } catch (IOException | java.io.UncheckedIOException e) {
                IOException cause = e instanceof IOException ? (IOException) e : ((java.io.UncheckedIOException) e).getCause();
                cli.err.println("callflux: cannot write the report or the journal: " + IoMessages.reason(cause));
                return CallFluxCli.SOME_FAILED;
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            return Files.exists(a) && Files.exists(b) ? Files.isSameFile(a, b)
                    : a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return false; // the file's own checks say what is wrong with it
        }
    }

    private static void closeQuietly(Journal j) {
        if (j != null) {
            try {
                j.close();
            } catch (IOException ignored) {
                // the journal was only opened: nothing of this run is in it
            }
        }
    }

    private HangupRun.Console console() {
        ProgressDisplay.Mode mode = quiet || noProgress ? ProgressDisplay.Mode.NONE
                : cli.terminal() ? ProgressDisplay.Mode.TERMINAL : ProgressDisplay.Mode.LINES;
        return new HangupRun.Console(cli.out, cli.err, mode, ProgressDisplay.width(cli.env),
                Duration.ofMillis(Math.max(100, progressIntervalMillis)));
    }

    /** The SIDs given with --sid, numbered by their position. */
    private static HangupRun.Input listed(List<String> sids) {
        return new HangupRun.Input("--sid", () -> IntStream.range(0, sids.size())
                .mapToObj(i -> new SidInput.Line(i + 1, sids.get(i).strip())), sids::size, () -> true);
    }

    private int dryRun(HangupRun.Input input, UpdateCallRequest request) {
        ApiEndpoint endpoint;
        try {
            endpoint = client.endpoint(cli.env);
        } catch (ClientOptions.UsageException e) {
            cli.err.println("callflux: " + e.getMessage());
            return CallFluxCli.USAGE;
        }
        String account = client.account(cli.env);
        AccountSid path = account != null && AccountSid.isValid(account) ? AccountSid.of(account) : null;
        String form = FormEncoder.encodeToString(request);
        Journal.Contents done = null;
        if (journal != null) {
            if (path == null) {
                cli.err.println("callflux: --journal needs the account (TWILIO_ACCOUNT_SID or --account-sid) to check what the journal belongs to");
                return CallFluxCli.USAGE;
            }
            try {
                done = Journal.read(journal, new Journal.Identity(path.value(), endpoint.baseUrl(), form));
            } catch (SidInput.InputException e) {
                cli.err.println("callflux: " + e.getMessage());
                return CallFluxCli.USAGE;
            }
        }
        long valid = 0;
        long invalid = 0;
        long skipped = 0;
        long duplicates = 0;
        SidSet seen = new SidSet();
        try (Stream<SidInput.Line> lines = input.lines().get()) {
            for (SidInput.Line line : (Iterable<SidInput.Line>) lines::iterator) {
                String text = line.text();
                if (!CallSid.isValid(text)) {
                    if (++invalid <= INVALID_LINES_SHOWN) {
                        cli.err.println("line " + line.number() + ": not a call SID: " + printable(text));
                    }
                } else if (!seen.add(text)) {
                    duplicates++;
                } else if (done != null && done.done(text)) {
                    skipped++;
                } else {
                    valid++;
                    String url = path != null ? endpoint.updateCallUrl(path, CallSid.of(text))
                            : endpoint.baseUrl() + "/2010-04-01/Accounts/{AccountSid}/Calls/" + text + ".json";
                    cli.out.println("POST " + url + " " + form);
                }
            }
        } catch (SidInput.InputException e) {
            cli.err.println("callflux: " + input.name() + ": " + e.getMessage());
            return CallFluxCli.USAGE;
        }
        if (invalid > INVALID_LINES_SHOWN) {
            cli.err.printf("... and %,d more invalid lines%n", invalid - INVALID_LINES_SHOWN);
        }
        cli.err.printf("dry run: %,d requests would be sent, %,d skipped (done in an earlier run, says the journal), "
                + "%,d duplicates, %,d invalid lines; nothing was sent%n", valid, skipped, duplicates, invalid);
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
}
