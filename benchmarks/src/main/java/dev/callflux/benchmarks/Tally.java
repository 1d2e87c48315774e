package dev.callflux.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Successes and failures of a run, failures by kind. Thread-safe. */
public final class Tally {

    private final LongAdder ok = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong first = new java.util.concurrent.atomic.AtomicLong();

    public void ok() {
        ok.increment();
        markFirst();
    }

    public void failure(Throwable t) {
        failures.computeIfAbsent(kind(t), k -> new LongAdder()).increment();
        markFirst();
    }

    private void markFirst() {
        if (first.get() == 0) {
            first.compareAndSet(0, System.nanoTime());
        }
    }

    /** {@code System.nanoTime()} when the first call (success or failure) completed; 0 if none has. */
    public long firstResultNanoTime() {
        return first.get();
    }

    public long succeeded() {
        return ok.sum();
    }

    public long failed() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Failures by kind, sorted: {@code TwilioApiException(429)=3}. */
    public Map<String, Long> failures() {
        Map<String, Long> m = new TreeMap<>();
        failures.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** {@code kind:count;kind:count}, or {@code none}. */
    public String failuresText() {
        Map<String, Long> m = failures();
        if (m.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append(':').append(v));
        return sb.toString();
    }

    /** The exception's simple class name, with an HTTP status where the exception carries one. */
    static String kind(Throwable t) {
        Throwable e = t;
        // CompletableFuture wraps the task's exception.
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String name = e.getClass().getSimpleName();
        Integer status = null;
        if (e instanceof dev.callflux.core.error.TwilioApiException) {
            status = ((dev.callflux.core.error.TwilioApiException) e).statusCode();
        } else if (e instanceof com.twilio.exception.ApiException) {
            status = ((com.twilio.exception.ApiException) e).getStatusCode();
        }
        return status == null ? name : name + "(" + status + ")";
    }
}
