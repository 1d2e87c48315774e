package dev.callflux.reactor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.CallStatus;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.CallFluxClientBuilder;
import dev.callflux.reactor.bulk.BulkCommand;
import dev.callflux.reactor.bulk.BulkListener;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.reactor.bulk.BulkResult.Outcome;
import dev.callflux.reactor.retry.Backoff;
import dev.callflux.reactor.retry.RetryPolicy;
import dev.callflux.testkit.CallRecord;
import dev.callflux.testkit.Fault;
import dev.callflux.testkit.Ledger;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import reactor.core.publisher.Flux;

/**
 * One fault of the matrix: how the simulator misbehaves, how the client is set up, and the checks every
 * bulk run must pass against the simulator's ledger, whatever the fault:
 * <ul>
 *   <li>exactly one result per command: as many results as commands, distinct correlation values, each
 *       result carrying its command's SID (no duplicate, nothing lost);</li>
 *   <li>the listener saw the batch end, every attempt it saw start also finish, and as many retries as the
 *       results' attempts say;</li>
 *   <li>no silent resend: the simulator received at most (and, when every written request reaches it,
 *       exactly) as many requests per SID as the result's attempts;</li>
 *   <li>a SUCCEEDED hang-up really ended the call once (hangupsApplied 1, status completed, no answer "not
 *       in progress"); a SUCCEEDED redirect was applied once;</li>
 *   <li>an ALREADY_ENDED result is a hang-up only, answered 400 with code 21220, and its call was hung up
 *       exactly once, by an earlier attempt of the same command whose answer was lost (the calls of these
 *       runs are live until hung up): hangupsApplied 1, status completed, at least one answer "not in
 *       progress";</li>
 *   <li>no update is ever applied twice, hang-ups included (Twilio refuses every update of an ended call: a
 *       resent hang-up is answered 400, code 21220, and not applied), and every 400 the simulator sent is
 *       such an answer;</li>
 *   <li>a redirect is never resent once its outcome is unknown: at most one request per SID got past the
 *       429 gate;</li>
 *   <li>FAILED (certainly not applied) agrees with the ledger: no request of that SID got past the 429
 *       gate and nothing was applied; UNKNOWN (may have been applied) only where a request got past it;</li>
 *   <li>where the fault is transient, every hang-up eventually reaches its goal: SUCCEEDED + ALREADY_ENDED
 *       = commands, every call hung up exactly once.</li>
 * </ul>
 * The figures go to {@link FaultMatrix}, one row per run.
 */
final class Scenario {

    /** Fast retries, so that the suite stays quick: full jitter from 1 ms capped at 20 ms, plenty of time. */
    static final RetryPolicy FAST_RETRIES = RetryPolicy.builder()
            .backoff(Backoff.fullJitter(Duration.ofMillis(1), Duration.ofMillis(20)))
            .maxAttempts(10)
            .maxTotalTime(Duration.ofMinutes(2))
            .build();
    static final Duration TIMEOUT = Duration.ofMinutes(2);
    static final int HANGUPS = 5_000;
    static final int REDIRECTS = 500;
    static final int MAX_IN_FLIGHT = 100;

    private static final AtomicInteger BATCHES = new AtomicInteger(0x5100);

    /** What each command of a run asks for. */
    enum Update {
        HANGUP("hang-up", UpdateCallRequest.hangup()),
        REDIRECT("redirect", UpdateCallRequest.redirect("https://example.com/hold-music.xml"));

        final String label;
        final UpdateCallRequest request;

        Update(String label, UpdateCallRequest request) {
            this.label = label;
            this.request = request;
        }
    }

    final String fault;
    private final Consumer<TwilioSimulator.Builder> simulator;
    private Consumer<CallFluxClientBuilder> client = b -> { };
    private Consumer<BulkOptions.Builder> options = b -> { };
    private Function<TwilioSimulator, BulkListener> hook;
    private UnaryOperator<Flux<Integer>> source = f -> f;
    private Consumer<Tally> tally = t -> { };
    private boolean transientFault = true;
    private boolean everyRequestReachesTheSimulator = true;
    private boolean onlyCertainRefusals;
    private int sourceFailsAfter = -1;
    private int cancelAfter = -1;
    private RuntimeException sourceError;

