package dev.callflux.reactor.bulk;

import dev.callflux.reactor.CallFluxClient;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams TCK against a bulk run's {@code Flux} (the hand-written {@link BulkEngine} and
 * {@link Batch} behind {@code CallFluxClient.updateAll}), over real connections to the simulator: a publisher
 * of N elements is a batch of N hang-ups of fresh calls; the failed publisher is a batch whose source fails.
 */
public class BulkEngineTckTest extends PublisherVerification<BulkResult<String>> {
    private final AtomicLong calls = new AtomicLong();
    private TwilioSimulator sim;
    private CallFluxClient client;

    public BulkEngineTckTest() {
        super(new TestEnvironment(5_000, 300));
    }

    @BeforeClass
    public void start() {
        sim = TwilioSimulator.builder().start();
        client = BulkTestSupport.client(sim, 8);
    }

    @AfterClass(alwaysRun = true)
    public void stop() {
        if (client != null) {
            client.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Override
    public Publisher<BulkResult<String>> createPublisher(long elements) {
        Flux<String> sids = Flux.range(0, (int) elements).map(i -> TestSids.callSid(0x7c7, calls.incrementAndGet()));
        return client.hangupAll(sids, BulkOptions.fixed(4));
    }

    @Override
    public Publisher<BulkResult<String>> createFailedPublisher() {
        return client.hangupAll(Flux.error(new IllegalStateException("the source failed")));
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1_000;
    }
}
