package dev.callflux.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Writes the worker's records: result records (keyed by command id) and redirect intents. Once the broker has
 * acknowledged a command's result record, the command's {@link Coordinates} are queued for the poll thread
 * ({@link #nextCompletion()}), which may then commit past its offset. Results are written from a thread of
 * their own ({@link #scheduler()}), never from an event loop nor from the producer's I/O thread.
 */
final class ResultWriter {

    private final KafkaProducer<String, byte[]> producer;
    private final String resultsTopic;
    private final String intentsTopic;
    private final WorkerState state;
    private final Scheduler scheduler = Schedulers.newSingle("callflux-kafka-results", true);
    private final LinkedBlockingQueue<Coordinates> completions = new LinkedBlockingQueue<>();
    private final AtomicLong written = new AtomicLong();

    ResultWriter(Properties producerProps, String resultsTopic, String intentsTopic, WorkerState state) {
        this.producer = new KafkaProducer<>(producerProps);
        this.resultsTopic = resultsTopic;
        this.intentsTopic = intentsTopic;
        this.state = state;
    }

    /** The results thread: the bulk run's results are published on it. */
    Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Records the intent to send a redirect ({@code SENDING}, in the intents partition of the command's
     * partition number), from the results thread, and runs {@code thenSend} once the broker has acknowledged
     * it; a failure stops the worker.
     */
    void writeIntent(Coordinates at, Runnable thenSend) {
        // asked for from wherever the run's demand arrives, an event loop included: send from the results thread
        scheduler.schedule(() -> producer.send(new ProducerRecord<>(intentsTopic, at.partition(), at.commandId(),
                CommandCodec.intent(at)), (md, e) -> {
            if (e != null) {
                state.fail(new IllegalStateException("an intent could not be recorded", e));
            } else {
                thenSend.run();
            }
        }));
    }

    /**
     * Writes a command's result record; a redirect's result is first recorded in its intent ({@code DONE}).
     * Once acknowledged, the command is {@linkplain #nextCompletion() complete}; a failure stops the worker.
     */
    void write(Coordinates at, byte[] result, boolean redirect) {
        if (redirect) {
            producer.send(new ProducerRecord<>(intentsTopic, at.partition(), at.commandId(), CommandCodec.done(at, result)), (md, e) -> {
                if (e != null) {
                    state.fail(new IllegalStateException("a result could not be recorded", e));
                } else {
                    // not from the producer's I/O thread: a send there could wait for buffer space only it frees
                    scheduler.schedule(() -> write(at, result, false));
                }
            });
            return;
        }
        producer.send(new ProducerRecord<>(resultsTopic, at.commandId(), result), (md, e) -> {
            if (e != null) {
                state.fail(new IllegalStateException("a result could not be written", e));
            } else {
                written.incrementAndGet();
                completions.add(at);
            }
        });
    }

    /** The next command whose result is acknowledged, or {@code null} if none is. */
    Coordinates nextCompletion() {
        return completions.poll();
    }

    /** The next command whose result is acknowledged, waiting at most {@code nanos}; {@code null} if none. */
    Coordinates nextCompletion(long nanos) throws InterruptedException {
        return completions.poll(nanos, TimeUnit.NANOSECONDS);
    }

    /** Result records written and acknowledged. */
    long written() {
        return written.get();
    }

    /** Flushes and closes the producer (bounded), then the results thread. */
    void close() {
        producer.close(Duration.ofSeconds(5));
        scheduler.dispose();
    }
}
