package dev.callflux.kafka;

import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkOptions;
import java.util.concurrent.CountDownLatch;

/**
 * A worker in a JVM of its own, for the crash test and the throughput runs:
 * {@code bootstrap prefix baseUrl accountSid [maxInFlight]}; the auth token
 * comes in the environment ({@code TWILIO_AUTH_TOKEN}), never on the command line. SIGTERM stops it gracefully.
 */
public final class WorkerProcess {

    private WorkerProcess() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String prefix = args[1];
        CallFluxClient client = CallFluxClient.builder()
                .credentials(Credentials.authToken(args[3], System.getenv("TWILIO_AUTH_TOKEN")))
                .baseUrl(args[2]).build();
        CallFluxKafkaWorker worker = CallFluxKafkaWorker.builder(client)
                .bootstrapServers(bootstrap).groupId(prefix + "-group")
                .commandsTopic(prefix + "-commands").resultsTopic(prefix + "-results")
                .bulkOptions(BulkOptions.builder().maxInFlight(args.length > 4 ? Integer.parseInt(args[4]) : 32).build())
                .consumerProperty("session.timeout.ms", "6000")
                .consumerProperty("heartbeat.interval.ms", "1000")
                .build().start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            client.close();
            done.countDown();
        }));
        System.out.println("worker started");
        Thread status = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    return;
                }
                System.out.println(worker + " taken=" + worker.commandsTaken() + " written=" + worker.resultsWritten()
                        + " failure=" + worker.failure());
            }
        }, "status");
        status.setDaemon(true);
        status.start(); // the worker's state every 5 s, for a run with Fleet's fleet.logs
        done.await();
    }
}
