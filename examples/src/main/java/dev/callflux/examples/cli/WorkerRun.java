package dev.callflux.examples.cli;

import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.kafka.CallFluxKafkaWorker;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code callflux worker}: the topics made sure of, the worker started, progress every so often, and
 * a graceful stop on Ctrl-C, SIGTERM or {@code --exit-when-idle}, with a last line saying what it did.
 */
final class WorkerRun {

    private final WorkerCommand o;
    private final Duration idleLimit;

    WorkerRun(WorkerCommand options, Duration idleLimit) {
        this.o = options;
        this.idleLimit = idleLimit;
    }

    int run() throws InterruptedException {
        String intents = o.intentsTopic != null ? o.intentsTopic : o.commandsTopic + "-intents";
        Properties settings = o.kafka.properties(o.cli.env);
        try (CallFluxClient callflux = o.client.client(o.cli.env, o.concurrency)) {
            try {
                for (String created : KafkaSetup.ensureWorkerTopics(settings, o.commandsTopic, o.partitions, o.resultsTopic, intents)) {
                    note(created);
                }
            } catch (KafkaSetup.KafkaProblem e) {
                o.cli.err.println("callflux: " + e.getMessage());
                return CallFluxCli.STOPPED;
            }
            CallFluxKafkaWorker.Builder b = CallFluxKafkaWorker.builder(callflux)
                    .bootstrapServers(o.kafka.bootstrapServers(o.cli.env)).groupId(o.group)
                    .commandsTopic(o.commandsTopic).resultsTopic(o.resultsTopic).intentsTopic(intents)
                    .bulkOptions(BulkOptions.builder().maxInFlight(o.concurrency).build())
                    .revocationTimeout(WorkerCommand.GRACE);
            settings.stringPropertyNames().forEach(name -> {
                b.consumerProperty(name, settings.getProperty(name));
                b.producerProperty(name, settings.getProperty(name));
            });
            return run(b.build(), settings);
        }
    }

    private int run(CallFluxKafkaWorker worker, Properties settings) throws InterruptedException {
        CountDownLatch stopAsked = new CountDownLatch(1);
        ShutdownSignal signal = new ShutdownSignal(s -> {
            stopAsked.countDown();
            s.awaitFinished(WorkerCommand.GRACE.toMillis() + 15_000);
        });
        long started = System.nanoTime();
        String why = null;
        try {
            worker.start();
            note("worker of group " + o.group + ": commands from " + o.commandsTopic + ", results to " + o.resultsTopic
                    + " (Ctrl-C or SIGTERM stops it gracefully)");
            long interval = Math.max(100, o.progressIntervalMillis);
            long lastTaken = -1;
            long lastWritten = -1;
            long quietSince = System.nanoTime();
            long lastProgress = System.nanoTime();
            while (!stopAsked.await(Math.min(interval, 250), TimeUnit.MILLISECONDS)) {
                if (worker.failure() != null) {
                    why = describe(worker.failure(), settings);
                    break;
                }
                long taken = worker.commandsTaken();
                long written = worker.resultsWritten();
                long now = System.nanoTime();
                if (taken != lastTaken || written != lastWritten) {
                    lastTaken = taken;
                    lastWritten = written;
                    quietSince = now;
                }
                // A worker waits for days: a line only if the counts moved since the last, so an idle one's log stays still.
                if (now - lastProgress >= TimeUnit.MILLISECONDS.toNanos(interval) && quietSince > lastProgress) {
                    lastProgress = now;
                    note(String.format(Locale.ROOT, "worker: %,d commands taken, %,d results written", taken, written));
                }
                if (idleLimit != null && written >= taken && now - quietSince >= idleLimit.toNanos()) {
                    note("no command for " + o.exitWhenIdle + " (--exit-when-idle): stopping");
                    break;
                }
            }
            if (signal.received()) {
                o.cli.err.println("\ncallflux: stopping: no new commands; waiting up to " + WorkerCommand.GRACE.toSeconds()
                        + " s for those in flight and their results");
            }
            if (!worker.stop(WorkerCommand.GRACE) && why == null) {
                why = "the commands in flight did not finish within " + WorkerCommand.GRACE.toSeconds() + " s; the next worker of the group"
                        + " takes them again (a redirect among them is answered UNKNOWN, not sent twice)";
            }
            o.cli.err.println(String.format(Locale.ROOT, "worker %s after %.1f s: %,d commands taken, %,d results written",
                    why != null ? "stopped" : "finished", (System.nanoTime() - started) / 1e9, worker.commandsTaken(),
                    worker.resultsWritten()));
            if (why != null) {
                o.cli.err.println("callflux: stopped: " + why);
            }
        } finally {
            signal.close();
        }
        if (signal.received()) {
            return HangupRun.INTERRUPTED;
        }
        return why != null ? CallFluxCli.STOPPED : 0;
    }

    /** Why the worker stopped, in the CLI's words: Twilio's refusal as {@code hangup} says it, or Kafka's. */
    private String describe(Throwable failure, Properties settings) {
        if (failure instanceof CallFluxException || failure instanceof TwilioApiException) {
            return CliMessages.describe(failure, o.client.endpoint(o.cli.env).baseUrl(), o.client.credentialsHint(o.cli.env))
                    + "; its commands were not answered and are taken again by the next worker";
        }
        Throwable cause = failure.getCause();
        return cause != null ? failure.getMessage() + ": " + KafkaSetup.describe(cause, settings) : KafkaSetup.describe(failure, settings);
    }

    private void note(String line) {
        if (!o.quiet) {
            o.cli.err.println("callflux: " + line);
        }
    }
}