    private Scenario(String fault, Consumer<TwilioSimulator.Builder> simulator) {
        this.fault = fault;
        this.simulator = simulator;
    }

    static Scenario of(String fault, Consumer<TwilioSimulator.Builder> simulator) {
        return new Scenario(fault, simulator);
    }

    /** Client settings on top of the defaults (the simulator's address and credentials, 100 connections). */
    Scenario client(Consumer<CallFluxClientBuilder> c) {
        this.client = c;
        return this;
    }

    /** Bulk options on top of {@code maxInFlight(100)}, {@link #FAST_RETRIES} and the tally listener. */
    Scenario options(Consumer<BulkOptions.Builder> o) {
        this.options = o;
        return this;
    }

    /** A listener that acts on the simulator during the run (an outage, say). */
    Scenario listener(Function<TwilioSimulator, BulkListener> l) {
        this.hook = l;
        return this;
    }

    /** Shapes the stream of command indexes (bursts, a failing source...). */
    Scenario source(UnaryOperator<Flux<Integer>> s) {
        this.source = s;
        return this;
    }

    Scenario tally(Consumer<Tally> t) {
        this.tally = t;
        return this;
    }

    /**
     * Written requests may never reach the simulator's handler (an outage closes connections with requests
     * in their buffers; a connection closed by the server as the client reuses it): UNKNOWN may then have
     * no trace in the ledger, and the ledger may count fewer requests than attempts.
     */
    Scenario requestsMayBeLostOnTheWire() {
        this.everyRequestReachesTheSimulator = false;
        return this;
    }

    /** The simulator only refuses in ways that certainly apply nothing (429s): every redirect must succeed too. */
    Scenario onlyCertainRefusals() {
        this.onlyCertainRefusals = true;
        return this;
    }

    /**
     * The source emits the first {@code k} commands, then fails with {@code error}: those {@code k} commands
     * must each get their result, then the error must arrive, and no later command may be sent.
     */
    Scenario sourceFailsAfter(int k, RuntimeException error) {
        this.sourceFailsAfter = k;
        this.sourceError = error;
        return this;
    }

    /**
     * The subscriber cancels once it has {@code k} results: the commands in flight are cancelled without a
     * result, nothing further is taken from the source or sent, the client stays usable.
     */
    Scenario cancelAfter(int k) {
        this.cancelAfter = k;
        return this;
    }

    /** The fault is not transient: hang-ups need not all succeed. */
    Scenario permanent() {
        this.transientFault = false;
        return this;
    }

    Run hangups(int n, Consumer<Run> checks) {
        return run(Update.HANGUP, n, checks);
    }

    Run redirects(int n, Consumer<Run> checks) {
        return run(Update.REDIRECT, n, checks);
    }

    /** {@code n} distinct SIDs, never used by another run of this JVM. */
    static List<String> sids(int n) {
        int batch = BATCHES.getAndIncrement();
        return IntStream.range(0, n).mapToObj(i -> "CA" + HexFormat.of().toHexDigits((short) batch) + "0".repeat(12)
                + HexFormat.of().toHexDigits((long) i)).toList();
    }

    static CallFluxClientBuilder clientFor(TwilioSimulator sim) {
        return CallFluxClient.builder()
                .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                .baseUrl(sim.baseUrl())
                .maxConnections(MAX_IN_FLIGHT)
                .pendingAcquireTimeout(Duration.ofSeconds(20));
    }

