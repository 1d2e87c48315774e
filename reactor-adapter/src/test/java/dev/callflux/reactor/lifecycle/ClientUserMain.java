package dev.callflux.reactor.lifecycle;

import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Main class of the child JVMs of {@link JvmExitTest}: a program that uses a client (one hang-up, then a
 * bulk run against a simulator), closes it unless told {@code forget}, closes the simulator, and returns from
 * {@code main} without {@code System.exit}. It prints what it did and, last, {@code returning <epoch ms>}.
 */
public final class ClientUserMain {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ClientUserMain() {
    }

    public static void main(String[] args) {
        boolean close = !(args.length > 0 && args[0].equals("forget"));
        TwilioSimulator simulator = TwilioSimulator.builder().start();
        CallFluxClient client = CallFluxClient.builder()
                .credentials(Credentials.authToken(simulator.accountSid(), simulator.authToken()))
                .baseUrl(simulator.baseUrl())
                .build();

        client.hangup(sid(0)).block(TIMEOUT);
        List<BulkResult<String>> results = client.hangupAll(Flux.range(1, 200).map(ClientUserMain::sid))
                .collectList().block(TIMEOUT);
        long succeeded = results.stream().filter(BulkResult::isSuccess).count();
        System.out.println("hung up " + (1 + succeeded) + " of 201, simulator applied "
                + simulator.ledger().totalHangupsApplied());
        System.out.println("client event loop threads: " + Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("callflux-"))
                .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : " (not daemon)") + (t.isAlive() ? "" : " (ended)"))
                .sorted().toList());

        if (close) {
            client.close();
            System.out.println("client closed");
        } else {
            System.out.println("client left open");
        }
        simulator.close();
        // What the JVM will wait for after main returns: shown when the exit is slow.
        System.out.println("other non-daemon threads: " + Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.isDaemon() && t != Thread.currentThread()).map(Thread::getName).sorted().toList());
        System.out.println("returning " + System.currentTimeMillis());
    }

    private static String sid(int n) {
        return TestSids.callSid(0, n);
    }
}
