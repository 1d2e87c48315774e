package dev.callflux.testkit;

import dev.callflux.core.model.CallStatus;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link TwilioSimulator.Builder} was told, frozen by {@link TwilioSimulator.Builder#start()}: the one
 * place a running simulator reads its settings from. Immutable (the maps and lists are unmodifiable copies);
 * each component is the builder method of the same name (see there for what it means and its default).
 *
 * @param accounts             account SID to auth token, in the order added, never empty: the first is the
 *                             simulator's {@link TwilioSimulator#accountSid()}
 * @param apiKeys              API key SID to its secret and account
 * @param parentOf             subaccount SID to parent account SID
 * @param calls                the pre-registered calls by SID
 * @param faults               the fractions of the drawn faults
 * @param serverErrorStatuses  the statuses of {@link Fault#SERVER_ERROR}, at least one
 * @param proxyErrorStatuses   the statuses of {@link Fault#PROXY_ERROR}, at least one
 * @param idleTimeout          {@code null} to keep idle connections open
 * @param retryAfter           {@code null} for no {@code Retry-After} header
 * @param https                serve HTTPS with {@link TestCertificate} instead of plain HTTP
 */
record SimulatorSettings(
        Map<String, String> accounts,
        Map<String, Auth.Principal> apiKeys,
        Map<String, String> parentOf,
        Map<String, KnownCall> calls,
        Duration latency,
        Duration latencyJitter,
        double slowFraction,
        Duration slowExtra,
        int concurrencyLimit,
        double rateLimitedFraction,
        Duration retryAfter,
        FaultPlan faults,
        List<Integer> serverErrorStatuses,
        List<Integer> proxyErrorStatuses,
        Duration idleTimeout,
        boolean faultsAfterApply,
        boolean knownCallsOnly,
        CallStatus initialStatus,
        double alreadyEndedFraction,
        long seed,
        int port,
        boolean https) {

    /** A call that exists from the start; {@code accountSid} {@code null} for the first account. */
    record KnownCall(String accountSid, CallStatus status) {
    }

    SimulatorSettings {
        accounts = frozen(accounts);
        apiKeys = frozen(apiKeys);
        parentOf = frozen(parentOf);
        calls = frozen(calls);
        serverErrorStatuses = List.copyOf(serverErrorStatuses);
        proxyErrorStatuses = List.copyOf(proxyErrorStatuses);
    }

    /** An unmodifiable copy that keeps the order. */
    private static <K, V> Map<K, V> frozen(Map<K, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