    private Run run(Update update, int n, Consumer<Run> checks) {
        List<String> sids = sids(n);
        TwilioSimulator.Builder sb = TwilioSimulator.builder();
        simulator.accept(sb);
        Tally t = new Tally();
        tally.accept(t);
        Run run;
        try (TwilioSimulator sim = sb.start()) {
            CallFluxClientBuilder cb = clientFor(sim);
            client.accept(cb);
            try (CallFluxClient c = cb.build()) {
                BulkOptions.Builder ob = BulkOptions.builder().maxInFlight(MAX_IN_FLIGHT).retryPolicy(FAST_RETRIES).listener(t);
                if (hook != null) {
                    ob.listener(hook.apply(sim));
                }
                options.accept(ob);
                Flux<Integer> indexes = sourceFailsAfter < 0 ? Flux.range(0, n)
                        : Flux.range(0, sourceFailsAfter).concatWith(Flux.error(sourceError));
                AtomicInteger taken = new AtomicInteger();
                Flux<BulkCommand<Integer>> commands = source.apply(indexes)
                        .doOnNext(i -> taken.incrementAndGet())
                        .map(i -> BulkCommand.of(sids.get(i), update.request, i));
                List<BulkResult<Integer>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
                AtomicReference<Throwable> terminal = new AtomicReference<>();
                AtomicInteger resultsAtError = new AtomicInteger(-1);
                long start = System.nanoTime();
                Flux<BulkResult<Integer>> batch = c.updateAll(commands, ob.build());
                if (cancelAfter >= 0) {
                    batch = batch.take(cancelAfter, true);
                }
                batch.doOnNext(results::add)
                        .doOnError(e -> resultsAtError.set(results.size()))
                        .then()
                        .onErrorResume(e -> {
                            terminal.set(e);
                            return reactor.core.publisher.Mono.empty();
                        })
                        .block(TIMEOUT);
                boolean finished = t.awaitFinished(Duration.ofSeconds(30));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                int expected = sourceFailsAfter >= 0 ? sourceFailsAfter : cancelAfter >= 0 ? cancelAfter : n;
                run = new Run(this, update, sids, expected, List.copyOf(results), terminal.get(), resultsAtError.get(),
                        sim.ledger(), t, finished, took);
                run.taken = taken.get();
                if (cancelAfter >= 0 && finished) {
                    // The client is still usable (no connection or permit leaked) and the cancelled batch sends
                    // nothing more: two later batches on the same client, then the same attempt count.
                    long attemptsAtEnd = t.attemptsStarted.sum();
                    run.probes = probe(c, sim) + probe(c, sim);
                    run.attemptsAfterProbes = t.attemptsStarted.sum() - attemptsAtEnd;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        run.verify(checks);
        return run;
    }

    /**
     * Hang-ups of 100 fresh SIDs on {@code client}: how many reached their goal (SUCCEEDED, or ALREADY_ENDED
     * after a lost answer under the simulator's faults) with their call hung up exactly once.
     */
    private static long probe(CallFluxClient client, TwilioSimulator sim) {
        List<BulkResult<String>> r = client.hangupAll(Flux.fromIterable(sids(100)),
                BulkOptions.builder().maxInFlight(MAX_IN_FLIGHT).retryPolicy(FAST_RETRIES).build()).collectList().block(TIMEOUT);
        return r == null ? 0 : r.stream().filter(BulkResult::isGoalReached)
                .filter(x -> sim.ledger().call(x.callSid()).hangupsApplied() == 1).count();
    }

    /** One bulk run's results and the ledger of its simulator. */
    static final class Run {
        final Scenario scenario;
        final Update update;
        final List<String> sids;
        /** The commands the source emitted: every one must have its result. */
        final int commands;
        final List<BulkResult<Integer>> results;
        /** The error that ended the result {@code Flux}, or {@code null}. */
        final Throwable error;
        final int resultsAtError;
        final Ledger ledger;
        final Tally tally;
        final boolean finished;
        final Duration took;
        final List<String> notes = new ArrayList<>();
        /** Commands taken from the source. */
        int taken;
        /** After a cancellation: hang-ups of the two later batches that reached their goal, hung up once (of 200). */
        long probes = -1;
        /** After a cancellation: attempts the cancelled batch started after its end (must be 0). */
        long attemptsAfterProbes = -1;

        Run(Scenario scenario, Update update, List<String> sids, int commands, List<BulkResult<Integer>> results,
                Throwable error, int resultsAtError, Ledger ledger, Tally tally, boolean finished, Duration took) {
            this.scenario = scenario;
            this.update = update;
            this.sids = sids;
            this.commands = commands;
            this.results = results;
            this.error = error;
            this.resultsAtError = resultsAtError;
            this.ledger = ledger;
            this.tally = tally;
            this.finished = finished;
            this.took = took;
        }

        long count(Outcome o) {
            return results.stream().filter(r -> r.outcome() == o).count();
        }

        long succeeded() {
            return count(Outcome.SUCCEEDED);
        }

        /** Hang-ups answered 400/21220: the call had ended (hung up by an earlier attempt whose answer was lost). */
        long alreadyEnded() {
            return count(Outcome.ALREADY_ENDED);
        }

        /** SUCCEEDED + ALREADY_ENDED. */
        long goalReached() {
            return results.stream().filter(BulkResult::isGoalReached).count();
        }

        long failed() {
            return count(Outcome.FAILED);
        }

        long unknown() {
            return count(Outcome.UNKNOWN);
        }

        long attempts() {
            return results.stream().mapToLong(BulkResult::attempts).sum();
        }

        long retries() {
            return attempts() - results.size();
        }

        long duplicates() {
            return results.size() - results.stream().map(BulkResult::correlation).distinct().count();
        }

        long lost() {
            if (scenario.cancelAfter >= 0) {
                return 0; // commands cancelled in flight have no result, by design
            }
            Set<Integer> seen = new HashSet<>();
            results.forEach(r -> seen.add(r.correlation()));
            return IntStream.range(0, commands).filter(i -> !seen.contains(i)).count();
        }

        /**
         * The final errors of the results that did not reach their goal, by {@link Tally#reason(Throwable)}
         * (an ALREADY_ENDED hang-up's 400 is not one: see {@link #alreadyEnded()}).
         */
        Map<String, Long> finalErrors() {
            Map<String, Long> m = new java.util.TreeMap<>();
            results.stream().filter(r -> !r.isGoalReached())
                    .forEach(r -> m.merge(r.outcome() + " " + Tally.reason(r.error().orElseThrow()), 1L, Long::sum));
            return m;
        }

        /**
         * Updates of this run's SIDs that the simulator refused with 400/21220 because the call had ended:
         * resent hang-ups whose earlier attempt was applied (answers later replaced by a fault included).
         */
        long notInProgressAnswers() {
            return sids.stream().mapToLong(sid -> ledger.call(sid).notInProgressAnswers()).sum();
        }

        /** Sum of the injected faults of these kinds. */
        long faults(Fault... kinds) {
            long n = 0;
            for (Fault f : kinds) {
                n += ledger.faultCount(f);
            }
            return n;
        }

        long statuses(int... statuses) {
            long n = 0;
            for (int s : statuses) {
                n += ledger.statusCount(s);
            }
            return n;
        }

        /** Adds a remark to the row's ledger-checks cell. */
        Run note(String s) {
            notes.add(s);
            return this;
        }

        private void verify(Consumer<Run> checks) {
            String verdict;
            AssertionError failure = null;
            try {
                checkCommon();
                checks.accept(this);
                verdict = "✔ " + summary();
            } catch (AssertionError e) {
                failure = e;
                verdict = "✘ " + firstLine(e.getMessage());
            }
            record(verdict);
            if (failure != null) {
                throw failure;
            }
        }

        private static String firstLine(String m) {
            if (m == null) {
                return "assertion failed";
            }
            String s = m.strip().replaceAll("\\s+", " ");
            return s.length() > 300 ? s.substring(0, 300) + "…" : s;
        }

        private String summary() {
            StringJoiner j = new StringJoiner("; ");
            if (update == Update.HANGUP) {
                long once = results.stream().filter(r -> ledger.call(r.callSid()).hangupsApplied() == 1).count();
                j.add(num(once) + "/" + num(commands) + " calls hung up once");
                if (alreadyEnded() > 0) {
                    j.add(num(alreadyEnded()) + " ALREADY_ENDED (answer lost, resent, 400/21220: goal reached, applied once)");
                }
            } else {
                long appliedOnce = results.stream().filter(r -> ledger.call(r.callSid()).redirectsApplied() == 1).count();
                j.add(num(appliedOnce) + " redirects applied once, none twice, none resent after an unknown outcome");
                long unknownApplied = results.stream().filter(r -> r.outcome() == Outcome.UNKNOWN)
                        .filter(r -> ledger.call(r.callSid()).redirectsApplied() == 1).count();
                if (unknown() > 0) {
                    j.add("UNKNOWN: " + num(unknownApplied) + " applied, " + num(unknown() - unknownApplied) + " not");
                }
            }
            if (failed() > 0) {
                j.add("FAILED ⇒ never past the 429 gate, nothing applied");
            }
            notes.forEach(j::add);
            if (!tally.retryReasons().isEmpty()) {
                j.add("retried on " + counts(tally.retryReasons()));
            }
            if (!finalErrors().isEmpty()) {
                j.add("final errors " + counts(finalErrors()));
            }
            j.add(num(ledger.connectionsAccepted()) + " connections");
            return j.toString();
        }

        private void record(String verdict) {
            long twice = 0;
            for (String sid : sids) {
                if (ledger.call(sid).updatesApplied() > 1) {
                    twice++;
                }
            }
            String appliedTwice = update == Update.REDIRECT ? num(twice)
                    : num(twice) + " (" + num(notInProgressAnswers()) + " already ended on resend)";
            FaultMatrix.record(scenario.fault, update.label, num(commands), num(succeeded()), num(alreadyEnded()),
                    num(failed()), num(unknown()), num(retries()), num(ledger.totalRequests()), injected(),
                    num(duplicates()), num(lost()), appliedTwice, verdict,
                    String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0));
        }

        private String injected() {
            StringJoiner j = new StringJoiner(", ");
            ledger.statusCounts().forEach((status, n) -> {
                // 400s are not injected: each is a 21220 answer to a resent hang-up (checkCommon proves it).
                if (status != 200 && status != 400) {
                    j.add(status + "×" + num(n));
                }
            });
            ledger.faultCounts().forEach((f, n) -> {
                if (f != Fault.SERVER_ERROR && f != Fault.PROXY_ERROR) {
                    j.add(f.name().toLowerCase(Locale.ROOT).replace('_', ' ') + "×" + num(n));
                }
            });
            if (ledger.faultCount(Fault.PROXY_ERROR) > 0) {
                j.add("(" + num(ledger.faultCount(Fault.PROXY_ERROR)) + " HTML pages)");
            }
            if (ledger.faultCount(Fault.NON_JSON_BODY) > 0) {
                j.add("(200s not JSON)");
            }
            if (ledger.outages() > 0) {
                j.add(ledger.outages() + " outage(s)");
            }
            String s = j.toString();
            return s.isEmpty() ? "—" : s;
        }

        static String counts(Map<String, Long> m) {
            StringJoiner j = new StringJoiner(", ");
            m.forEach((k, v) -> j.add(k + "×" + num(v)));
            return j.toString();
        }

        static String num(long n) {
            return String.format(Locale.ROOT, "%,d", n);
        }

        private long probeRequests() {
            Set<String> mine = new HashSet<>(sids);
            return ledger.callSids().stream().filter(sid -> !mine.contains(sid)).mapToLong(ledger::requests).sum();
        }

        /** After the subscriber cancelled. */
        private void checkCancelled() {
            int ahead = MAX_IN_FLIGHT;
            assertThat(taken).as("commands taken from the source: at most maxInFlight ahead of the results")
                    .isLessThanOrEqualTo(commands + ahead);
            long requestedSids = sids.stream().filter(sid -> ledger.requests(sid) > 0).count();
            assertThat(requestedSids).as("SIDs sent").isLessThanOrEqualTo(taken);
            for (int i = taken; i < sids.size(); i++) {
                assertThat(ledger.requests(sids.get(i))).as("a command never taken was sent").isZero();
            }
            assertThat(tally.attemptsStarted.sum()).isGreaterThanOrEqualTo(attempts());
            assertThat(attemptsAfterProbes).as("attempts of the cancelled batch after it ended").isZero();
            assertThat(probes).as("later batches on the same client succeed").isEqualTo(200);
            long cancelled = taken - commands;
            assertThat(cancelled).as("commands cancelled in flight").isBetween(0L, (long) ahead);
            for (String sid : sids) {
                CallRecord c = ledger.call(sid);
                // Cancelled commands too: nothing is ever applied twice.
                assertThat(c.updatesApplied()).as("applied twice: %s", c).isLessThanOrEqualTo(1);
                if (update == Update.REDIRECT) {
                    assertThat(c.requestsPastRateLimit()).as("a cancelled redirect resent: %s", c).isLessThanOrEqualTo(1);
                }
            }
            note(num(taken) + " taken, " + num(cancelled) + " cancelled in flight (no result, by design), "
                    + "nothing sent after the end, 200/200 later hang-ups on the same client reached their goal, each hung up once");
        }

        /** The checks of every run (see {@link Scenario}). */
        private void checkCommon() {
            // Exactly one result per command, and the batch's end.
            if (scenario.sourceFailsAfter < 0) {
                assertThat(error).as("the batch ends without error").isNull();
            } else {
                assertThat(error).as("the source's error ends the batch").isSameAs(scenario.sourceError);
                assertThat(resultsAtError).as("results delivered before the error").isEqualTo(commands);
                for (int i = commands; i < sids.size(); i++) {
                    assertThat(ledger.requests(sids.get(i))).as("a command the source never emitted was sent").isZero();
                }
            }
            assertThat(results).as("one result per command").hasSize(commands);
            assertThat(duplicates()).as("duplicated results").isZero();
            assertThat(lost()).as("lost commands").isZero();
            for (BulkResult<Integer> r : results) {
                assertThat(r.callSid()).as("the result of command %s", r.correlation()).isEqualTo(sids.get(r.correlation()));
            }
            // What the listener saw agrees with the results; nothing is left in flight.
            assertThat(finished).as("the batch ended (onBatchFinished)").isTrue();
            assertThat(tally.results.sum()).isEqualTo(commands);
            if (scenario.cancelAfter >= 0) {
                checkCancelled();
            } else {
                assertThat(taken).as("commands taken from the source").isEqualTo(commands);
                assertThat(tally.attemptsStarted.sum()).as("attempts started").isEqualTo(attempts());
                assertThat(tally.retries.sum()).as("retries").isEqualTo(retries());
            }
            assertThat(tally.attemptsFinished.sum()).as("attempts finished (none left in flight)")
                    .isEqualTo(tally.attemptsStarted.sum());
            if (scenario.cancelAfter >= 0) {
                assertThat(ledger.totalRequests()).as("requests the simulator received <= attempts started, probes apart")
                        .isLessThanOrEqualTo(tally.attemptsStarted.sum() + probeRequests());
            } else if (scenario.everyRequestReachesTheSimulator) {
                assertThat(ledger.totalRequests()).as("requests the simulator received = attempts").isEqualTo(attempts());
            } else {
                assertThat(ledger.totalRequests()).as("requests the simulator received <= attempts").isLessThanOrEqualTo(attempts());
            }

            for (BulkResult<Integer> r : results) {
                CallRecord c = ledger.call(r.callSid());
                String what = r + " / " + c;
                // No silent resend.
                if (scenario.everyRequestReachesTheSimulator) {
                    assertThat(c.requestsReceived()).as("requests of %s", what).isEqualTo(r.attempts());
                } else {
                    assertThat(c.requestsReceived()).as("requests of %s", what).isLessThanOrEqualTo(r.attempts());
                }
                // Twilio applies no update twice: a resent hang-up finds the call ended and is refused.
                assertThat(c.updatesApplied()).as("applied twice: %s", what).isLessThanOrEqualTo(1);
                assertThat(c.updatesApplied() + c.notInProgressAnswers())
                        .as("updates that reached the call <= requests past the 429 gate: %s", what)
                        .isLessThanOrEqualTo(c.requestsPastRateLimit());
                switch (r.outcome()) {
                    case SUCCEEDED:
                        assertThat(r.call().orElseThrow().sid()).isEqualTo(r.callSid());
                        if (update == Update.HANGUP) {
                            assertThat(c.hangupsApplied()).as("hung up once: %s", what).isEqualTo(1);
                            assertThat(c.updatesApplied()).as("hung up once: %s", what).isEqualTo(1);
                            // The attempt answered 200 was the one that ended the call: none reached it after.
                            assertThat(c.notInProgressAnswers()).as("SUCCEEDED after a resend found the call ended: %s", what)
                                    .isZero();
                            assertThat(c.status()).as(what).isEqualTo(CallStatus.COMPLETED);
                            assertThat(r.call().orElseThrow().status()).isEqualTo(CallStatus.COMPLETED);
                        } else {
                            assertThat(c.redirectsApplied()).as("redirected once: %s", what).isEqualTo(1);
                        }
                        break;
                    case ALREADY_ENDED:
                        // Only a hang-up ends so, and only on Twilio's 400/21220; no Call came back.
                        assertThat(update).as("ALREADY_ENDED for a redirect: %s", what).isEqualTo(Update.HANGUP);
                        assertThat(r.isSuccess()).as(what).isFalse();
                        assertThat(r.call()).as(what).isEmpty();
                        assertThat(r.error().orElseThrow()).as(what).isInstanceOf(TwilioApiException.class);
                        assertThat(r.httpStatus()).as(what).hasValue(400);
                        assertThat(r.twilioCode()).as(what).hasValue(21220);
                        // The calls of these runs are live until hung up: an earlier attempt of this very command
                        // ended it (its answer lost), and a later one was told so.
                        assertThat(c.hangupsApplied()).as("ALREADY_ENDED but not hung up once: %s", what).isEqualTo(1);
                        assertThat(c.updatesApplied()).as("ALREADY_ENDED but not hung up once: %s", what).isEqualTo(1);
                        assertThat(c.notInProgressAnswers()).as("ALREADY_ENDED without a 21220 answer: %s", what)
                                .isPositive();
                        assertThat(r.attempts()).as("ALREADY_ENDED on the first attempt: %s", what).isGreaterThan(1);
                        assertThat(c.status()).as(what).isEqualTo(CallStatus.COMPLETED);
                        break;
                    case FAILED:
                        // "Certainly not applied" must be true, and knowable: nothing got past the 429 gate.
                        assertThat(c.updatesApplied()).as("FAILED but applied: %s", what).isZero();
                        assertThat(c.requestsPastRateLimit()).as("FAILED but a request got past the 429 gate: %s", what).isZero();
                        break;
                    case UNKNOWN:
                        assertThat(r.error().orElseThrow()).isInstanceOf(CallFluxException.class);
                        assertThat(((CallFluxException) r.error().orElseThrow()).mayHaveBeenApplied()).isTrue();
                        if (scenario.everyRequestReachesTheSimulator) {
                            assertThat(c.requestsPastRateLimit()).as("UNKNOWN without any request past the 429 gate: %s", what)
                                    .isPositive();
                        }
                        break;
                    default:
                        throw new AssertionError(r.outcome());
                }
                if (update == Update.REDIRECT) {
                    assertThat(c.requestsPastRateLimit()).as("resent after an unknown outcome: %s", what).isLessThanOrEqualTo(1);
                    assertThat(c.redirectsApplied()).as("redirected twice: %s", what).isLessThanOrEqualTo(1);
                    assertThat(c.notInProgressAnswers()).as("a redirect met an ended call: %s", what).isZero();
                } else {
                    assertThat(c.hangupsApplied()).as("hung up twice: %s", what).isLessThanOrEqualTo(1);
                }
            }
            // Every 400 is a 21220 to a resend (so the matrix does not list 400s as injected), and every
            // ALREADY_ENDED result was told so by one of them.
            assertThat(ledger.statusCount(400)).as("400s answered vs ALREADY_ENDED results")
                    .isGreaterThanOrEqualTo(alreadyEnded())
                    .as("400s answered vs updates refused because the call had ended")
                    .isLessThanOrEqualTo(ledger.totalNotInProgressAnswers());
            if (update == Update.HANGUP && scenario.transientFault) {
                assertThat(goalReached()).as("every hang-up reaches its goal through a transient fault; final errors "
                        + finalErrors()).isEqualTo(commands);
                assertThat(succeeded() + alreadyEnded()).as("SUCCEEDED + ALREADY_ENDED").isEqualTo(commands);
                assertThat(results).as("every call hung up exactly once")
                        .allSatisfy(r -> assertThat(ledger.call(r.callSid()).hangupsApplied()).as("%s", r).isEqualTo(1));
            }
            if (update == Update.REDIRECT && scenario.onlyCertainRefusals) {
                assertThat(succeeded()).as("429s refuse nothing for good; final errors " + finalErrors()).isEqualTo(commands);
                assertThat(results).allSatisfy(r -> assertThat(ledger.call(r.callSid()).requestsPastRateLimit()).isEqualTo(1));
            }
        }
    }
}
