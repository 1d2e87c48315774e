package dev.callflux.examples.cli;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.UpdateCallRequest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code callflux enqueue}: one command record per call SID, for the workers. */
@Command(name = "enqueue", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write one command per call SID to a Kafka topic, for the workers of 'callflux worker' to send.",
                "SIDs as hangup reads them: --sids FILE, standard input, or --sid; a SID listed twice is enqueued once.",
                "Hang up by default (--status completed); --url or --twiml redirects instead (never sent twice, even across a crash).",
                "Prints the batch name on standard output: 'callflux results --batch NAME' follows its results."})
final class EnqueueCommand implements Callable<Integer> {

    @ParentCommand
    CallFluxCli cli;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "callflux-commands",
            description = "The commands topic (default ${DEFAULT-VALUE}); created with --partitions if it does not exist.")
    String topic;

    @Option(names = "--sids", paramLabel = "FILE", description = "The SIDs: a file, a pipe, or - for standard input (the default).")
    String sids;

    @Option(names = "--sid", paramLabel = "CA...", description = "A call, instead of --sids (repeat for more).")
    List<String> sid;

    @Option(names = "--status", paramLabel = "completed|canceled", description = "End the calls (the default: completed).")
    String status;

    @Option(names = "--url", paramLabel = "URL", description = "Redirect the calls to the TwiML at this URL.")
    String url;

    @Option(names = "--method", paramLabel = "GET|POST", description = "How Twilio fetches --url (Twilio's default: POST).")
    String method;

    @Option(names = "--twiml", paramLabel = "TWIML", description = "Replace the calls' instructions with this TwiML.")
    String twiml;

    @Option(names = "--account-sid", paramLabel = "AC...", description = {"The account whose calls these are, the records' key (default: $TWILIO_ACCOUNT_SID;",
            "without either, the worker's own account). One account's commands go to one partition."})
    String accountSid;

    @Option(names = "--batch", paramLabel = "NAME", description = "The batch's name: each command's id is NAME-LINE (default: a new name).")
    String batch;

    @Option(names = "--partitions", defaultValue = "6", paramLabel = "N", description = "Partitions of the topic if it is created (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = {"-q", "--quiet"}, description = "Only the batch name and errors.")
    boolean quiet;

    @Override
    public Integer call() {
        if (sid != null && sids != null) {
            throw new ClientOptions.UsageException("give --sid or --sids, not both");
        }
        if (partitions < 1) {
            throw new ClientOptions.UsageException("--partitions must be at least 1 (got " + partitions + ")");
        }
        UpdateCallRequest update = update();
        String account = accountSid != null ? accountSid.strip() : cli.env.getOrDefault("TWILIO_ACCOUNT_SID", "").strip();
        if (!account.isEmpty() && !AccountSid.isValid(account)) {
            throw new ClientOptions.UsageException((accountSid != null ? "--account-sid" : "TWILIO_ACCOUNT_SID")
                    + " must be AC followed by 32 hex digits");
        }
        String name = batch != null ? batch.strip() : newBatchName();
        if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new ClientOptions.UsageException("--batch must be a name without spaces");
        }
        Properties settings = kafka.properties(cli.env);
        Stream<SidInput.Line> lines;
        String inputName;
        if (sid != null) {
            lines = IntStream.range(0, sid.size()).mapToObj(i -> new SidInput.Line(i + 1, sid.get(i).strip()));
            inputName = "--sid";
        } else {
            SidInput in;
            try {
                in = SidInput.open(sids, cli.in);
            } catch (SidInput.InputException e) {
                throw new ClientOptions.UsageException(e.getMessage());
            }
            if (in.fromTerminal() && !quiet) {
                cli.err.println("reading call SIDs from standard input, end with Ctrl-D");
            }
            lines = in.lines();
            inputName = in.name();
        }
        try {
            for (String created : KafkaSetup.ensureTopic(settings, topic, partitions)) {
                note(created);
            }
            KafkaSetup.Enqueued e;
            try (Stream<SidInput.Line> l = lines) {
                e = KafkaSetup.enqueue(settings, topic, account.isEmpty() ? null : account, name, update, l,
                        (line, text) -> cli.err.println("line " + line + ": not a call SID: " + HangupCommand.printable(text)));
            } catch (SidInput.InputException ex) {
                cli.err.println("callflux: " + inputName + ": " + ex.getMessage());
                return CallFluxCli.USAGE;
            }
            cli.out.println(name);
            if (!quiet) {
                cli.err.println(String.format(Locale.ROOT, "enqueued %,d command%s (batch %s: %s) to %s in %.1f s", e.written(), plural(e.written()), name,
                        describe(update), topic, e.seconds())
                        + (e.duplicates() > 0 ? String.format(Locale.ROOT, "; %,d duplicate SID%s enqueued once", e.duplicates(), plural(e.duplicates())) : "")
                        + (e.invalid() > 0 ? String.format(Locale.ROOT, "; %,d line%s that %s not a call SID left out", e.invalid(), plural(e.invalid()), e.invalid() == 1 ? "is" : "are") : ""));
                cli.err.println("follow their results: callflux results"
                        + (kafka.bootstrapServers != null ? " --bootstrap-servers " + kafka.bootstrapServers(cli.env) : "")
                        + " --batch " + name + " --expect " + e.written());
            }
            if (e.failed() > 0) {
                cli.err.println(String.format(Locale.ROOT, "callflux: %,d commands were not written to %s: %s", e.failed(), topic, e.firstFailure()));
                return CallFluxCli.SOME_FAILED;
            }
            return e.invalid() > 0 ? CallFluxCli.SOME_FAILED : 0;
        } catch (KafkaSetup.KafkaProblem e) {
            cli.err.println("callflux: " + e.getMessage());
            return CallFluxCli.STOPPED;
        }
    }

    private UpdateCallRequest update() {
        UpdateCallRequest.Builder b = UpdateCallRequest.builder();
        try {
            if (status != null || (url == null && twiml == null)) {
                b.status(status != null ? status : "completed");
            }
            if (url != null) {
                b.url(url);
            }
            if (method != null) {
                b.method(method);
            }
            if (twiml != null) {
                b.twiml(twiml);
            }
            return b.build();
        } catch (InvalidRequestException e) {
            throw new ClientOptions.UsageException(CliMessages.invalid(e));
        }
    }

    private static String describe(UpdateCallRequest update) {
        if (update.url().isPresent()) {
            return "redirect to " + update.url().get();
        }
        if (update.twiml().isPresent()) {
            return "new TwiML";
        }
        return update.status().map(s -> "status " + s.value()).orElse("update");
    }

    /** {@code b20261202T171500-3fa9}: when, and four random hex digits for batches started in the same second. */
    static String newBatchName() {
        return "b" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT))
                + String.format(Locale.ROOT, "-%04x", ThreadLocalRandom.current().nextInt(1 << 16));
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }

    private void note(String line) {
        if (!quiet) {
            cli.err.println("callflux: " + line);
        }
    }

}
