package dev.callflux.testkit;

import dev.callflux.core.encoding.CallJson;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.ApiKeySid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.CallStatus;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * An in-process HTTP server that behaves like Twilio's UpdateCall operation
 * ({@code POST /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json}), with a {@link Ledger} of everything it
 * received and knobs to inject latency, rate limiting, server errors, connection resets, broken or foreign
 * responses, silence, idle-connection closes and outages.
 *
 * <p>It is a real server on loopback (Reactor Netty, HTTP/1.1, {@code 127.0.0.1}, a free port by default)
 * running on its own event loops, never shared with the client under test, and it never blocks them: it can
 * run in the same JVM as BlockHound. It checks what the client sends independently of CallFlux's own
 * encoder: the form body is decoded with Netty's {@code QueryStringDecoder} and checked against the
 * operation's schema.
 *
 * <pre>{@code
 * try (TwilioSimulator sim = TwilioSimulator.builder()
 *         .latency(Duration.ofMillis(20))
 *         .fault(Fault.SERVER_ERROR, 0.1)
 *         .seed(42)
 *         .start()) {
 *     // point the client at sim.baseUrl() with sim.accountSid() / sim.authToken()
 *     assertThat(sim.ledger().call(callSid).hangupsApplied()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <h2>How a request is handled, in order</h2>
 * <ol>
 * <li>Only {@code POST /2010-04-01/Accounts/{AC...}/Calls/{CA...}.json} is routed (a query string is
 *     ignored). Another path, or SIDs that are not {@code AC}/{@code CA} and 32 hex digits: 404, code 20404.
 *     Another method on that path: 405, code 20004, {@code Allow: POST}.</li>
 * <li>HTTP Basic credentials, valid for the account in the path (its own, its parent's, or an API key of
 *     either): else 401, code 20003, {@code WWW-Authenticate: Basic realm="Twilio API"}.</li>
 * <li>{@code Content-Type: application/x-www-form-urlencoded} (a {@code charset} must be UTF-8): else 400,
 *     code 20001.</li>
 * <li>The form: only the nine UpdateCall names, each at most once, values as the schema says; else 400,
 *     code 21205 for a URL, 20001 otherwise, the message naming the parameter.</li>
 * <li>Concurrency: over {@link Builder#concurrencyLimit(int)} requests of the account in flight (this one
 *     included), or chosen by {@link Builder#rateLimitedFraction(double)}: 429, code 20429, at once.</li>
 * <li>The latency (fixed, jitter, and the extra delay of {@link Builder#slowResponses(double, Duration)}), waited
 *     without blocking.</li>
 * <li>Injected faults, at most one per request, drawn from the seed with the fractions given to
 *     {@link Builder#fault(Fault, double)}: a 5xx with code 20500, a reset before the response, a reset after
 *     the response headers, a truncated body, a 200 whose body is not JSON, a proxy's HTML error page, or no
 *     answer at all (see {@link Fault}); after the update is applied by default (see
 *     {@link Builder#faultsAfterApply(boolean)}).</li>
 * <li>The update, applied to the call's state machine: 404, code 20404, for a call of another account (or
 *     an unknown one with {@link Builder#knownCallsOnly(boolean)}); 400, code 21220, for a call that has
 *     ended (see <a href="#calls">Calls</a>).</li>
 * <li>200 with the Call JSON (via {@link CallJson#write(Call)}).</li>
 * </ol>
 * Every answer carries {@code Twilio-Request-Id}; answers to authenticated requests also carry
 * {@code Twilio-Concurrent-Requests}, the account's requests in flight. Errors are Twilio's error JSON:
 * {@code {"code":..,"message":..,"more_info":"https://www.twilio.com/docs/errors/<code>","status":..}}.
 *
 * <h2 id="calls">Calls</h2>
 * Unless {@link Builder#knownCallsOnly(boolean)}, any well-formed call SID is a live call: the first
 * authenticated, valid update that reaches step 8 creates it with {@link Builder#initialStatus(CallStatus)}
 * (in progress by default), owned by the account in its path; a later request for it under another account
 * is answered 404. {@code Status=completed} ends a call that has not ended ({@code completed}, end time,
 * duration and price set). {@code Status=canceled} cancels a queued or ringing call and has no effect on a
 * call in progress (200). {@code Url} or {@code Twiml} on a live call counts as a redirect. As on Twilio,
 * <em>any</em> update of a call that has ended ({@link CallStatus#isEnded()}: completed, canceled, failed,
 * busy, no-answer), a second hang-up or a cancel included, is refused: 400, code 21220, "Call is not
 * in-progress. Cannot redirect." (a redirect) or "Call is not in-progress. Cannot update." (anything else).
 * Such a request is counted for its SID ({@link CallRecord#requestsReceived()},
 * {@link CallRecord#notInProgressAnswers()}) but never applied. {@link Builder#alreadyEndedFraction(double)}
 * makes a fraction of the calls created on first sight end on their own before their first update arrives.
 *
 * <p>A request that arrives while the simulator is {@linkplain #pause() paused} is reset at step 1, counted
 * for its SID but never applied.
 *
 * <h2>Connections</h2>
 * Keep-alive connections stay open until the client closes them, unless {@link Builder#idleTimeout(Duration)}
 * closes them after an idle period. {@link #pause()} takes the whole server down (listening socket and
 * connections) and {@link #resume()} brings it back on the same port, with the same ledger, without blocking:
 * a test can do it from a {@code BulkListener} callback at an exact point of a batch.
 *
 * <h2>Repeatable faults</h2>
 * Each fault decision is a function of the seed, the call SID, the index of the request among those for
 * that SID (0 for the first) and the knob, so the same requests get the same faults whatever the
 * interleaving of requests for different calls. Whether a call has ended on its own
 * ({@link Builder#alreadyEndedFraction(double)}) is a function of the seed and the call SID alone.
 *
 * <p>Thread-safe. {@link #close()} blocks until the server and its event loops are gone: call it from a
 * thread that may block, never from a reactive pipeline.
 */
public final class TwilioSimulator implements AutoCloseable {

    /** The {@code WWW-Authenticate} header value of a 401. */
    public static final String WWW_AUTHENTICATE = "Basic realm=\"Twilio API\"";

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #close()} lets requests in flight finish before closing their connections. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final SimulatorSettings settings;
    private final Ledger ledger;
    private final String accountSid;
    private final String authToken;
    private final LoopResources loops;
    private final ChannelGroup connections = new DefaultChannelGroup("twilio-sim", GlobalEventExecutor.INSTANCE);
    /** The configured server, bound again by {@link #resume()}. */
    private final HttpServer http;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set by {@link #pause()}: requests that still arrive are reset, connections that still open are closed. */
    private volatile boolean paused;
    /** Guards {@link #server}, {@link #pausing} and {@link #resuming}. */
    private final Object lifecycle = new Object();
    /** The listening server; {@code null} while paused. */
    private DisposableServer server;
    /** Completes when the last {@link #pause()} has closed the listening socket and the connections. */
    private CompletableFuture<Void> pausing = CompletableFuture.completedFuture(null);
    /** The {@link #resume()} in progress, or {@code null}. */
    private CompletableFuture<Void> resuming;

    private TwilioSimulator(SimulatorSettings settings) {
        this.settings = settings;
        Map.Entry<String, String> first = settings.accounts().entrySet().iterator().next();
        this.accountSid = first.getKey();
        this.authToken = first.getValue();

        String defaultOwner = accountSid;
        this.ledger = new Ledger(() -> {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            Map<String, CallEntry> m = new LinkedHashMap<>();
            settings.calls().forEach((sid, c) -> m.put(sid, CallEntry.preregistered(sid,
                    c.accountSid() == null ? defaultOwner : c.accountSid(), c.status(), now)));
            return m;
        });

        RequestPipeline pipeline = new RequestPipeline(settings, ledger, this::isPaused);
        this.loops = LoopResources.create("twilio-sim", 2, true);
        HttpServer h = HttpServer.create()
                .runOn(loops)
                .channelGroup(connections)
                .doOnChannelInit((observer, channel, remote) -> {
                    ledger.recordConnection();
                    if (paused) {
                        channel.close();
                    }
                })
                .handle(pipeline::handle);
        if (settings.idleTimeout() != null) {
            h = h.idleTimeout(settings.idleTimeout());
        }
        if (settings.https()) {
            h = SimulatorTls.secure(h, ledger);
        }
        this.http = h;
        try {
            this.server = h.bindAddress(() -> new InetSocketAddress(LOOPBACK, settings.port())).bindNow(CLOSE_TIMEOUT);
            this.port = server.port();
        } catch (RuntimeException e) {
            loops.disposeLater(Duration.ZERO, CLOSE_TIMEOUT).block(CLOSE_TIMEOUT);
            throw e;
        }
    }

    private static final java.net.InetAddress LOOPBACK = loopback();

    private static java.net.InetAddress loopback() {
        try {
            return java.net.InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A builder for a simulator; {@link Builder#start()} starts it.
     *
     * @return a new builder with every default: one generated account, no latency, no faults, a free port
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code http://127.0.0.1:<port>} (or {@code https://} with {@link Builder#https(boolean)}): the base URL to
     * give the client (without a trailing slash).
     *
     * @return the base URL, e.g. {@code http://127.0.0.1:54321}; unchanged by {@link #pause()} and {@link #resume()}
     */
    public String baseUrl() {
        return (settings.https() ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /**
     * The port the simulator listens on (the same after {@link #pause()} and {@link #resume()}).
     *
     * @return the bound port, between 1 and 65535: the configured one, or the free one picked at start
     */
    public int port() {
        return port;
    }

    /**
     * The first account configured, or the generated one ({@code AC} and 32 hex digits).
     *
     * @return the account SID, {@code AC} and 32 hex digits
     */
    public String accountSid() {
        return accountSid;
    }

    /**
     * The auth token of {@link #accountSid()}.
     *
     * @return the token given to {@link Builder#account(String, String)}, or a generated one of 32 hex digits
     */
    public String authToken() {
        return authToken;
    }

    /**
     * The seed of the fault decisions.
     *
     * @return the {@link Builder#seed(long)} value; 0 by default
     */
    public long seed() {
        return settings.seed();
    }

    /**
     * What the simulator received and did.
     *
     * @return the same live ledger for the simulator's whole life; still readable after {@link #close()}
     */
    public Ledger ledger() {
        return ledger;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} as soon as {@link #close()} starts, even while it is still closing
     */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Takes the simulator down, as if its host went away, until {@link #resume()}: the listening socket is
     * closed (new connections are refused: the client's request is certainly not sent), every open connection
     * is closed (keep-alive connections and requests in flight alike: a request in flight is not applied if
     * it has not been yet), and a request that still arrives on a connection accepted just before is reset
     * without an answer and never applied ({@link Fault#DOWN}). The ledger, the port and the calls' state are
     * kept. Counted by {@link Ledger#outages()}.
     *
     * <p>Non-blocking and thread-safe: call it from anywhere, an event loop or a
     * {@code BulkListener} callback included. Its effect on requests is immediate (no request is applied
     * once it returns); the returned future completes, on one of the simulator's threads, when the listening
     * socket and the connections are closed. Pausing a paused simulator does nothing more.
     *
     * @return completes with {@code null} once the listening socket and connections are closed; for an already
     *         paused simulator, the future of the pause in effect
     * @throws IllegalStateException if the simulator is closed
     */
    public CompletableFuture<Void> pause() {
        DisposableServer s;
        CompletableFuture<Void> done;
        synchronized (lifecycle) {
            if (closed.get()) {
                throw new IllegalStateException("the simulator is closed");
            }
            if (paused) {
                return pausing;
            }
            paused = true;
            ledger.recordOutage();
            s = server;
            server = null;
            done = new CompletableFuture<>();
            pausing = done;
        }
        Runnable closeConnections = () -> connections.close().addListener(f -> done.complete(null));
        if (s == null) {
            closeConnections.run();
        } else {
            s.channel().close().addListener(f -> closeConnections.run());
        }
        return done;
    }

    /**
     * Brings a paused simulator back on the same port, with its ledger and calls as they were: connections
     * are accepted and requests answered again. Non-blocking and thread-safe like {@link #pause()}; the
     * returned future completes when the simulator listens again (or exceptionally if the port could not be
     * bound again). Resuming a simulator that is not paused does nothing.
     *
     * @return completes with {@code null} once the simulator listens again (at once if it is not paused; the
     *         same future while a resume is in progress), or exceptionally if the port could not be bound
     * @throws IllegalStateException if the simulator is closed
     */
    public CompletableFuture<Void> resume() {
        CompletableFuture<Void> done;
        CompletableFuture<Void> closedFirst;
        synchronized (lifecycle) {
            if (closed.get()) {
                throw new IllegalStateException("the simulator is closed");
            }
            if (resuming != null) {
                return resuming;
            }
            if (!paused) {
                return CompletableFuture.completedFuture(null);
            }
            done = new CompletableFuture<>();
            resuming = done;
            closedFirst = pausing;
        }
        // The old listening socket must be closed before the port is bound again.
        closedFirst.whenComplete((ignored, e) -> http.bindAddress(() -> new InetSocketAddress(LOOPBACK, port))
                .bind()
                .subscribe(s -> {
                    boolean keep;
                    synchronized (lifecycle) {
                        resuming = null;
                        keep = !closed.get() && paused && server == null;
                        if (keep) {
                            server = s;
                            paused = false;
                        }
                    }
                    if (!keep) {
                        s.dispose();
                    }
                    done.complete(null);
                }, error -> {
                    synchronized (lifecycle) {
                        resuming = null;
                    }
                    done.completeExceptionally(error);
                }));
        return done;
    }

    /**
     * Whether the simulator is paused ({@link #pause()}) and not yet listening again.
     *
     * @return {@code true} from {@link #pause()} until the future of {@link #resume()} completes
     */
    public boolean isPaused() {
        return paused;
    }

    /**
     * Stops listening, lets requests in flight finish for up to 2 seconds, closes every connection (idle
     * keep-alive connections at once) and disposes the event loops; blocks until done. Idempotent. The ledger
     * stays readable. Call it from a thread that may block.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        DisposableServer s;
        synchronized (lifecycle) {
            s = server;
            server = null;
        }
        try {
            if (s != null) {
                s.disposeNow(CLOSE_GRACE);
            }
        } catch (IllegalStateException timeout) {
            // Requests still in flight: their connections are closed below.
        } finally {
            try {
                connections.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
            } finally {
                loops.disposeLater(Duration.ZERO, CLOSE_TIMEOUT).block(CLOSE_TIMEOUT);
            }
        }
    }

    @Override
    public String toString() {
        return "TwilioSimulator{" + (closed.get() ? "closed" : baseUrl()) + ", account=" + accountSid + '}';
    }

    private static String generatedSid(String prefix) {
        return prefix + generatedHex(32);
    }

    private static String generatedHex(int digits) {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    /**
     * Configures a {@link TwilioSimulator}. Every setting has a default; {@code TwilioSimulator.builder().start()}
     * is a well-behaved Twilio with one generated account. Not thread-safe; {@link #start()} may be called
     * more than once, each time starting a new simulator.
     */
    public static final class Builder {

        private final Map<String, String> accounts = new LinkedHashMap<>();
        private final Map<String, Auth.Principal> apiKeys = new LinkedHashMap<>();
        private final Map<String, String> parentOf = new LinkedHashMap<>();
        private final Map<String, SimulatorSettings.KnownCall> calls = new LinkedHashMap<>();
        /** The drawn faults' fractions; a kind set to 0 is removed. */
        private final EnumMap<Fault, Double> faults = new EnumMap<>(Fault.class);
        private Duration latency = Duration.ZERO;
        private Duration latencyJitter = Duration.ZERO;
        private double slowFraction;
        private Duration slowExtra = Duration.ZERO;
        private int concurrencyLimit;
        private double rateLimitedFraction;
        private Duration retryAfter;
        private List<Integer> serverErrorStatuses = List.of(500, 502, 503, 504);
        private List<Integer> proxyErrorStatuses = List.of(502, 503, 504);
        private Duration idleTimeout;
        private boolean faultsAfterApply = true;
        private boolean knownCallsOnly;
        private CallStatus initialStatus = CallStatus.IN_PROGRESS;
        private double alreadyEndedFraction;
        private long seed;
        private int port;
        private boolean https;

        private Builder() {
        }

        /**
         * Adds an account and its auth token; may be called several times (the same SID again replaces its
         * token). The first account added is {@link TwilioSimulator#accountSid()}. Without any, one account
         * with a random SID and token is generated.
         *
         * @param accountSid the account's SID, {@code AC} and 32 hex digits
         * @param authToken  the password of HTTP Basic authentication with {@code accountSid}; not empty
         * @return this builder
         * @throws IllegalArgumentException if the SID is not {@code AC} and 32 hex digits or the token is empty
         */
        public Builder account(String accountSid, String authToken) {
            requireSid(AccountSid.isValid(accountSid), "accountSid", "AC");
            requireSecret(authToken, "authToken");
            accounts.put(accountSid, authToken);
            return this;
        }

        /**
         * Adds an API key: {@code apiKeySid:secret} authenticates for {@code accountSid} (and its subaccounts).
         *
         * @param apiKeySid  the key's SID, {@code SK} and 32 hex digits: the user name of HTTP Basic authentication
         * @param secret     the key's secret: the password; not empty
         * @param accountSid the account the key belongs to, {@code AC} and 32 hex digits
         * @return this builder
         * @throws IllegalArgumentException for a malformed SID or an empty secret
         */
        public Builder apiKey(String apiKeySid, String secret, String accountSid) {
            requireSid(ApiKeySid.isValid(apiKeySid), "apiKeySid", "SK");
            requireSecret(secret, "secret");
            requireSid(AccountSid.isValid(accountSid), "accountSid", "AC");
            apiKeys.put(apiKeySid, new Auth.Principal(secret, accountSid));
            return this;
        }

        /**
         * Declares {@code subaccountSid} a subaccount of {@code parentAccountSid}: the parent's credentials (auth
         * token or API keys) may then act on the subaccount's calls. The subaccount's own credentials work only
         * if it is also added with {@link #account(String, String)}.
         *
         * @param parentAccountSid the parent account's SID, {@code AC} and 32 hex digits
         * @param subaccountSid    the subaccount's SID, {@code AC} and 32 hex digits, not the parent's
         * @return this builder
         * @throws IllegalArgumentException for a malformed SID or an account made its own subaccount
         */
        public Builder subaccount(String parentAccountSid, String subaccountSid) {
            requireSid(AccountSid.isValid(parentAccountSid), "parentAccountSid", "AC");
            requireSid(AccountSid.isValid(subaccountSid), "subaccountSid", "AC");
            if (parentAccountSid.equals(subaccountSid)) {
                throw new IllegalArgumentException("an account cannot be its own subaccount");
            }
            parentOf.put(subaccountSid, parentAccountSid);
            return this;
        }

        /**
         * A fixed delay before each request passing steps 1 to 5 is processed; default none.
         *
         * @param fixed the delay, not negative; {@link Duration#ZERO} for none
         * @return this builder
         * @throws IllegalArgumentException if {@code fixed} is negative
         */
        public Builder latency(Duration fixed) {
            this.latency = nonNegative(fixed, "latency");
            return this;
        }

        /**
         * A uniform extra delay in {@code [0, maxExtra]} per request, chosen from the seed; default none.
         *
         * @param maxExtra the largest extra delay, not negative; {@link Duration#ZERO} for none
         * @return this builder
         * @throws IllegalArgumentException if {@code maxExtra} is negative
         */
        public Builder latencyJitter(Duration maxExtra) {
            this.latencyJitter = nonNegative(maxExtra, "latencyJitter");
            return this;
        }

        /**
         * A fraction of the requests (chosen from the seed, per request) whose answer is delayed by
         * {@code extraLatency} on top of the latency and jitter ({@link Fault#SLOW}): responses slower than a
         * client's response timeout, while the others stay fast. If the client still waits, the request is
         * then processed normally (faults, update, answer); if it gives up and closes the connection during the
         * delay, nothing is applied. Default: none.
         *
         * @param fraction     the fraction of requests delayed, between 0 and 1
         * @param extraLatency the added delay, not negative
         * @return this builder
         * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1 or {@code extraLatency} is
         *                                  negative
         */
        public Builder slowResponses(double fraction, Duration extraLatency) {
            this.slowFraction = fraction(fraction, "slowResponses fraction");
            this.slowExtra = nonNegative(extraLatency, "slowResponses extraLatency");
            return this;
        }

        /**
         * The most requests of one account (the account in the path) in flight at once; a request beyond it
         * is answered 429, code 20429, at once. 0 (the default) is unlimited.
         *
         * @param perAccount the limit per account, 0 or more; 0 for none
         * @return this builder
         * @throws IllegalArgumentException if {@code perAccount} is negative
         */
        public Builder concurrencyLimit(int perAccount) {
            if (perAccount < 0) {
                throw new IllegalArgumentException("concurrencyLimit must be >= 0, got " + perAccount);
            }
            this.concurrencyLimit = perAccount;
            return this;
        }

        /**
         * The fraction of requests additionally answered 429, code 20429; default 0.
         *
         * @param p the fraction, between 0 and 1, drawn per request from the seed
         * @return this builder
         * @throws IllegalArgumentException if {@code p} is not between 0 and 1
         */
        public Builder rateLimitedFraction(double p) {
            this.rateLimitedFraction = fraction(p, "rateLimitedFraction");
            return this;
        }

        /**
         * Sends {@code Retry-After} on 429 answers: whole seconds, rounded up; {@code null} (the default)
         * sends none.
         *
         * @param d the delay to announce, not negative, or {@code null} for no header
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is negative
         */
        public Builder retryAfter(Duration d) {
            this.retryAfter = d == null ? null : nonNegative(d, "retryAfter");
            return this;
        }

        /**
         * The fraction of requests that meet the fault {@code kind} instead of a normal answer; default 0 for
         * every kind. One draw per request, from the seed, picks at most one fault: each kind owns a range of
         * [0, 1) as wide as its fraction, so the fractions of all kinds together must be at most 1 (checked by
         * {@link #start()}). Setting a kind again replaces its fraction; 0 removes it. Each fault strikes before
         * or after the update is applied: see {@link #faultsAfterApply(boolean)}.
         *
         * <p>The kinds, each described at its constant: {@link Fault#SERVER_ERROR} (a 5xx from
         * {@link #serverErrorStatuses(int...)} with Twilio's error JSON, code 20500), {@link Fault#RESET} (no
         * response, a TCP reset), {@link Fault#RESET_AFTER_HEADERS}, {@link Fault#TRUNCATED_BODY},
         * {@link Fault#NON_JSON_BODY}, {@link Fault#PROXY_ERROR} (a proxy's HTML page with a status from
         * {@link #proxyErrorStatuses(int...)}) and {@link Fault#HANG} (no answer at all: a server that accepts
         * connections and never answers is {@code fault(Fault.HANG, 1)}). Not {@link Fault#SLOW} (see
         * {@link #slowResponses(double, Duration)}) nor {@link Fault#DOWN} (see {@link TwilioSimulator#pause()});
         * nor 429s, which are not faults (see {@link #rateLimitedFraction(double)}).
         *
         * @param kind     the fault, one of the seven above
         * @param fraction the fraction of requests that meet it, between 0 and 1
         * @return this builder
         * @throws NullPointerException     if {@code kind} is {@code null}
         * @throws IllegalArgumentException naming the kind, if {@code fraction} is not between 0 and 1, or if
         *                                  {@code kind} is {@link Fault#SLOW} or {@link Fault#DOWN}
         */
        public Builder fault(Fault kind, double fraction) {
            if (FaultPlan.check(kind, fraction) == 0.0) {
                faults.remove(kind);
            } else {
                faults.put(kind, fraction);
            }
            return this;
        }

        /**
         * The statuses injected server errors pick from, per request from the seed; default 500, 502, 503, 504.
         *
         * @param statuses at least one status, each between 500 and 599; repeat one to weight it
         * @return this builder
         * @throws IllegalArgumentException if {@code statuses} is empty or holds a status that is not 5xx
         */
        public Builder serverErrorStatuses(int... statuses) {
            this.serverErrorStatuses = fiveHundreds(statuses, "serverErrorStatuses");
            return this;
        }

        private static List<Integer> fiveHundreds(int[] statuses, String name) {
            if (statuses == null || statuses.length == 0) {
                throw new IllegalArgumentException(name + " needs at least one status");
            }
            for (int s : statuses) {
                if (s < 500 || s > 599) {
                    throw new IllegalArgumentException(name + " must be 5xx, got " + s);
                }
            }
            return Arrays.stream(statuses).boxed().toList();
        }

        /**
         * The statuses proxy errors pick from, per request from the seed; default 502, 503, 504.
         *
         * @param statuses at least one status, each between 500 and 599; repeat one to weight it
         * @return this builder
         * @throws IllegalArgumentException if {@code statuses} is empty or holds a status that is not 5xx
         */
        public Builder proxyErrorStatuses(int... statuses) {
            this.proxyErrorStatuses = fiveHundreds(statuses, "proxyErrorStatuses");
            return this;
        }

        /**
         * Closes a keep-alive connection (normally, FIN) once it has waited this long for its next request, as
         * servers and load balancers do; {@code null} (the default) keeps idle connections open until the
         * client closes them. Never cuts a request short: the time runs only while no request is in progress.
         * A client whose pool keeps idle connections longer than this meets connections the server has
         * closed. See {@link Ledger#connectionsAccepted()}.
         *
         * @param timeout the idle time allowed, positive, or {@code null} to never close idle connections
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("idleTimeout must be positive, got " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Whether injected faults strike after the update was applied ({@code true}, the default: the worst
         * case for a client, which cannot know the outcome) or before it ({@code false}: the update is not
         * applied). Applies to every drawn fault: 5xx, resets before or after the headers, truncated and
         * non-JSON bodies, proxy errors and hangs. Refusals while paused ({@link Fault#DOWN}) and 429s are never
         * applied.
         *
         * @param after {@code true} to apply the update, then fail; {@code false} to fail without applying it
         * @return this builder
         */
        public Builder faultsAfterApply(boolean after) {
            this.faultsAfterApply = after;
            return this;
        }

        /**
         * With {@code true}, only calls added with {@link #call(String, CallStatus)} exist and other SIDs are
         * answered 404, code 20404; with {@code false} (the default) any well-formed SID is a call, created
         * on first update.
         *
         * @param knownOnly {@code true} to answer 404 for every SID not added with {@code call(...)}
         * @return this builder
         */
        public Builder knownCallsOnly(boolean knownOnly) {
            this.knownCallsOnly = knownOnly;
            return this;
        }

        /**
         * Adds a call that exists from the start with {@code initialStatus}, owned by the first account.
         *
         * @param callSid       the call's SID, {@code CA} and 32 hex digits; adding it again replaces it
         * @param initialStatus its status at start and after {@link Ledger#clear()}; not {@link CallStatus#UNKNOWN}
         * @return this builder
         * @throws IllegalArgumentException for a malformed SID or a {@code null} or unknown status
         */
        public Builder call(String callSid, CallStatus initialStatus) {
            return addCall(null, callSid, initialStatus);
        }

        /**
         * Adds a call that exists from the start with {@code initialStatus}, owned by {@code accountSid}.
         *
         * @param accountSid    the owning account's SID, {@code AC} and 32 hex digits; requests under another
         *                      account get 404
         * @param callSid       the call's SID, {@code CA} and 32 hex digits; adding it again replaces it
         * @param initialStatus its status at start and after {@link Ledger#clear()}; not {@link CallStatus#UNKNOWN}
         * @return this builder
         * @throws IllegalArgumentException for a malformed SID or a {@code null} or unknown status
         */
        public Builder call(String accountSid, String callSid, CallStatus initialStatus) {
            requireSid(AccountSid.isValid(accountSid), "accountSid", "AC");
            return addCall(accountSid, callSid, initialStatus);
        }

        private Builder addCall(String accountSid, String callSid, CallStatus status) {
            requireSid(CallSid.isValid(callSid), "callSid", "CA");
            calls.put(callSid, new SimulatorSettings.KnownCall(accountSid, knownStatus(status)));
            return this;
        }

        /**
         * The status of calls created on first sight; default {@link CallStatus#IN_PROGRESS}.
         *
         * @param status any status but {@link CallStatus#UNKNOWN}, e.g. {@link CallStatus#RINGING} to test cancels
         * @return this builder
         * @throws IllegalArgumentException if {@code status} is {@code null} or {@link CallStatus#UNKNOWN}
         */
        public Builder initialStatus(CallStatus status) {
            this.initialStatus = knownStatus(status);
            return this;
        }

        /**
         * The fraction of calls that have ended on their own (the callee hung up) before their first update
         * arrives; default 0. Decided once per call SID from the seed, when the call is created on first sight:
         * such a call is created already {@code completed}, with an end time before that request, a duration
         * and a price, and that request and every later one for it (a hang-up, a cancel, a redirect) is
         * answered 400, code 21220, "Call is not in-progress", and not applied (see
         * {@link CallRecord#notInProgressAnswers()}; {@link CallRecord#hangupsApplied()} stays 0). The same
         * SIDs end on their own with the same seed, in any order, on any simulator, and again after
         * {@link Ledger#clear()}. Pre-registered calls ({@link #call(String, CallStatus)}) keep their status, so
         * with {@link #knownCallsOnly(boolean)} this has no effect; nor on calls created with an
         * {@link #initialStatus(CallStatus)} that has ended already. Not a fault: independent of the fault
         * fractions and not counted by {@link Ledger#faultCount(Fault)}.
         *
         * @param p the fraction of calls created on first sight that have already ended, between 0 and 1
         * @return this builder
         * @throws IllegalArgumentException if {@code p} is not between 0 and 1
         */
        public Builder alreadyEndedFraction(double p) {
            this.alreadyEndedFraction = fraction(p, "alreadyEndedFraction");
            return this;
        }

        /**
         * The seed of all fault and jitter decisions; default 0.
         *
         * @param seed any value; the same seed gives the same requests the same faults and delays
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The port to listen on; 0 (the default) picks a free one.
         *
         * @param port 0 to 65535
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is outside 0 to 65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Serve HTTPS instead of plain HTTP, as Twilio does: TLS 1.2 or 1.3 with {@link TestCertificate} (a
         * self-signed test certificate for {@code 127.0.0.1} and {@code localhost}, which a client must be made to
         * trust), on the JDK's TLS provider whatever else is on the class path. {@link Ledger#tlsHandshakes()} and
         * {@link Ledger#tlsHandshakesResumed()} count the handshakes. Default {@code false}.
         *
         * @param https {@code true} for HTTPS
         * @return this builder
         */
        public Builder https(boolean https) {
            this.https = https;
            return this;
        }

        /**
         * Starts a simulator on {@code 127.0.0.1}; blocks until it listens.
         *
         * @return a new, listening simulator; the caller closes it
         * @throws IllegalArgumentException if the fault fractions ({@link #fault(Fault, double)}) add up to more
         *                                  than 1
         */
        public TwilioSimulator start() {
            FaultPlan plan = FaultPlan.of(faults);
            Map<String, String> accountsOrOne = new LinkedHashMap<>(accounts);
            if (accountsOrOne.isEmpty()) {
                accountsOrOne.put(generatedSid("AC"), generatedHex(32));
            }
            return new TwilioSimulator(new SimulatorSettings(accountsOrOne, apiKeys, parentOf, calls, latency,
                    latencyJitter, slowFraction, slowExtra, concurrencyLimit, rateLimitedFraction, retryAfter, plan,
                    serverErrorStatuses, proxyErrorStatuses, idleTimeout, faultsAfterApply, knownCallsOnly,
                    initialStatus, alreadyEndedFraction, seed, port, https));
        }

        private static void requireSid(boolean valid, String name, String prefix) {
            if (!valid) {
                throw new IllegalArgumentException(name + " must be '" + prefix + "' followed by 32 hexadecimal digits");
            }
        }

        private static void requireSecret(String secret, String name) {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
        }

        private static CallStatus knownStatus(CallStatus status) {
            if (status == null || status == CallStatus.UNKNOWN) {
                throw new IllegalArgumentException("a call status must be a known status, got " + status);
            }
            return status;
        }

        private static Duration nonNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + d);
            }
            return d;
        }

        private static double fraction(double p, String name) {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException(name + " must be between 0 and 1, got " + p);
            }
            return p;
        }

        @Override
        public String toString() {
            return "TwilioSimulator.Builder{accounts=" + accounts.keySet() + ", apiKeys=" + apiKeys.keySet()
                    + ", latency=" + latency + ", jitter=" + latencyJitter + ", concurrencyLimit=" + concurrencyLimit
                    + ", rateLimitedFraction=" + rateLimitedFraction + ", faults=" + faults
                    + ", serverErrorStatuses=" + serverErrorStatuses + ", proxyErrorStatuses=" + proxyErrorStatuses
                    + ", idleTimeout=" + idleTimeout + ", faultsAfterApply=" + faultsAfterApply + ", alreadyEndedFraction=" + alreadyEndedFraction
                    + ", seed=" + seed + ", port=" + port + ", https=" + https + '}';
        }
    }
}
