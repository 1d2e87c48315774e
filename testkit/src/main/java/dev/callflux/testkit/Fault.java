package dev.callflux.testkit;

import java.time.Duration;

/**
 * A fault a {@link TwilioSimulator} injected instead of a normal answer, as counted by
 * {@link Ledger#faultCount(Fault)}. Each is chosen per request from the seed (see the builder's
 * {@code ...Fraction} knobs), except {@link #DOWN}, which is caused by {@link TwilioSimulator#pause()}.
 *
 * <p>Whether the update was applied before the fault is decided by
 * {@link TwilioSimulator.Builder#faultsAfterApply(boolean)} for every fault but {@link #DOWN} (never applied).
 */
public enum Fault {
    /** A 5xx with Twilio's error JSON, code 20500 ({@link TwilioSimulator.Builder#serverErrorFraction(double)}). */
    SERVER_ERROR,
    /**
     * The connection reset (SO_LINGER 0) before any byte of the response
     * ({@link TwilioSimulator.Builder#resetFraction(double)}).
     */
    RESET,
    /**
     * The status line and headers of a 200 sent (with a {@code Content-Length}), then the connection reset
     * without any byte of the body ({@link TwilioSimulator.Builder#resetAfterHeadersFraction(double)}).
     */
    RESET_AFTER_HEADERS,
    /**
     * A 200 whose {@code Content-Length} announces the whole Call JSON, about half of it sent, then the
     * connection closed normally (FIN) ({@link TwilioSimulator.Builder#truncatedBodyFraction(double)}).
     */
    TRUNCATED_BODY,
    /**
     * A complete 200, {@code Content-Type: application/json}, whose body is not JSON
     * ({@link TwilioSimulator.Builder#nonJsonBodyFraction(double)}).
     */
    NON_JSON_BODY,
    /**
     * A complete 5xx HTML page as a proxy or load balancer sends it: {@code text/html}, no Twilio error JSON,
     * no {@code Twilio-Request-Id} ({@link TwilioSimulator.Builder#proxyErrorFraction(double)}).
     */
    PROXY_ERROR,
    /**
     * The request read, then no answer at all: the connection stays open until the client closes it
     * ({@link TwilioSimulator.Builder#hangFraction(double)}).
     */
    HANG,
    /**
     * A response delayed by {@link TwilioSimulator.Builder#slowResponses(double, Duration)}'s extra latency, then
     * answered normally if the client still waits (the update is applied then, after the delay). Not an answer
     * of its own: counted when decided, before the delay.
     */
    SLOW,
    /**
     * A request that reached a paused simulator ({@link TwilioSimulator#pause()}) on a connection accepted
     * just before: reset without an answer, never applied.
     */
    DOWN
}
