package dev.callflux.reactor;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.http.ApiEndpoint;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.http.TwilioHttp;
import dev.callflux.core.model.AccountSid;
import dev.callflux.reactor.internal.EventLoops;
import dev.callflux.reactor.internal.UpdateCallTransport;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import reactor.core.Disposable;
import java.util.Objects;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientSecurityUtils;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The one way to make a {@link CallFluxClient}.
 *
 * <pre>{@code
 * CallFluxClient client = new CallFluxClientBuilder()
 *         .credentials(Credentials.authToken(System.getenv("TWILIO_ACCOUNT_SID"), System.getenv("TWILIO_AUTH_TOKEN")))
 *         .build();
 * }</pre>
 *
 * <p>Defaults suit Twilio's REST API: {@link #DEFAULT_CONNECT_TIMEOUT}, {@link #DEFAULT_RESPONSE_TIMEOUT},
 * {@link #DEFAULT_MAX_CONNECTIONS} pooled connections (Twilio's usual per-account concurrency limit is
 * 100 requests), {@link #DEFAULT_MAX_IDLE_TIME} before an idle connection is closed by the client (before
 * a load balancer silently drops it), and responses up to {@link #DEFAULT_MAX_RESPONSE_BYTES}.
 *
 * <p>A builder is not thread-safe; the client it builds is.
 *
 * <p>Its settings are configuration, not requests: a bad value throws {@link IllegalArgumentException} and a
 * {@code null} where a value is required {@link NullPointerException}, each with the message the setting's name, a
 * space and the rule ({@code "MaxConnections must be at least 1 (got 0)"}, {@code "Region must be one of ..."}).
 * {@link InvalidRequestException} is kept for requests Twilio would refuse.
 */
public final class CallFluxClientBuilder {

    /** Time allowed to open a connection (TCP and TLS): 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Time allowed between the request and each part of the response: 30 seconds. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** Pooled connections: 100, Twilio's usual per-account concurrency limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 100;
    /** Requests allowed to wait for a pooled connection: 1,000. More fail at once instead of queueing unboundedly. */
    public static final int DEFAULT_MAX_PENDING_ACQUIRES = 1000;
    /** Time a request may wait for a pooled connection: 45 seconds. */
    public static final Duration DEFAULT_PENDING_ACQUIRE_TIMEOUT = Duration.ofSeconds(45);
    /** An idle pooled connection is closed after 20 seconds, before servers and proxies drop it unannounced. */
    public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(20);
    /** Largest response body accepted: 1 MiB (a Call is about 2 KiB). */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;
    /** Event loop threads of a client's own: one per available processor. */
    public static final int DEFAULT_EVENT_LOOP_THREADS = Runtime.getRuntime().availableProcessors();

    private Credentials credentials;
    private String accountSid;
    private ApiEndpoint endpoint = ApiEndpoint.DEFAULT;
    private String region;
    private String edge;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxPendingAcquires = DEFAULT_MAX_PENDING_ACQUIRES;
    private Duration pendingAcquireTimeout = DEFAULT_PENDING_ACQUIRE_TIMEOUT;
    private Duration maxIdleTime = DEFAULT_MAX_IDLE_TIME;
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private HttpClient httpClient;
    private int eventLoopThreads = DEFAULT_EVENT_LOOP_THREADS;
    private final List<UpdateObserver> observers = new ArrayList<>();

    /** A builder with the defaults; {@link CallFluxClient#builder()} is the same. */
    public CallFluxClientBuilder() {
    }

    /**
     * Required: an account SID and auth token, or an API key and secret.
     *
     * @param credentials the credentials
     * @return this builder
     * @throws NullPointerException if {@code credentials} is {@code null} (message {@code "Credentials are required"})
     */
    public CallFluxClientBuilder credentials(Credentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "Credentials are required");
        return this;
    }

    /**
     * The account whose calls are updated by default (it goes in the request path). Defaults to the
     * account of auth-token credentials; required with an API key. May be a subaccount of the
     * credentials' account.
     *
     * @param accountSid the account SID, {@code "AC"} and 32 hex digits, checked by {@link #build()} (which throws
     *                   {@link IllegalArgumentException} {@code "AccountSid must be 'AC' followed by ..."} for a
     *                   malformed one); {@code null} for the credentials' account
     * @return this builder
     */
    public CallFluxClientBuilder accountSid(String accountSid) {
        this.accountSid = accountSid;
        return this;
    }

    /**
     * Where requests go; {@link ApiEndpoint#DEFAULT} unless set. Replaces any region or edge.
     *
     * @param endpoint the endpoint
     * @return this builder
     * @throws NullPointerException if {@code endpoint} is {@code null} (message {@code "Endpoint is required"})
     */
    public CallFluxClientBuilder endpoint(ApiEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "Endpoint is required");
        this.region = null;
        this.edge = null;
        return this;
    }

    /**
     * Shortcut for {@code endpoint(ApiEndpoint.baseUrl(url))}: a proxy or a local simulator.
     *
     * @param url an absolute {@code https} URL, or {@code http} on a loopback address; a path is kept as a prefix
     * @return this builder
     * @throws NullPointerException if {@code url} is {@code null} (message {@code "BaseUrl is required"})
     * @throws IllegalArgumentException (message {@code "BaseUrl <rule>"}) if the URL is blank, malformed or plain
     *         {@code http} to another host; see {@link ApiEndpoint#baseUrl(String)}
     */
    public CallFluxClientBuilder baseUrl(String url) {
        return endpoint(ApiEndpoint.baseUrl(url));
    }

    /**
     * Twilio region such as {@code ie1}; see {@link ApiEndpoint#of(String, String)}. Without an {@link #edge(String)}
     * requests go through the region's default edge ({@link ApiEndpoint#DEFAULT_EDGES}, e.g. {@code ie1} gives
     * {@code api.dublin.ie1.twilio.com}), and a region not in that table is refused by {@link #build()}.
     *
     * @param region the region, checked by {@link #build()}; {@code null} for none ({@code us1} if an edge is set).
     *               A region or an edge replaces any {@link #endpoint(ApiEndpoint)}
     * @return this builder
     */
    public CallFluxClientBuilder region(String region) {
        this.region = region;
        return this;
    }

    /**
     * Twilio edge location such as {@code dublin}; see {@link ApiEndpoint#of(String, String)}. With a region, any
     * well-formed edge is used as given ({@code api.{edge}.{region}.twilio.com}); without one, the region is
     * {@code us1}.
     *
     * @param edge the edge, checked by {@link #build()}; {@code null} for none. A region or an edge replaces any
     *             {@link #endpoint(ApiEndpoint)}
     * @return this builder
     */
    public CallFluxClientBuilder edge(String edge) {
        this.edge = edge;
        return this;
    }

    /**
     * Time allowed to open a connection, TCP and TLS; {@link #DEFAULT_CONNECT_TIMEOUT} unless set.
     *
     * @param connectTimeout a positive duration, in effect to the millisecond
     * @return this builder
     * @throws NullPointerException if {@code connectTimeout} is {@code null} ({@code "ConnectTimeout is required"})
     * @throws IllegalArgumentException if it is zero or negative ({@code "ConnectTimeout must be a positive duration (got PT0S)"})
     */
    public CallFluxClientBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive("ConnectTimeout", connectTimeout);
        return this;
    }

    /**
     * Maximum time between writing the request and each read of the response.
     *
     * @param responseTimeout a positive duration; {@link #DEFAULT_RESPONSE_TIMEOUT} unless set. When it runs
     *                        out the request fails with {@code RESPONSE_TIMEOUT} and may have reached Twilio
     * @return this builder
     * @throws NullPointerException if {@code responseTimeout} is {@code null} ({@code "ResponseTimeout is required"})
     * @throws IllegalArgumentException if it is zero or negative ({@code "ResponseTimeout must be a positive duration (got PT0S)"})
     */
    public CallFluxClientBuilder responseTimeout(Duration responseTimeout) {
        this.responseTimeout = positive("ResponseTimeout", responseTimeout);
        return this;
    }

    /**
     * Size of the connection pool the client owns. Ignored with {@link #httpClient(HttpClient)}.
     *
     * @param maxConnections at least 1; {@link #DEFAULT_MAX_CONNECTIONS} unless set. Bulk runs never exceed it
     * @return this builder
     * @throws IllegalArgumentException if {@code maxConnections} is less than 1
     *         ({@code "MaxConnections must be at least 1 (got 0)"})
     */
    public CallFluxClientBuilder maxConnections(int maxConnections) {
        this.maxConnections = atLeastOne("MaxConnections", maxConnections);
        return this;
    }

    /**
     * How many requests may wait for a pooled connection before further ones fail at once.
     *
     * @param maxPendingAcquires at least 1; {@link #DEFAULT_MAX_PENDING_ACQUIRES} unless set. Ignored with
     *                           {@link #httpClient(HttpClient)}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxPendingAcquires} is less than 1
     *         ({@code "MaxPendingAcquires must be at least 1 (got 0)"})
     */
    public CallFluxClientBuilder maxPendingAcquires(int maxPendingAcquires) {
        this.maxPendingAcquires = atLeastOne("MaxPendingAcquires", maxPendingAcquires);
        return this;
    }

    /**
     * How long a request may wait for a pooled connection before it fails (nothing was sent).
     *
     * @param pendingAcquireTimeout a positive duration; {@link #DEFAULT_PENDING_ACQUIRE_TIMEOUT} unless set.
     *                              Ignored with {@link #httpClient(HttpClient)}
     * @return this builder
     * @throws NullPointerException if {@code pendingAcquireTimeout} is {@code null}
     *         ({@code "PendingAcquireTimeout is required"})
     * @throws IllegalArgumentException if it is zero or negative
     *         ({@code "PendingAcquireTimeout must be a positive duration (got PT0S)"})
     */
    public CallFluxClientBuilder pendingAcquireTimeout(Duration pendingAcquireTimeout) {
        this.pendingAcquireTimeout = positive("PendingAcquireTimeout", pendingAcquireTimeout);
        return this;
    }

    /**
     * How long a pooled connection may stay idle before the client closes it.
     *
     * @param maxIdleTime a positive duration; {@link #DEFAULT_MAX_IDLE_TIME} unless set. Ignored with
     *                    {@link #httpClient(HttpClient)}
     * @return this builder
     * @throws NullPointerException if {@code maxIdleTime} is {@code null} ({@code "MaxIdleTime is required"})
     * @throws IllegalArgumentException if it is zero or negative ({@code "MaxIdleTime must be a positive duration (got PT0S)"})
     */
    public CallFluxClientBuilder maxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = positive("MaxIdleTime", maxIdleTime);
        return this;
    }

    /**
     * Largest response body accepted; larger responses fail instead of being buffered.
     *
     * @param maxResponseBytes in bytes, at least 1; {@link #DEFAULT_MAX_RESPONSE_BYTES} unless set. A larger body
     *                         fails the request with {@code RESPONSE_TOO_LARGE}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxResponseBytes} is less than 1
     *         ({@code "MaxResponseBytes must be at least 1 (got 0)"})
     */
    public CallFluxClientBuilder maxResponseBytes(int maxResponseBytes) {
        this.maxResponseBytes = atLeastOne("MaxResponseBytes", maxResponseBytes);
        return this;
    }

    /**
     * Threads of the event loop the client makes for itself (not used with {@link #httpClient(HttpClient)}).
     * Nothing blocks them, so one per core serves any concurrency.
     *
     * @param threads at least 1; {@link #DEFAULT_EVENT_LOOP_THREADS} unless set
     * @return this builder
     * @throws IllegalArgumentException if {@code threads} is less than 1 ({@code "EventLoopThreads must be at least 1 (got 0)"})
     */
    public CallFluxClientBuilder eventLoopThreads(int threads) {
        this.eventLoopThreads = atLeastOne("EventLoopThreads", threads);
        return this;
    }

    /**
     * A Reactor Netty client to build on, sharing its connection pool and event loops (a WebFlux
     * application's, say, to add no threads). CallFlux adds its headers, timeouts and settings on top;
     * closing the CallFlux client leaves this one's resources alone. Without it, the client makes its own
     * pool and event loop, and closing it releases them.
     *
     * <p>For an {@code https} endpoint, TLS this client was given ({@code secure(...)} with a trust store of
     * your own) is kept, otherwise Reactor Netty's default TLS is applied; host names are verified either way.
     * Redirects are never followed and a wire log ({@code wiretap}) is removed, whatever this client says.
     *
     * @param httpClient the Reactor Netty client
     * @return this builder
     * @throws NullPointerException if {@code httpClient} is {@code null} (message {@code "HttpClient is required"})
     */
    public CallFluxClientBuilder httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "HttpClient is required");
        return this;
    }

    /**
     * Adds an observer of every request the client sends (metrics, tracing, health); observers are told in
     * the order they were added. None by default, and then observing costs nothing.
     *
     * @param observer the observer
     * @return this builder
     * @throws NullPointerException if {@code observer} is {@code null} (message {@code "UpdateObserver is required"})
     */
    public CallFluxClientBuilder addObserver(UpdateObserver observer) {
        observers.add(Objects.requireNonNull(observer, "UpdateObserver is required"));
        return this;
    }

    /**
     * Builds an immutable, thread-safe client.
     *
     * @return a new client; each call makes a new one, with its own pool and event loop unless
     *         {@link #httpClient(HttpClient)} was given
     * @throws IllegalArgumentException with the setting's name first: if credentials were never given
     *         ({@code "Credentials are required"}), if the account cannot be determined ({@code "AccountSid is
     *         required with API key credentials (the account goes in the request path)"}), if the account SID, region
     *         or edge is malformed ({@code "AccountSid must be 'AC' followed by 32 hexadecimal digits (...)"},
     *         {@code "Region must be a Twilio location name ..."}), or if a region is set without an edge and has no
     *         default edge in {@link ApiEndpoint#DEFAULT_EDGES} ({@code "Region must be one of ..."})
     */
    public CallFluxClient build() {
        if (credentials == null) {
            throw new IllegalArgumentException("Credentials are required");
        }
        AccountSid account = accountSid != null ? accountSetting(accountSid)
                : credentials.accountSid().orElseThrow(() -> new IllegalArgumentException(
                        "AccountSid is required with API key credentials (the account goes in the request path)"));
        ApiEndpoint endpoint = region != null || edge != null ? ApiEndpoint.of(region, edge) : this.endpoint;

        ConnectionProvider ownedPool = null;
        LoopResources ownedLoops = null;
        HttpClient base = httpClient;
        EventLoops loops;
        if (base == null) {
            // One event loop per core, daemon threads: enough for any concurrency, since nothing blocks them.
            ownedLoops = LoopResources.create("callflux", eventLoopThreads, true);
            EventLoopGroup group = ownedLoops.onClient(true);
            loops = EventLoops.of(group);
            ownedPool = ConnectionProvider.builder("callflux")
                    .maxConnections(maxConnections)
                    .pendingAcquireMaxCount(maxPendingAcquires)
                    .pendingAcquireTimeout(pendingAcquireTimeout)
                    .pendingAcquireTimer(eventLoopTimer(loops, group))
                    .maxIdleTime(maxIdleTime)
                    .evictInBackground(maxIdleTime)
                    .build();
            base = HttpClient.create(ownedPool).runOn(ownedLoops);
        } else {
            loops = EventLoops.of(base.configuration().loopResources().onClient(base.configuration().isPreferNative()));
        }
        String authorization = credentials.authorizationHeader();
        URI target = URI.create(endpoint.baseUrl());
        boolean secure = endpoint.isSecure();
        String host = target.getHost().startsWith("[") ? target.getHost().substring(1, target.getHost().length() - 1) : target.getHost();
        int port = target.getPort() != -1 ? target.getPort() : secure ? 443 : 80;
        // A fixed remote address and relative request paths: Reactor Netty then parses no URL per request.
        HttpClient addressed = base.remoteAddress(() -> InetSocketAddress.createUnresolved(host, port));
        HttpClient configured = (secure ? verified(addressed) : addressed.noSSL())
                // A wire log would write the Authorization header, and so the secret, into the application's logs.
                .wiretap(false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                // CallFlux alone decides whether a POST is resent.
                .disableRetry(true)
                .followRedirect(false)
                .compress(false)
                .headers(h -> {
                    h.set(HttpHeaderNames.AUTHORIZATION, authorization)
                            .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                            .set(HttpHeaderNames.CONTENT_TYPE, dev.callflux.core.encoding.FormEncoder.CONTENT_TYPE)
                            .set(HttpHeaderNames.USER_AGENT, TwilioHttp.USER_AGENT);
                    if (!h.contains(HttpHeaderNames.HOST)) {
                        // What Reactor Netty would compute for every request from the fixed remote address.
                        h.set(HttpHeaderNames.HOST, hostHeader(host, port));
                    }
                });
        UpdateCallTransport transport = new UpdateCallTransport(configured,
                target.getRawPath(), maxResponseBytes, responseTimeout);
        return new CallFluxClient(transport, List.copyOf(observers), account, endpoint, credentials, ownedPool,
                ownedLoops, ownedPool == null ? 0 : maxConnections, loops);
    }

    /**
     * TLS with certificate and host-name verification. A client handed over already secure keeps its own
     * trust (a company CA, say); one that is not gets Reactor Netty's defaults. Either way host names are
     * verified on every connection: Reactor Netty leaves that off for an {@code SslProvider} built by hand,
     * an easy way to turn it off without noticing.
     */
    private static HttpClient verified(HttpClient client) {
        HttpClient secured = client.configuration().isSecure() ? client : client.secure();
        // Runs after Reactor Netty has added the SslHandler and before the handshake starts (channel active).
        return secured.doOnChannelInit((observer, channel, remoteAddress) -> {
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl != null) {
                HttpClientSecurityUtils.HOSTNAME_VERIFICATION_CONFIGURER.accept(ssl);
            }
        });
    }

    /** The Host header for the fixed remote address, as Reactor Netty formats it ({@code [v6]:port}, no default port). */
    private static String hostHeader(String host, int port) {
        String name = HttpUtil.formatHostnameForHttp(InetSocketAddress.createUnresolved(host, port));
        return port != 80 && port != 443 ? name + ':' + port : name;
    }

    /**
     * Pending-acquire timeouts on the event loop that asks, instead of Reactor's parallel scheduler: a bulk
     * run asks for the next connection just before the previous one is handed back, so this timer is set and
     * cancelled for most requests, and a hop to another thread each time would cost more than the request.
     */
    private static BiFunction<Runnable, Duration, Disposable> eventLoopTimer(EventLoops loops, EventLoopGroup group) {
        return (task, delay) -> {
            EventExecutor current = loops.current();
            EventExecutor executor = current != null ? current : group.next();
            ScheduledFuture<?> timeout = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> timeout.cancel(false);
        };
    }

    /**
     * The client's default account: a SID given as a setting, so a malformed one is a configuration error in the
     * SID type's words ({@code "AccountSid must be 'AC' followed by ..."}), not a request's InvalidRequestException.
     */
    private static AccountSid accountSetting(String sid) {
        try {
            return AccountSid.of(sid);
        } catch (InvalidRequestException e) {
            throw new IllegalArgumentException(e.field() + " " + e.rule());
        }
    }

    private static Duration positive(String setting, Duration d) {
        if (d == null) {
            throw new NullPointerException(setting + " is required");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(setting + " must be a positive duration (got " + d + ")");
        }
        return d;
    }

    private static int atLeastOne(String setting, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1 (got " + n + ")");
        }
        return n;
    }
}
