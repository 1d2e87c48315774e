package dev.callflux.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of a fleet of 1, 2 and 3 worker processes on this machine: for each size, a fresh simulator (10
 * accounts, each limited to 20 requests at once, 20 ms latency) and topics, {@code N} hang-ups written first,
 * then the workers started together; the rate is counted from the first result record to the last (so JVM
 * start and the group's first join are not in it) and, separately, start to end. After the README's build:
 *
 * <pre>
 * java -cp "kafka/target/classes:kafka/target/test-classes:$(cat kafka/target/test.classpath)" dev.callflux.kafka.FleetThroughput [N] [SIZES]
 * </pre>
 *
 * N defaults to 30,000; SIZES to {@code 1,2,3}. Everything (broker, simulator, workers) shares this machine's
 * cores, so more workers than cores measures the machine, not the design.
 */
public final class FleetThroughput {

    private FleetThroughput() {
    }

    /**
     * Runs the fleets and prints one line per size.
     *
     * @param args {@code [N] [SIZES]}
     * @throws Exception if a fleet cannot start or does not finish in 10 minutes
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        List<Integer> sizes = new ArrayList<>();
        for (String s : (args.length > 1 ? args[1] : "1,2,3").split(",")) {
            sizes.add(Integer.parseInt(s.strip()));
        }
        System.out.printf(Locale.ROOT, "%d hang-ups, 10 accounts x 20 at once, 20 ms latency, %d cores%n", n,
                Runtime.getRuntime().availableProcessors());
        try (KafkaBroker broker = KafkaBroker.start()) {
            int run = 0;
            for (int workers : sizes) {
                run++;
                try (Fleet fleet = Fleet.start(broker, "tp" + run, 10, 20, Duration.ofMillis(20))) {
                    fleet.enqueue(n, i -> false, 300 + run);
                    long start = System.nanoTime();
                    for (int i = 0; i < workers; i++) {
                        fleet.startWorker(64);
                    }
                    long first = 0;
                    long deadline = start + Duration.ofMinutes(10).toNanos();
                    while (!fleet.committedToEnd()) {
                        if (first == 0 && fleet.resultRecords() > 0) {
                            first = System.nanoTime();
                        }
                        for (Process p : fleet.workers) {
                            if (!p.isAlive()) {
                                throw new IllegalStateException("a worker exited with status " + p.exitValue());
                            }
                        }
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("not finished in 10 minutes");
                        }
                        Thread.sleep(20);
                    }
                    long end = System.nanoTime();
                    long records = fleet.resultRecords();
                    double steady = (end - first) / 1e9;
                    System.out.printf(Locale.ROOT, "%d worker%s: %,.0f commands/s from the first result to the last (%.1f s),"
                                    + " %.1f s from start; %,d result records, %,d answers 429%n",
                            workers, workers == 1 ? " " : "s", n / steady, steady, (end - start) / 1e9, records,
                            fleet.sim.ledger().statusCount(429));
                }
            }
        }
    }
}
