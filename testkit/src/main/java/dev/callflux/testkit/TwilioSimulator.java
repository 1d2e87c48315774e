package dev.callflux.testkit;

import dev.callflux.core.encoding.CallJson;
import dev.callflux.core.http.TwilioHttp;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.ApiKeySid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.CallStatus;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * An in-process HTTP server that behaves like Twilio's UpdateCall operation
 * ({@code POST /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json}), with a {@link Ledger} of everything it
 * received and knobs to inject latency, rate limiting, server errors and connection resets.
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
 *         .serverErrorFraction(0.1)
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
 * <li>The latency, waited without blocking.</li>
 * <li>Injected faults (a 5xx, code 20500, or a connection closed without a response), after the update
 *     is applied by default (see {@link Builder#faultsAfterApply(boolean)}).</li>
 * <li>The update, applied to the call's state machine.</li>
 * <li>200 with the Call JSON (via {@link CallJson#write(Call)}).</li>
 * </ol>
 * Every answer carries {@code Twilio-Request-Id}; answers to authenticated requests also carry
 * {@code Twilio-Concurrent-Requests}, the account's requests in flight. Errors are Twilio's error JSON:
 * {@code {"code":..,"message":..,"more_info":"https://www.twilio.com/docs/errors/<code>","status":..}}.
 *
 * <h2>Calls</h2>
 * Unless {@link Builder#knownCallsOnly(boolean)}, any well-formed call SID is a live call: the first
 * authenticated, valid update that reaches step 8 creates it with {@link Builder#initialStatus(CallStatus)}
 * (in progress by default), owned by the account in its path; a later request for it under another account
 * is answered 404. {@code Status=completed} ends a call that has not ended ({@code completed}, end time,
 * duration and price set); on an ended call it changes nothing and answers 200. {@code Status=canceled}
 * cancels a queued or ringing call and has no effect on a call in progress (200). {@code Url} or
 * {@code Twiml} on an ended call is refused (400, code 21220); on a live call it counts as a redirect.
 *
 * <h2>Repeatable faults</h2>
 * Each fault decision is a function of the seed, the call SID, the index of the request among those for
 * that SID (0 for the first) and the knob, so the same requests get the same faults whatever the
 * interleaving of requests for different calls.
 *
 * <p>Thread-safe. {@link #close()} blocks until the server and its event loops are gone: call it from a
 * thread that may block, never from a reactive pipeline.
 */
public final class TwilioSimulator implements AutoCloseable {

    /** The {@code WWW-Authenticate} header value of a 401. */
    public static final String WWW_AUTHENTICATE = "Basic realm=\"Twilio API\"";

    private static final Pattern PATH = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)\\.json");
    private static final byte[] EMPTY = new byte[0];
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #close()} lets requests in flight finish before closing their connections. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final Settings settings;
    private final Auth auth;
    private final Ledger ledger;
    private final String accountSid;
    private final String authToken;
    private final LoopResources loops;
    private final ChannelGroup connections = new DefaultChannelGroup("twilio-sim", GlobalEventExecutor.INSTANCE);
    private final DisposableServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TwilioSimulator(Builder b) {
        this.settings = new Settings(b);
        Map<String, String> accounts = new LinkedHashMap<>(b.accounts);
        if (accounts.isEmpty()) {
            accounts.put(generatedSid("AC"), generatedHex(32));
        }
        Map.Entry<String, String> first = accounts.entrySet().iterator().next();
        this.accountSid = first.getKey();
        this.authToken = first.getValue();

        Map<String, Auth.Principal> principals = new LinkedHashMap<>();
        accounts.forEach((sid, token) -> principals.put(sid, new Auth.Principal(token, sid)));
        principals.putAll(b.apiKeys);
        this.auth = new Auth(principals, b.parentOf);

        Map<String, Builder.KnownCall> known = new LinkedHashMap<>(b.calls);
        String defaultOwner = accountSid;
        this.ledger = new Ledger(() -> {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            Map<String, CallEntry> m = new LinkedHashMap<>();
            known.forEach((sid, c) -> m.put(sid, CallEntry.preregistered(sid,
                    c.accountSid() == null ? defaultOwner : c.accountSid(), c.status(), now)));
            return m;
        });

        this.loops = LoopResources.create("twilio-sim", 2, true);
        try {
            this.server = HttpServer.create()
                    .host("127.0.0.1")
                    .port(b.port)
                    .runOn(loops)
                    .channelGroup(connections)
                    .handle(this::handle)
                    .bindNow(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            loops.disposeLater(Duration.ZERO, CLOSE_TIMEOUT).block(CLOSE_TIMEOUT);
            throw e;
        }
    }

    /** A builder for a simulator; {@link Builder#start()} starts it. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}: the base URL to give the client (without a trailing slash). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The port the simulator listens on. */
    public int port() {
        return server.port();
    }

    /** The first account configured, or the generated one ({@code AC} and 32 hex digits). */
    public String accountSid() {
        return accountSid;
    }

    /** The auth token of {@link #accountSid()}. */
    public String authToken() {
        return authToken;
    }

    /** The seed of the fault decisions. */
    public long seed() {
        return settings.seed;
    }

    /** What the simulator received and did. */
    public Ledger ledger() {
        return ledger;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
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
        try {
            server.disposeNow(CLOSE_GRACE);
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

    // ------------------------------------------------------------------------------------------ handling

    private Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        ledger.recordRequest();
        Exchange ex = new Exchange(req, res);
        return req.receive().aggregate().asByteArray()
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> process(ex, body))
                .onErrorResume(e -> ex.unexpected(e))
                .doFinally(signal -> ex.release());
    }

    /** Steps 1 to 5, then the latency, then {@link #finish}. */
    private Mono<Void> process(Exchange ex, byte[] body) {
        try {
            String[] sids = route(ex.req.uri());
            String account = sids[0];
            String callSid = sids[1];
            CallEntry entry = ledger.entry(callSid);
            int index = entry.nextIndex();
            if (!HttpMethod.POST.equals(ex.req.method())) {
                ex.res.header(HttpHeaderNames.ALLOW, "POST");
                throw new Rejection(405, TwilioErrors.METHOD_NOT_ALLOWED, "Method not allowed");
            }
            auth.check(ex.req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION), account);
            int inFlight = ex.acquire(account);
            FormRules.checkContentType(ex.req.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE));
            Map<String, String> form = FormRules.decodeAndValidate(body);
            if (settings.concurrencyLimit > 0 && inFlight > settings.concurrencyLimit) {
                return ex.tooManyRequests();
            }
            if (settings.rateLimitedFraction > 0
                    && Decisions.uniform(settings.seed, callSid, index, Decisions.Knob.RATE_LIMIT) < settings.rateLimitedFraction) {
                return ex.tooManyRequests();
            }
            Duration delay = latency(callSid, index);
            Mono<Void> rest = Mono.defer(() -> finish(ex, account, entry, index, form));
            return delay.isZero() ? rest : ex.delay(delay).then(rest);
        } catch (Rejection r) {
            return ex.reject(r);
        }
    }

    /** Steps 7 to 9: faults before or after the update, the update, the answer. */
    private Mono<Void> finish(Exchange ex, String account, CallEntry entry, int index, Map<String, String> form) {
        Fault fault = fault(entry.sid, index);
        if (fault != Fault.NONE && !settings.faultsAfterApply) {
            return ex.fault(fault, entry.sid, index);
        }
        Call call = null;
        Rejection rejection = null;
        try {
            call = entry.apply(account, form, settings.knownCallsOnly, settings.initialStatus,
                    ZonedDateTime.now(ZoneOffset.UTC));
        } catch (Rejection r) {
            rejection = r;
        }
        if (fault != Fault.NONE) {
            return ex.fault(fault, entry.sid, index);
        }
        return rejection != null ? ex.reject(rejection) : ex.send(200, CallJson.write(call));
    }

    private enum Fault { NONE, SERVER_ERROR, RESET }

    private Fault fault(String callSid, int index) {
        if (settings.serverErrorFraction == 0 && settings.resetFraction == 0) {
            return Fault.NONE;
        }
        double u = Decisions.uniform(settings.seed, callSid, index, Decisions.Knob.FAULT);
        if (u < settings.serverErrorFraction) {
            return Fault.SERVER_ERROR;
        }
        return u < settings.serverErrorFraction + settings.resetFraction ? Fault.RESET : Fault.NONE;
    }

    private Duration latency(String callSid, int index) {
        Duration d = settings.latency;
        if (!settings.latencyJitter.isZero()) {
            double u = Decisions.uniform(settings.seed, callSid, index, Decisions.Knob.JITTER);
            d = d.plusNanos((long) (u * (settings.latencyJitter.toNanos() + 1)));
        }
        return d;
    }

    /** The account and call SIDs of the path, or a 404. */
    private static String[] route(String uri) {
        String path = uri;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.startsWith("http://") || path.startsWith("https://")) {
            int slash = path.indexOf('/', path.indexOf("//") + 2);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches() || !AccountSid.isValid(m.group(1)) || !CallSid.isValid(m.group(2))) {
            throw Rejection.notFound(TwilioErrors.quote(path, 200));
        }
        return new String[] {m.group(1), m.group(2)};
    }

    /** One request and its response. */
    private final class Exchange {
        final HttpServerRequest req;
        final HttpServerResponse res;
        final String requestId = "RQ" + randomHex32();
        private final Channel channel;
        private final AtomicBoolean holding = new AtomicBoolean();
        private final io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<? super Void>> onClose =
                f -> release();
        private volatile String account;

        Exchange(HttpServerRequest req, HttpServerResponse res) {
            this.req = req;
            this.res = res;
            Channel[] holder = new Channel[1];
            req.withConnection(c -> holder[0] = c.channel());
            this.channel = holder[0];
        }

        /**
         * Counts the request in flight until {@link #release()}: when the handler ends (response written,
         * or cancelled because the peer went away) or when the connection closes, whichever comes first.
         * Reactor Netty does not cancel a handler whose connection it disposes itself (as on close), hence
         * the close listener.
         */
        int acquire(String accountSid) {
            account = accountSid;
            holding.set(true);
            channel.closeFuture().addListener(onClose);
            return ledger.acquire(accountSid);
        }

        void release() {
            if (holding.compareAndSet(true, false)) {
                channel.closeFuture().removeListener(onClose);
                ledger.release(account);
            }
        }

        Mono<Void> reject(Rejection r) {
            if (r.status() == 401) {
                res.header(HttpHeaderNames.WWW_AUTHENTICATE, WWW_AUTHENTICATE);
            }
            return send(r.status(), TwilioErrors.json(r.status(), r.code(), r.getMessage()));
        }

        Mono<Void> tooManyRequests() {
            Duration retryAfter = settings.retryAfter;
            if (retryAfter != null) {
                long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
                res.header(TwilioHttp.RETRY_AFTER, Long.toString(seconds));
            }
            return send(429, TwilioErrors.json(429, TwilioErrors.TOO_MANY_REQUESTS, "Too Many Requests"));
        }

        Mono<Void> fault(Fault fault, String callSid, int index) {
            if (fault == Fault.RESET) {
                return reset();
            }
            int[] statuses = settings.serverErrorStatuses;
            int status = statuses.length == 1 ? statuses[0]
                    : statuses[Decisions.random(settings.seed, callSid, index, Decisions.Knob.ERROR_STATUS).nextInt(statuses.length)];
            return send(status, TwilioErrors.json(status, TwilioErrors.SERVER_ERROR,
                    HttpResponseStatus.valueOf(status).reasonPhrase()));
        }

        /** Closes the connection at once, without a response; with SO_LINGER 0 the peer gets a TCP RST. */
        Mono<Void> reset() {
            ledger.recordReset();
            return Mono.create(sink -> channel.eventLoop().execute(() -> {
                try {
                    channel.config().setOption(ChannelOption.SO_LINGER, 0);
                } catch (RuntimeException ignored) {
                    // A plain close is still a close without a response.
                }
                channel.close().addListener(f -> sink.success());
            }));
        }

        /** Waits on the connection's own event loop, without blocking it. */
        Mono<Void> delay(Duration d) {
            return Mono.create(sink -> {
                io.netty.util.concurrent.ScheduledFuture<?> f =
                        channel.eventLoop().schedule(() -> sink.success(), d.toNanos(), TimeUnit.NANOSECONDS);
                sink.onCancel(() -> f.cancel(false));
            });
        }

        Mono<Void> send(int status, String json) {
            ledger.recordStatus(status);
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            res.status(status)
                    .header(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
                    .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
                    .header(TwilioHttp.REQUEST_ID, requestId);
            String a = account;
            if (a != null && holding.get()) {
                res.header(TwilioHttp.CONCURRENT_REQUESTS, Integer.toString(ledger.inFlight(a)));
            }
            return res.sendByteArray(Mono.just(bytes)).then();
        }

        /**
         * A failure that is not an answer: the connection went away (nothing to do) or a bug (answered 500,
         * code 20500, if the response has not started). Never propagated, so Reactor Netty logs nothing.
         */
        Mono<Void> unexpected(Throwable e) {
            if (!channel.isActive() || res.hasSentHeaders()) {
                return Mono.empty();
            }
            return send(500, TwilioErrors.json(500, TwilioErrors.SERVER_ERROR,
                    "TwilioSimulator internal error: " + e.getClass().getSimpleName()))
                    .onErrorResume(ignored -> Mono.empty());
        }
    }

    private static String randomHex32() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format(java.util.Locale.ROOT, "%016x%016x", r.nextLong(), r.nextLong());
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

    /** The builder's knobs, frozen at start. */
    private static final class Settings {
        final Duration latency;
        final Duration latencyJitter;
        final int concurrencyLimit;
        final double rateLimitedFraction;
        final Duration retryAfter;
        final double serverErrorFraction;
        final int[] serverErrorStatuses;
        final double resetFraction;
        final boolean faultsAfterApply;
        final boolean knownCallsOnly;
        final CallStatus initialStatus;
        final long seed;

        Settings(Builder b) {
            latency = b.latency;
            latencyJitter = b.latencyJitter;
            concurrencyLimit = b.concurrencyLimit;
            rateLimitedFraction = b.rateLimitedFraction;
            retryAfter = b.retryAfter;
            serverErrorFraction = b.serverErrorFraction;
            serverErrorStatuses = b.serverErrorStatuses.clone();
            resetFraction = b.resetFraction;
            faultsAfterApply = b.faultsAfterApply;
            knownCallsOnly = b.knownCallsOnly;
            initialStatus = b.initialStatus;
            seed = b.seed;
        }
    }

    /**
     * Configures a {@link TwilioSimulator}. Every setting has a default; {@code TwilioSimulator.builder().start()}
     * is a well-behaved Twilio with one generated account. Not thread-safe; {@link #start()} may be called
     * more than once, each time starting a new simulator.
     */
    public static final class Builder {

        record KnownCall(String accountSid, CallStatus status) {
        }

        private final Map<String, String> accounts = new LinkedHashMap<>();
        private final Map<String, Auth.Principal> apiKeys = new LinkedHashMap<>();
        private final Map<String, String> parentOf = new LinkedHashMap<>();
        private final Map<String, KnownCall> calls = new LinkedHashMap<>();
        private Duration latency = Duration.ZERO;
        private Duration latencyJitter = Duration.ZERO;
        private int concurrencyLimit;
        private double rateLimitedFraction;
        private Duration retryAfter;
        private double serverErrorFraction;
        private int[] serverErrorStatuses = {500, 502, 503, 504};
        private double resetFraction;
        private boolean faultsAfterApply = true;
        private boolean knownCallsOnly;
        private CallStatus initialStatus = CallStatus.IN_PROGRESS;
        private long seed;
        private int port;

        private Builder() {
        }

        /**
         * Adds an account and its auth token; may be called several times (the same SID again replaces its
         * token). The first account added is {@link TwilioSimulator#accountSid()}. Without any, one account
         * with a random SID and token is generated.
         *
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

        /** A fixed delay before each request passing steps 1 to 5 is processed; default none. */
        public Builder latency(Duration fixed) {
            this.latency = nonNegative(fixed, "latency");
            return this;
        }

        /** A uniform extra delay in {@code [0, maxExtra]} per request, chosen from the seed; default none. */
        public Builder latencyJitter(Duration maxExtra) {
            this.latencyJitter = nonNegative(maxExtra, "latencyJitter");
            return this;
        }

        /**
         * The most requests of one account (the account in the path) in flight at once; a request beyond it
         * is answered 429, code 20429, at once. 0 (the default) is unlimited.
         */
        public Builder concurrencyLimit(int perAccount) {
            if (perAccount < 0) {
                throw new IllegalArgumentException("concurrencyLimit must be >= 0, got " + perAccount);
            }
            this.concurrencyLimit = perAccount;
            return this;
        }

        /** The fraction of requests additionally answered 429, code 20429; default 0. */
        public Builder rateLimitedFraction(double p) {
            this.rateLimitedFraction = fraction(p, "rateLimitedFraction");
            return this;
        }

        /**
         * Sends {@code Retry-After} on 429 answers: whole seconds, rounded up; {@code null} (the default)
         * sends none.
         */
        public Builder retryAfter(Duration d) {
            this.retryAfter = d == null ? null : nonNegative(d, "retryAfter");
            return this;
        }

        /**
         * The fraction of requests answered with a 5xx (see {@link #serverErrorStatuses(int...)}), code 20500;
         * default 0. Together with {@link #resetFraction(double)} at most 1.
         */
        public Builder serverErrorFraction(double p) {
            this.serverErrorFraction = fraction(p, "serverErrorFraction");
            return this;
        }

        /** The statuses injected server errors pick from, per request from the seed; default 500, 502, 503, 504. */
        public Builder serverErrorStatuses(int... statuses) {
            if (statuses == null || statuses.length == 0) {
                throw new IllegalArgumentException("serverErrorStatuses needs at least one status");
            }
            for (int s : statuses) {
                if (s < 500 || s > 599) {
                    throw new IllegalArgumentException("serverErrorStatuses must be 5xx, got " + s);
                }
            }
            this.serverErrorStatuses = statuses.clone();
            return this;
        }

        /**
         * The fraction of requests whose connection is closed without any response (with SO_LINGER 0, so the
         * client sees a reset); default 0. Together with {@link #serverErrorFraction(double)} at most 1.
         */
        public Builder resetFraction(double p) {
            this.resetFraction = fraction(p, "resetFraction");
            return this;
        }

        /**
         * Whether injected 5xx answers and resets happen after the update was applied ({@code true}, the
         * default: the worst case for a client, which cannot know the outcome) or before it ({@code false}:
         * the update is not applied).
         */
        public Builder faultsAfterApply(boolean after) {
            this.faultsAfterApply = after;
            return this;
        }

        /**
         * With {@code true}, only calls added with {@link #call(String, CallStatus)} exist and other SIDs are
         * answered 404, code 20404; with {@code false} (the default) any well-formed SID is a call, created
         * on first update.
         */
        public Builder knownCallsOnly(boolean knownOnly) {
            this.knownCallsOnly = knownOnly;
            return this;
        }

        /** Adds a call that exists from the start with {@code initialStatus}, owned by the first account. */
        public Builder call(String callSid, CallStatus initialStatus) {
            return addCall(null, callSid, initialStatus);
        }

        /** Adds a call that exists from the start with {@code initialStatus}, owned by {@code accountSid}. */
        public Builder call(String accountSid, String callSid, CallStatus initialStatus) {
            requireSid(AccountSid.isValid(accountSid), "accountSid", "AC");
            return addCall(accountSid, callSid, initialStatus);
        }

        private Builder addCall(String accountSid, String callSid, CallStatus status) {
            requireSid(CallSid.isValid(callSid), "callSid", "CA");
            calls.put(callSid, new KnownCall(accountSid, knownStatus(status)));
            return this;
        }

        /** The status of calls created on first sight; default {@link CallStatus#IN_PROGRESS}. */
        public Builder initialStatus(CallStatus status) {
            this.initialStatus = knownStatus(status);
            return this;
        }

        /** The seed of all fault and jitter decisions; default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Starts a simulator on {@code 127.0.0.1}; blocks until it listens.
         *
         * @throws IllegalArgumentException if {@code serverErrorFraction + resetFraction > 1}
         */
        public TwilioSimulator start() {
            if (serverErrorFraction + resetFraction > 1.0 + 1e-9) {
                throw new IllegalArgumentException("serverErrorFraction + resetFraction must be at most 1, got "
                        + serverErrorFraction + " + " + resetFraction);
            }
            return new TwilioSimulator(this);
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
                    + ", rateLimitedFraction=" + rateLimitedFraction + ", serverErrorFraction=" + serverErrorFraction
                    + ", serverErrorStatuses=" + Arrays.toString(serverErrorStatuses) + ", resetFraction="
                    + resetFraction + ", seed=" + seed + ", port=" + port + '}';
        }
    }
}
