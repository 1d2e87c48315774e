package dev.callflux.examples.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code callflux worker}: one worker of a fleet fed by Kafka, until stopped. Options only: picocli reads every
 * command's members at start, so the work is in {@link WorkerRun}, and {@code hangup} never loads Kafka.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Take UpdateCall commands from a Kafka topic, send them through CallFlux, write one result per command.",
                "Start as many workers as you like with the same --group: Kafka shares the partitions (the accounts) among them"
                        + " and gives a dead worker's to the others; a redirect is never sent twice, even across a crash.",
                "Creates the topics it needs if they do not exist. Ctrl-C or SIGTERM stops it gracefully: the commands"
                        + " in flight finish, their results are written and committed.",
                "Commands: callflux enqueue; results: callflux results."})
final class WorkerCommand implements Callable<Integer> {

    /** How long the commands in flight may take to finish once the worker is told to stop. */
    static final Duration GRACE = Duration.ofSeconds(30);

    @ParentCommand
    CallFluxCli cli;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--commands-topic", paramLabel = "TOPIC", defaultValue = "callflux-commands",
            description = "Where commands are read (default ${DEFAULT-VALUE}).")
    String commandsTopic;

    @Option(names = "--results-topic", paramLabel = "TOPIC", defaultValue = "callflux-results",
            description = "Where results are written, keyed by command id (default ${DEFAULT-VALUE}; compacted when created).")
    String resultsTopic;

    @Option(names = "--intents-topic", paramLabel = "TOPIC",
            description = "Where redirects are recorded before they are sent (default: the commands topic followed by -intents).")
    String intentsTopic;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = "callflux",
            description = "The consumer group the workers share (default ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--concurrency", defaultValue = "100", paramLabel = "N",
            description = "Most requests at once (default ${DEFAULT-VALUE}); each account's adapts below it to Twilio's limit.")
    int concurrency;

    @Option(names = "--partitions", defaultValue = "6", paramLabel = "N",
            description = "Partitions of the topics this worker creates (default ${DEFAULT-VALUE}); at most that many workers share the commands.")
    int partitions;

    @Option(names = "--exit-when-idle", paramLabel = "DURATION",
            description = "Stop gracefully once no command has arrived for this long and every result is written, e.g. 30s (default: run until stopped).")
    String exitWhenIdle;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no notes on standard error; only the final line and errors.")
    boolean quiet;

    @Option(names = "--progress-interval", hidden = true, defaultValue = "10000", paramLabel = "MILLIS",
            description = "Least milliseconds between progress lines (printed only when the counts moved).")
    long progressIntervalMillis;

    @Override
    public Integer call() throws InterruptedException {
        if (concurrency < 1) {
            throw new ClientOptions.UsageException("--concurrency must be at least 1 (got " + concurrency + ")");
        }
        if (partitions < 1) {
            throw new ClientOptions.UsageException("--partitions must be at least 1 (got " + partitions + ")");
        }
        Duration idleLimit = exitWhenIdle == null ? null : KafkaOptions.duration("--exit-when-idle", exitWhenIdle);
        return new WorkerRun(this, idleLimit).run();
    }
}
