package dev.callflux.examples.cli;

import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.testkit.Fault;
import dev.callflux.testkit.TwilioSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code callflux demo}: the {@code hangup} command against the built-in Twilio simulator, with generated
 * call SIDs and a realistic concurrency limit, so anyone can watch it work without a Twilio account.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the built-in Twilio simulator and hang up generated calls through it.",
                "No Twilio account needed: this is the hangup command against a local server that answers 429 beyond its limit, like Twilio."})
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    CallFluxCli cli;

    @Option(names = "--calls", defaultValue = "10000", paramLabel = "N", description = "Calls to hang up (default ${DEFAULT-VALUE}).")
    long calls;

    @Option(names = "--concurrency", defaultValue = "100", paramLabel = "N", description = "Most requests at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--latency-ms", defaultValue = "20", paramLabel = "N", description = "The simulator's answer time (default ${DEFAULT-VALUE} ms, plus up to 10 ms of jitter).")
    long latencyMs;

    @Option(names = "--error-rate", defaultValue = "0", paramLabel = "P", description = "Fraction of requests answered 5xx (default ${DEFAULT-VALUE}); hang-ups are retried.")
    double errorRate;

    @Option(names = "--ended-rate", defaultValue = "0.02", paramLabel = "P",
            description = "Fraction of calls that end on their own before the hang-up arrives (default ${DEFAULT-VALUE}): Twilio answers 400/21220, counted as already ended.")
    double endedRate;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "The simulator's concurrent requests per account before 429 (default ${DEFAULT-VALUE}; 0 for none).")
    int limit;

    @Option(names = "--report", paramLabel = "FILE.csv", description = "Write one row per SID.")
    Path report;

    @Option(names = "--json", description = "Print the final summary as one JSON object on standard output.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        String wrong = calls < 0 ? "--calls must not be negative (got " + calls + ")"
                : concurrency < 1 ? "--concurrency must be at least 1 (got " + concurrency + ")"
                : latencyMs < 0 ? "--latency-ms must not be negative (got " + latencyMs + ")"
                : limit < 0 ? "--limit must be 0 (none) or positive (got " + limit + ")"
                : !(errorRate >= 0 && errorRate <= 1) ? "--error-rate must be a fraction from 0 to 1 (got " + errorRate + ")"
                : !(endedRate >= 0 && endedRate <= 1) ? "--ended-rate must be a fraction from 0 to 1 (got " + endedRate + ")"
                : null;
        if (wrong != null) {
            cli.err.println("callflux: " + wrong);
            return CallFluxCli.USAGE;
        }
        try (TwilioSimulator sim = TwilioSimulator.builder()
                .latency(Duration.ofMillis(latencyMs)).latencyJitter(Duration.ofMillis(latencyMs > 0 ? 10 : 0))
                .concurrencyLimit(limit).fault(Fault.SERVER_ERROR, errorRate).alreadyEndedFraction(endedRate).start();
             CallFluxClient client = CallFluxClient.builder()
                     .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                     .baseUrl(sim.baseUrl())
                     .maxConnections(concurrency)
                     .build()) {
            cli.err.printf(Locale.ROOT, "Twilio simulator on %s: %d ms latency, %s, %.0f %% server errors, %.0f %% of calls already ended%n",
                    sim.baseUrl(), latencyMs, limit == 0 ? "no concurrency limit" : "429 beyond " + limit + " concurrent requests",
                    errorRate * 100, endedRate * 100);
            cli.err.printf(Locale.ROOT, "hanging up %,d calls, at most %d at a time...%n", calls, concurrency);
            ProgressDisplay.Mode mode = cli.terminal() ? ProgressDisplay.Mode.TERMINAL : ProgressDisplay.Mode.LINES;
            HangupRun.Console console = new HangupRun.Console(cli.out, cli.err, mode, ProgressDisplay.width(cli.env),
                    ProgressDisplay.PLAIN_INTERVAL);
            HangupRun.Input input = new HangupRun.Input("the generated SIDs",
                    () -> LongStream.range(0, calls).mapToObj(i -> new SidInput.Line(i + 1, callSid(i))), () -> calls, () -> true);
            try (Report r = report == null ? null : Report.open(report)) {
                return new HangupRun(client, UpdateCallRequest.hangup(), BulkOptions.builder().maxInFlight(concurrency).build(),
                        console, "").run(input, r, null, json, false);
            } catch (SidInput.InputException e) {
                cli.err.println("callflux: " + e.getMessage());
                return CallFluxCli.USAGE;
            }
        }
    }

    /** A generated, well-formed call SID. */
    static String callSid(long i) {
        return String.format(Locale.ROOT, "CA%032x", 0xde30L << 64 - 16 | i);
    }
}
