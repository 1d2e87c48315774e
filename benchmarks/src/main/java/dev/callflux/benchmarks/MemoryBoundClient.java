package dev.callflux.benchmarks;

import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkProgress;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/**
 * The client side of {@link MemoryBoundRun}: hangs up N generated call SIDs through {@code hangupAll} in a
 * JVM started with a tiny heap. The SIDs are generated as the engine asks for them, so nothing of the
 * batch is ever held in memory but the commands in flight.
 *
 * <p>Prints one line, {@code MEMORY-RESULT calls=... succeeded=... failed=... seconds=... heapMax=... peakHeapUsed=...}.
 */
public final class MemoryBoundClient {

    private MemoryBoundClient() {
    }

    public static void main(String[] args) {
        String url = args[0];
        String account = args[1];
        String token = args[2];
        long calls = Long.parseLong(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        BulkProgress progress = new BulkProgress();
        progress.snapshots(Duration.ofSeconds(10)).subscribe(s -> System.err.println("progress: " + s));
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long succeeded;
        try (CallFluxClient client = CallFluxClient.builder()
                .credentials(Credentials.authToken(account, token))
                .baseUrl(url)
                .maxConnections(concurrency)
                .build()) {
            Flux<String> sids = Flux.<String, Long>generate(() -> 0L, (i, sink) -> {
                if (i == calls) {
                    sink.complete();
                } else {
                    sink.next(String.format(Locale.ROOT, "CA%032x", i));
                }
                return i + 1;
            });
            succeeded = client.hangupAll(sids, BulkOptions.builder().maxInFlight(concurrency).listener(progress).build())
                    .filter(result -> {
                        if (!result.isSuccess() && failed.getAndIncrement() < 10) {
                            System.err.println("failed: " + result);
                        }
                        return result.isSuccess();
                    })
                    .count()
                    .block();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "MEMORY-RESULT calls=%d succeeded=%d failed=%d seconds=%.1f heapMax=%d peakHeapUsed=%d%n",
                calls, succeeded, failed.get(), seconds, Runtime.getRuntime().maxMemory(), peakHeap);
    }
}
