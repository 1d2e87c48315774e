package dev.callflux.testkit;

import dev.callflux.core.model.CallStatus;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What a {@link TwilioSimulator} received and did: request counts, the state and applied updates of each
 * call, answered statuses, injected faults, connections, outages and peak concurrency. Thread-safe; query it while the
 * simulator runs or after it is closed. Every query returns a snapshot (or a single number) that later
 * requests do not change.
 *
 * <p>Counts are recorded when the simulator decides an answer, before the answer is written, so a client
 * that has received a response always finds it counted here. The in-flight count of a request, on the
 * other hand, ends only once its response is fully written (or its connection closed).
 */
public final class Ledger {

    private final Supplier<Map<String, CallEntry>> initialCalls;
    private final LongAdder total = new LongAdder();
    private final ConcurrentHashMap<String, CallEntry> calls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder[] faults = newAdders(Fault.values().length);
    private final LongAdder connections = new LongAdder();
    private final LongAdder outages = new LongAdder();
    private final LongAdder tlsHandshakes = new LongAdder();
    private final LongAdder tlsResumed = new LongAdder();
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> peaks = new ConcurrentHashMap<>();

    Ledger(Supplier<Map<String, CallEntry>> initialCalls) {
        this.initialCalls = initialCalls;
        calls.putAll(initialCalls.get());
    }

    // ---------------------------------------------------------------- recording (simulator only)

    void recordRequest() {
        total.increment();
    }

    /** The entry of a well-formed call SID, created on first sight. */
    CallEntry entry(String callSid) {
        return calls.computeIfAbsent(callSid, CallEntry::new);
    }

