package dev.callflux.testkit;

import java.time.Duration;

/**
 * A fault a {@link TwilioSimulator} injected instead of a normal answer, as counted by
 * {@link Ledger#faultCount(Fault)}. The first seven are drawn per request from the seed, each with the fraction
 * given to {@link TwilioSimulator.Builder#fault(Fault, double)} (all together at most 1: one draw picks at most
 * one fault); {@link #SLOW} is set by {@link TwilioSimulator.Builder#slowResponses(double, Duration)} and
 * {@link #DOWN} is caused by {@link TwilioSimulator#pause()}.
 *
 * <p>Whether the update was applied before the fault is decided by
 * {@link TwilioSimulator.Builder#faultsAfterApply(boolean)} for every drawn fault (after, by default);
 * {@link #DOWN} is never applied.
 */
public enum Fault {
    /**
     * A 5xx with Twilio's error JSON and headers, code 20500, its status drawn per request from
     * {@link TwilioSimulator.Builder#serverErrorStatuses(int...)}.
     */
    SERVER_ERROR,
    /**
     * The connection closed without any byte of the response, with SO_LINGER 0: the client sees a reset.
     */
    RESET,
    /**
     * The status line and headers of a 200 sent (a {@code Content-Length} announcing the Call JSON,
     * {@code Twilio-Request-Id}), then the connection reset (SO_LINGER 0) without any byte of the body. After
     * the update by default: the response had started, as Twilio's would once the update is done.
     */
    RESET_AFTER_HEADERS,
    /**
     * A 200 whose {@code Content-Length} announces the whole Call JSON, about half of it sent, then the
     * connection closed normally (FIN).
     */
    TRUNCATED_BODY,
    /**
     * A complete 200, {@code Content-Type: application/json} and Twilio's headers, whose body is an HTML page,
     * not JSON.
     */
    NON_JSON_BODY,
    /**
     * A complete 5xx as a proxy or load balancer in front of Twilio sends it: its status drawn per request from
     * {@link TwilioSimulator.Builder#proxyErrorStatuses(int...)}, {@code Content-Type: text/html}, nginx's
     * error page, no Twilio error JSON, no {@code Twilio-Request-Id}. Before the update, the proxy could not
     * reach Twilio; after it, the proxy gave up on Twilio's answer.
     */
    PROXY_ERROR,
    /**
     * The request read, then no answer at all: the connection stays open, silent, until the client closes it
     * (its response timeout) or the simulator is paused or closed. A server that accepts connections and never
     * answers is {@code fault(Fault.HANG, 1)}.
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
