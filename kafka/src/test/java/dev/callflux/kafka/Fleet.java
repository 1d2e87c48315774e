package dev.callflux.kafka;

import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A fleet on one machine, for the crash test and {@link FleetThroughput}: a KRaft broker and a simulator in
 * this JVM, with {@code accounts} subaccounts of one parent (each limited to {@code limit} requests at once),
 * and workers as processes of their own serving them all with the parent's credentials. The commands topic
 * has one partition per account (an account's commands, and its adaptive limit, live in one worker).
 */
final class Fleet implements AutoCloseable {

    final KafkaBroker broker;
    final TwilioSimulator sim;
    final String prefix;
    final List<String> accounts;
    final List<Process> workers = new ArrayList<>();
    private final String parent;
    private final String token;

    private Fleet(KafkaBroker broker, TwilioSimulator sim, String prefix, String parent, String token, List<String> accounts) {
        this.broker = broker;
        this.sim = sim;
        this.prefix = prefix;
        this.parent = parent;
        this.token = token;
        this.accounts = accounts;
    }

    static Fleet start(KafkaBroker broker, String prefix, int accounts, int limit, Duration latency) throws Exception {
        String parent = TestSids.newAccountSid();
        String token = "fleet" + Long.toHexString(System.nanoTime());
        TwilioSimulator.Builder b = TwilioSimulator.builder().account(parent, token).concurrencyLimit(limit).latency(latency);
        List<String> subs = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            String sub = TestSids.newAccountSid();
            subs.add(sub);
            b.subaccount(parent, sub);
        }
        TwilioSimulator sim = b.start();
        broker.createTopics(prefix, accounts);
        return new Fleet(broker, sim, prefix, parent, token, subs);
    }

    /**
     * Writes {@code n} commands, command {@code i} for account {@code i % accounts} (in its partition, keyed by
     * it): a redirect when {@code redirect} says so, else a hang-up.
     *
     * @return the call SIDs, by command index; command {@code i} has the id {@code c<i>}
     */
    List<String> enqueue(int n, IntPredicate redirect, int batch) {
        List<String> sids = TestSids.callSids(batch, n);
        List<ProducerRecord<String, String>> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int a = i % accounts.size();
            String body = redirect.test(i)
                    ? "{\"id\":\"c" + i + "\",\"callSid\":\"" + sids.get(i) + "\",\"url\":\"https://example.com/r.xml\"}"
                    : "{\"id\":\"c" + i + "\",\"callSid\":\"" + sids.get(i) + "\",\"status\":\"completed\"}";
            records.add(new ProducerRecord<>(prefix + "-commands", a, accounts.get(a), body));
        }
        broker.sendAll(records);
        return sids;
    }

    /** Starts a worker process of the group, with the parent account's credentials. */
    Process startWorker(int maxInFlight) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), WorkerProcess.class.getName(),
                broker.bootstrapServers(), prefix, sim.baseUrl(), parent, String.valueOf(maxInFlight));
        pb.environment().put("TWILIO_AUTH_TOKEN", token);
        pb.redirectErrorStream(true);
        String logs = System.getProperty("fleet.logs"); // a directory for the workers' output, when debugging
        pb.redirectOutput(logs == null ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.to(new File(logs, prefix + "-worker-" + workers.size() + ".log")));
        Process p = pb.start();
        workers.add(p);
        return p;
    }

    /** Result records written so far (duplicates included). */
    long resultRecords() throws Exception {
        return broker.endOffsets(prefix + "-results", 1).get(0);
    }

    /** Whether the group has committed every partition of the commands topic to its end. */
    boolean committedToEnd() throws Exception {
        Map<Integer, Long> end = broker.endOffsets(prefix + "-commands", accounts.size());
        return broker.committed(prefix + "-group", prefix + "-commands").equals(end);
    }

    @Override
    public void close() throws Exception {
        for (Process p : workers) {
            p.destroy(); // SIGTERM: a graceful stop
        }
        for (Process p : workers) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        sim.close();
    }
}
