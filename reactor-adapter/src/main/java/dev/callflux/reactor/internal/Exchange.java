package dev.callflux.reactor.internal;

import dev.callflux.core.encoding.ResponseDecoder;
import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.http.TwilioHttp;
import dev.callflux.core.model.Call;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.context.Context;

/**
 * One subscription of an UpdateCall exchange: the subscriber of Reactor Netty's response {@code Flux}, the
 * {@code Subscription} its own subscriber sees, and the per-request state (the form bytes, whether they were
 * fully written, the response timeout). The body is read by a {@link Body}.
 *
 * <p>Hand-written rather than {@code responseSingle(...)} and operators, for what they do not give: whether
 * the whole request reached the socket, known at every failure (it decides "may have been applied"), the
 * body read into one array without an aggregate buffer, and one object per exchange. A rewrite that dropped
 * the {@code Sent} publisher left a bulk batch with injected resets waiting forever, so this form stays
 * until a simpler one passes the reliability suite repeatedly. {@code ExchangeTckTest} holds it to the
 * Reactive Streams rules.
 */
final class Exchange<R> extends Operators.MonoSubscriber<Object, R>
        implements BiFunction<HttpClientResponse, Connection, Publisher<Object>>, Runnable {

    /** Context key under which the exchange travels to {@link #SENDER}. */
    static final Class<?> KEY = Exchange.class;

    private static final AsciiString REQUEST_ID = AsciiString.cached(TwilioHttp.REQUEST_ID);
    private static final AsciiString RETRY_AFTER = AsciiString.cached(TwilioHttp.RETRY_AFTER);
    private static final byte[] EMPTY = new byte[0];

    /** Sends the form of the exchange found in the request's context: one sender for every request. */
    static final BiFunction<HttpClientRequest, NettyOutbound, Publisher<Void>> SENDER = (req, out) -> {
        Object ex = req.currentContextView().getOrDefault(KEY, null);
        if (!(ex instanceof Exchange)) {
            return Mono.error(new IllegalStateException("no CallFlux exchange in the request's context"));
        }
        return ((Exchange<?>) ex).send(req, out);
    };

    final UpdateCallTransport transport;
    final UpdateCallTransport.Handler<R> handler;
    private final byte[] form;
    private final Context context;
    private volatile Subscription upstream;
    /** The whole request was handed to the socket: only then may Twilio have acted on it. */
    private volatile boolean written;
    /** The response was decoded, failed or cancelled (event loop only). */
    boolean done;
    /** The decoded response, set by the {@link Body} just before it completes. */
    R result;
    private Connection connection;
    private ResponseTimeoutHandler timeoutHandler;
    /** Without a {@link ResponseTimeoutHandler} on the channel (an HTTP/2 stream, say): a timer of our own. */
    private ScheduledFuture<?> ownTimer;
    private long lastActivity;

    Exchange(UpdateCallTransport transport, UpdateCallTransport.Handler<R> handler, CoreSubscriber<? super R> actual,
             byte[] form) {
        super(actual);
        this.transport = transport;
        this.handler = handler;
        this.form = form;
        this.context = actual.currentContext().put(KEY, this);
    }

    void start(String uri) {
        transport.receiver.uri(uri).responseConnection(this).subscribe(this);
    }

    // ---- the request ----

    Publisher<Void> send(HttpClientRequest req, NettyOutbound out) {
        if (req instanceof Connection) {
            connection = (Connection) req;
        }
        return new Sent(this, out.sendObject(Unpooled.wrappedBuffer(form)).then());
    }

    /** The request is on the wire (event loop): the response timeout starts now. */
    void onWritten() {
        written = true;
        long timeout = transport.responseTimeoutNanos;
        Connection c = connection;
        if (timeout <= 0 || c == null || done) {
            return;
        }
        Channel channel = c.channel();
        ResponseTimeoutHandler h = channel.pipeline().get(ResponseTimeoutHandler.class);
        if (h != null) {
            timeoutHandler = h;
            h.arm(timeout);
        } else {
            lastActivity = System.nanoTime();
            ownTimer = channel.eventLoop().schedule(this, timeout, TimeUnit.NANOSECONDS);
        }
    }

    /** A part of the response arrived (event loop). */
    void activity() {
        if (ownTimer != null) {
            lastActivity = System.nanoTime();
        }
    }

    /** The exchange no longer waits for the server (event loop). */
    void finished() {
        done = true;
        ResponseTimeoutHandler h = timeoutHandler;
        if (h != null) {
            timeoutHandler = null;
            h.disarm();
        }
        ScheduledFuture<?> t = ownTimer;
        if (t != null) {
            ownTimer = null;
            t.cancel(false);
        }
    }

    /** The own timer: like {@link ResponseTimeoutHandler}, for channels without one. */
    @Override
    public void run() {
        Connection c = connection;
        if (done || ownTimer == null || c == null) {
            return;
        }
        long timeout = transport.responseTimeoutNanos;
        long idle = System.nanoTime() - lastActivity;
        Channel channel = c.channel();
        if (idle >= timeout) {
            ownTimer = null;
            channel.pipeline().fireExceptionCaught(ReadTimeoutException.INSTANCE);
            channel.close();
        } else {
            ownTimer = channel.eventLoop().schedule(this, timeout - idle, TimeUnit.NANOSECONDS);
        }
    }

    // ---- the response ----

    @Override
    public Publisher<Object> apply(HttpClientResponse response, Connection c) {
        return new Body(this, response, c);
    }

    /** Decodes a complete body into the result (event loop); throws what the response means otherwise. */
    void decode(HttpClientResponse response, byte[] body) {
        int status = response.status().code();
        HttpHeaders headers = response.responseHeaders();
        boolean error = status >= 300;
        Call call = ResponseDecoder.decode(status, body, headers.get(REQUEST_ID),
                error ? headers.get(RETRY_AFTER) : null, error ? Instant.now() : null);
        result = handler.onResponse(status, headers, call);
    }

    CallFluxTransportException tooLarge() {
        return new CallFluxTransportException(CallFluxTransportException.Kind.RESPONSE_TOO_LARGE, true,
                "the response body is larger than " + transport.maxResponseBytes + " bytes", null);
    }

    // ---- subscriber of Reactor Netty's response Flux ----

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.validate(upstream, s)) {
            upstream = s;
            actual.onSubscribe(this);
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(Object ignored) {
        // The Body emits nothing: the result travels in the field.
    }

    @Override
    public void onError(Throwable t) {
        if (isCancelled()) {
            return; // the subscriber is gone; a failure caused by the cancellation itself
        }
        actual.onError(TransportErrors.map(t, written));
    }

    @Override
    public void onComplete() {
        R r = result;
        if (r == null) {
            actual.onComplete();
        } else {
            result = null;
            complete(r);
        }
    }

    @Override
    public void cancel() {
        super.cancel();
        Subscription s = upstream;
        if (s != null) {
            s.cancel();
        }
    }

    /** Reports when the request's bytes are written. */
    private static final class Sent extends Mono<Void> implements CoreSubscriber<Void>, Subscription {
        private final Exchange<?> exchange;
        private final Mono<Void> source;
        private CoreSubscriber<? super Void> actual;
        private Subscription s;

        Sent(Exchange<?> exchange, Mono<Void> source) {
            this.exchange = exchange;
            this.source = source;
        }

        @Override
        public void subscribe(CoreSubscriber<? super Void> actual) {
            this.actual = actual;
            source.subscribe(this);
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            this.s = s;
            actual.onSubscribe(this);
        }

        @Override
        public void onNext(Void v) {
        }

        @Override
        public void onError(Throwable t) {
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            exchange.onWritten();
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            s.request(n);
        }

        @Override
        public void cancel() {
            s.cancel();
        }
    }

    /**
     * The response body: subscribes to the connection's inbound messages and gathers their bytes, bounded
     * by {@code maxResponseBytes} (announced length and chunked bodies alike), then decodes them. A body that
     * arrives in one piece (the usual case) is held as Netty's buffer and copied, when complete, into a
     * scratch array of the event loop's; otherwise it is copied piece by piece into an array of its own.
     * Emits nothing: it completes once the result is set, or fails with what the response means.
     */
    static final class Body extends Flux<Object> implements CoreSubscriber<Object>, Subscription {
        private final Exchange<?> exchange;
        private final HttpClientResponse response;
        private final Connection connection;
        private CoreSubscriber<? super Object> inner;
        private Subscription receive;
        private int declared = -1;
        private ByteBuf held;
        private byte[] bytes;
        private int size;
        private boolean done;

        Body(Exchange<?> exchange, HttpClientResponse response, Connection connection) {
            this.exchange = exchange;
            this.response = response;
            this.connection = connection;
        }

        @Override
        public void subscribe(CoreSubscriber<? super Object> actual) {
            inner = actual;
            actual.onSubscribe(this);
            if (done) {
                return;
            }
            exchange.activity();
            int length = response.responseHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
            if (length > exchange.transport.maxResponseBytes) {
                fail(exchange.tooLarge());
                return;
            }
            declared = length;
            connection.inbound().receiveObject().subscribe(this);
        }

        @Override
        public Context currentContext() {
            return exchange.context;
        }

        @Override
        public void onSubscribe(Subscription s) {
            receive = s;
            if (done) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(Object message) {
            if (done) {
                return;
            }
            ByteBuf chunk = message instanceof ByteBufHolder ? ((ByteBufHolder) message).content()
                    : message instanceof ByteBuf ? (ByteBuf) message : null;
            if (chunk == null) {
                return;
            }
            exchange.activity();
            int n = chunk.readableBytes();
            if (n == 0) {
                return;
            }
            int limit = exchange.transport.maxResponseBytes;
            if ((long) size + n > limit) {
                fail(exchange.tooLarge());
                return;
            }
            if (size == 0 && n == declared) {
                // The whole body at once: keep Netty's buffer (released by the inbound after this returns).
                held = chunk.retain();
                size = n;
                return;
            }
            if (held != null) {
                ByteBuf h = held;
                held = null;
                int had = size;
                size = 0;
                append(h, had, limit);
                h.release();
            }
            append(chunk, n, limit);
        }

        private void append(ByteBuf chunk, int n, int limit) {
            byte[] b = bytes;
            if (b == null || size + n > b.length) {
                long wanted = declared > 0 ? declared : Math.max((long) size + n, b == null ? 4096L : 2L * b.length);
                int grown = (int) Math.min(limit, Math.max((long) size + n, wanted));
                bytes = b = b == null ? new byte[grown] : Arrays.copyOf(b, grown);
            }
            chunk.getBytes(chunk.readerIndex(), b, size, n);
            size += n;
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                return;
            }
            done = true;
            releaseHeld();
            exchange.finished();
            inner.onError(t);
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            exchange.finished();
            byte[] body;
            ByteBuf h = held;
            if (h != null) {
                held = null;
                // Decoding copies what it keeps: the scratch array is free again when decode returns.
                body = Scratch.array(size);
                h.getBytes(h.readerIndex(), body, 0, size);
                h.release();
            } else {
                byte[] b = bytes;
                body = b == null ? EMPTY : size == b.length ? b : Arrays.copyOf(b, size);
            }
            bytes = null;
            Throwable error = null;
            try {
                exchange.decode(response, body);
            } catch (Throwable e) {
                error = e;
            }
            if (error != null) {
                inner.onError(error);
            } else {
                inner.onComplete();
            }
        }

        private void releaseHeld() {
            ByteBuf h = held;
            if (h != null) {
                held = null;
                h.release();
            }
            bytes = null;
        }

        /** Gives up on the body: the connection is closed rather than left with unread bytes. */
        private void fail(Throwable error) {
            abandon();
            inner.onError(error);
        }

        /** Stops reading, frees what is held and closes the connection (its unread bytes are unusable). */
        private void abandon() {
            done = true;
            releaseHeld();
            exchange.finished();
            Subscription r = receive;
            if (r != null) {
                r.cancel();
            }
            connection.dispose();
        }

        @Override
        public void request(long n) {
            // Nothing is emitted.
        }

        @Override
        public void cancel() {
            io.netty.channel.Channel channel = connection.channel();
            // A cancel must return normally (Reactive Streams 3.15): a channel not (or no longer) registered has
            // no event loop to hop to, and nothing runs on one for it, so it is abandoned right here.
            if (channel.isRegistered()) {
                io.netty.channel.EventLoop loop = channel.eventLoop();
                if (!loop.inEventLoop()) {
                    loop.execute(this::cancel);
                    return;
                }
            }
            if (!done) {
                abandon();
            }
        }
    }

    /**
     * Arrays for complete bodies, per event loop thread, by exact length (a decoder reads a whole array):
     * responses of one API mostly have a handful of lengths, so most bodies find theirs. Each array is used
     * only while one body is decoded, on its thread.
     */
    static final class Scratch {
        private static final int SLOTS = 16;
        private static final int MAX_CACHED = 64 * 1024;
        private static final FastThreadLocal<byte[][]> ARRAYS = new FastThreadLocal<>() {
            @Override
            protected byte[][] initialValue() {
                return new byte[SLOTS][];
            }
        };

        private Scratch() {
        }

        static byte[] array(int length) {
            if (length == 0) {
                return EMPTY;
            }
            if (length > MAX_CACHED) {
                return new byte[length];
            }
            byte[][] slots = ARRAYS.get();
            int slot = length & (SLOTS - 1);
            byte[] b = slots[slot];
            if (b == null || b.length != length) {
                slots[slot] = b = new byte[length];
            }
            return b;
        }
    }
}
