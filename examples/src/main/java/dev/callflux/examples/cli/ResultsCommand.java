package dev.callflux.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code callflux results}: what the workers made of the commands, as {@code hangup} reports its own. Options
 * only; the reading is in {@link ResultsRun} (see {@link WorkerCommand} for why).
 */
@Command(name = "results", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Read the results the workers wrote: a summary, and with --report one row per command, as hangup writes them.",
                "With --batch, only that batch's commands; with --expect N, wait until N commands have a result (Ctrl-C stops waiting).",
                "A command delivered again after a worker crashed may have two result records: the later one counts."})
final class ResultsCommand implements Callable<Integer> {

    @ParentCommand
    CallFluxCli cli;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "callflux-results",
            description = "The results topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--batch", paramLabel = "NAME", description = "Only the commands of this batch (the name 'callflux enqueue' printed).")
    String batch;

    @Option(names = "--expect", paramLabel = "N", description = "Wait until N commands have a result (default: read what there is now, then stop).")
    long expect;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "With --expect, stop waiting after this long, e.g. 10m (default: wait until Ctrl-C).")
    String timeout;

    @Option(names = "--report", paramLabel = "FILE.csv", description = "One row per command: sid,outcome,http_status,twilio_code,attempts,millis,message.")
    Path report;

    @Option(names = "--json", description = "Print the summary as one JSON object on standard output.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress on standard error; only the summary and errors.")
    boolean quiet;

    @Option(names = "--progress-interval", hidden = true, defaultValue = "5000", paramLabel = "MILLIS",
            description = "Milliseconds between progress lines.")
    long progressIntervalMillis;

    @Override
    public Integer call() throws IOException {
        if (expect < 0) {
            throw new ClientOptions.UsageException("--expect must not be negative (got " + expect + ")");
        }
        Duration limit = timeout == null ? null : KafkaOptions.duration("--timeout", timeout);
        if (limit != null && expect == 0) {
            throw new ClientOptions.UsageException("--timeout goes with --expect");
        }
        return new ResultsRun(this, limit).run();
    }
}