    void recordStatus(int status) {
        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    void recordFault(Fault fault) {
        faults[fault.ordinal()].increment();
    }

    void recordConnection() {
        connections.increment();
    }

    /** A TLS handshake that completed; {@code resumed} when the server chose no certificate (a resumed session). */
    void recordTlsHandshake(boolean resumed) {
        tlsHandshakes.increment();
        if (resumed) {
            tlsResumed.increment();
        }
    }

    void recordOutage() {
        outages.increment();
    }

    private static LongAdder[] newAdders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** One more request of {@code accountSid} in flight; returns the new count. */
    int acquire(String accountSid) {
        int now = inFlight.computeIfAbsent(accountSid, a -> new AtomicInteger()).incrementAndGet();
        peaks.computeIfAbsent(accountSid, a -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        return now;
    }

    void release(String accountSid) {
        AtomicInteger n = inFlight.get(accountSid);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------- queries

    /**
     * Every HTTP request received, whatever its path, method or outcome.
     *
     * @return the count since start or the last {@link #clear()}; 404s, 401s and resets included
     */
    public long totalRequests() {
        return total.sum();
    }

    /**
     * Requests received for {@code callSid} with a well-formed path (account and call SIDs), whatever their
     * outcome; 0 for a SID never seen.
     *
     * @param callSid the call SID, as in the request path
     * @return the count since start or the last {@link #clear()}, rate-limited and faulted requests included
     */
    public int requests(String callSid) {
        CallEntry e = calls.get(callSid);
        return e == null ? 0 : e.requests();
    }

    /**
     * A snapshot of one call; never {@code null}. For a SID the simulator has never seen, all counts are 0
     * and the status is {@link CallStatus#UNKNOWN}.
     *
     * @param callSid the call SID; any string, a malformed one gives the empty record
     * @return the call as it is now; later requests do not change it
     */
    public CallRecord call(String callSid) {
        CallEntry e = calls.get(callSid);
        return e == null ? new CallRecord(callSid, null, 0, 0, 0, 0, CallStatus.UNKNOWN, List.of(), 0, 0, 0) : e.snapshot();
    }

    /**
     * The call SIDs seen in a well-formed path, plus the pre-registered calls; sorted.
     *
     * @return an unmodifiable snapshot, possibly empty; includes SIDs whose every request was refused
     */
    public Set<String> callSids() {
        return Collections.unmodifiableSet(new TreeSet<>(calls.keySet()));
    }

    /**
     * Updates applied over all calls (see {@link CallRecord#updatesApplied()}).
     *
     * @return the sum over {@link #callSids()}; 0 if none
     */
    public long totalUpdatesApplied() {
        long n = 0;
        for (CallEntry e : calls.values()) {
            n += e.updates();
        }
        return n;
    }

    /**
     * Hang-ups applied over all calls (see {@link CallRecord#hangupsApplied()}).
     *
     * @return the sum over {@link #callSids()}: at most one per call
     */
    public long totalHangupsApplied() {
        long n = 0;
        for (CallEntry e : calls.values()) {
            n += e.hangups();
        }
        return n;
    }

    /**
     * Updates refused with 400, code 21220, because their call had already ended, over all calls (see
     * {@link CallRecord#notInProgressAnswers()}): each is also in {@link #statusCount(int) statusCount(400)}
     * unless an injected fault replaced its answer, and never in {@link #totalUpdatesApplied()}.
     *
     * @return the sum over {@link #callSids()}; 0 if none
     */
    public long totalNotInProgressAnswers() {
        long n = 0;
        for (CallEntry e : calls.values()) {
            n += e.notInProgress();
        }
        return n;
    }

    /**
     * The most requests of {@code accountSid} (the account in the path) ever in flight at once, counting
     * every request that passed authentication, those answered 429 included; 0 if none.
     *
     * @param accountSid the account SID of the request path ({@code AC} and 32 hex digits)
     * @return the peak since start or the last {@link #clear()}
     */
    public int peakConcurrency(String accountSid) {
        AtomicInteger p = peaks.get(accountSid);
        return p == null ? 0 : p.get();
    }

    /**
     * The largest {@link #peakConcurrency(String)} over all accounts.
     *
     * @return the peak; 0 if no request passed authentication
     */
    public int peakConcurrency() {
        int max = 0;
        for (AtomicInteger p : peaks.values()) {
            max = Math.max(max, p.get());
        }
        return max;
    }

    /**
     * Requests of {@code accountSid} in flight now (authenticated, response not yet fully written).
     *
     * @param accountSid the account SID of the request path ({@code AC} and 32 hex digits)
     * @return the count at this instant; 0 for an account never seen
     */
    public int inFlight(String accountSid) {
        AtomicInteger n = inFlight.get(accountSid);
        return n == null ? 0 : n.get();
    }

    /**
     * How many answers were given with each HTTP status, sorted by status; resets are not answers.
     *
     * @return an unmodifiable snapshot, HTTP status to count, with only the statuses answered at least once
     */
    public Map<Integer, Long> statusCounts() {
        Map<Integer, Long> m = new TreeMap<>();
        statuses.forEach((k, v) -> {
            long n = v.sum();
            if (n > 0) {
                m.put(k, n);
            }
        });
        return Collections.unmodifiableMap(m);
    }

    /**
     * How many answers were given with {@code status}.
     *
     * @param status an HTTP status code, e.g. {@code 429}
     * @return the count; 0 for a status never answered
     */
    public long statusCount(int status) {
        LongAdder n = statuses.get(status);
        return n == null ? 0 : n.sum();
    }

    /**
     * Connections closed on purpose without any response ({@link Fault#RESET}): {@code faultCount(Fault.RESET)}.
     *
     * @return the count; excludes {@link Fault#RESET_AFTER_HEADERS} and {@link Fault#DOWN}
     */
    public long resets() {
        return faultCount(Fault.RESET);
    }

    /**
     * How many times {@code fault} was injected. A fault whose answer is complete (a 5xx, a proxy's HTML
     * page, a 200 that is not JSON) is also in {@link #statusCounts()}; the others (resets, truncated
     * bodies, hangs, requests refused while paused) are not answers and are counted here only.
     *
     * @param fault the fault to count; not {@code null}
     * @return the count since start or the last {@link #clear()}
     */
    public long faultCount(Fault fault) {
        return faults[fault.ordinal()].sum();
    }

    /**
     * The injected faults with a non-zero count, in {@link Fault} order.
     *
     * @return an unmodifiable snapshot; empty if no fault was injected
     */
    public Map<Fault, Long> faultCounts() {
        Map<Fault, Long> m = new java.util.EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) {
            long n = faults[f.ordinal()].sum();
            if (n > 0) {
                m.put(f, n);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * TCP connections accepted (keep-alive connections count once, however many requests they carry).
     *
     * @return the count since start or the last {@link #clear()}, connections closed at once while paused included
     */
    public long connectionsAccepted() {
        return connections.sum();
    }

    /**
     * TLS handshakes completed (HTTPS only, {@link TwilioSimulator.Builder#https(boolean)}): one per connection.
     *
     * @return the count since start or the last {@link #clear()}; 0 over plain HTTP
     */
    public long tlsHandshakes() {
        return tlsHandshakes.sum();
    }

    /**
     * TLS handshakes that resumed an earlier session (the client offered one the server accepted, so no
     * certificate was sent and no signature made): the rest of {@link #tlsHandshakes()} were full handshakes.
     *
     * @return the count since start or the last {@link #clear()}
     */
    public long tlsHandshakesResumed() {
        return tlsResumed.sum();
    }

    /**
     * How many times the simulator was paused ({@link TwilioSimulator#pause()}).
     *
     * @return the count; pausing an already paused simulator does not add to it
     */
    public long outages() {
        return outages.sum();
    }

    /**
     * Forgets everything recorded and puts every call back as at start: calls created on first sight are
     * forgotten, pre-registered calls return to their initial status, and the per-call request indexes that
     * drive fault decisions restart at 0 (so the same requests get the same faults again). Peak concurrency
     * restarts from the requests in flight now. Requests in flight while this runs finish normally but may
     * be recorded only in part; call it when the simulator is quiet for exact results.
     */
    public void clear() {
        calls.clear();
        calls.putAll(initialCalls.get());
        total.reset();
        statuses.clear();
        for (LongAdder f : faults) {
            f.reset();
        }
        connections.reset();
        tlsHandshakes.reset();
        tlsResumed.reset();
        outages.reset();
        peaks.clear();
        inFlight.forEach((account, n) -> {
            int v = n.get();
            if (v > 0) {
                peaks.computeIfAbsent(account, a -> new AtomicInteger()).accumulateAndGet(v, Math::max);
            }
        });
    }

    @Override
    public String toString() {
        return "Ledger{requests=" + totalRequests() + ", statuses=" + statusCounts() + ", faults=" + faultCounts()
                + ", calls=" + calls.size() + ", updatesApplied=" + totalUpdatesApplied()
                + ", hangupsApplied=" + totalHangupsApplied() + ", notInProgressAnswers=" + totalNotInProgressAnswers()
                + ", peakConcurrency=" + peakConcurrency() + ", connections=" + connectionsAccepted()
                + ", tlsHandshakes=" + tlsHandshakes() + ", tlsResumed=" + tlsHandshakesResumed() + '}';
    }
}
