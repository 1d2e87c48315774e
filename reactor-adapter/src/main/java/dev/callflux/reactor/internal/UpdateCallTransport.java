package dev.callflux.reactor.internal;

import dev.callflux.core.encoding.FormEncoder;
import dev.callflux.core.encoding.ResponseDecoder;
import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.http.ApiEndpoint;
import dev.callflux.core.http.TwilioHttp;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;

/**
 * One UpdateCall exchange over Reactor Netty: form bytes out, status + headers + bounded body in,
 * decoded by core into a {@link Call} or a typed exception. Nothing here retries.
 *
 * <p>Reactor Netty's own operators: the request through {@code send}, whose completion says the whole
 * request reached the socket (only then may Twilio have acted on it: it decides "may have been applied"),
 * the response through {@code response}, its body collected as it arrives ({@link Bytes}), bounded by
 * {@code maxResponseBytes} (announced and chunked bodies alike). Two pieces are CallFlux's own, for CPU
 * measured in {@code LoadComparison} case 2: the response timeout (Reactor Netty's adds a handler to the
 * pipeline and removes it for every request: about 7 µs per call of 55-65), kept by a
 * {@link ResponseTimeoutHandler} per connection, armed when the request is written and disarmed when the
 * body is complete; and the body's array (see {@link Bytes}).
 *
 * <p>Internal: not part of CallFlux's API.
 */
public final class UpdateCallTransport {

    /**
     * The decoded exchange, before it becomes a public response type.
     *
     * @param <R> what the exchange's {@code Mono} emits: the {@link Call} itself or a response wrapping it
     */
    public interface Handler<R> {
        /**
         * Turns a successful response into the exchange's value. Called once, on the event loop; error statuses
         * never get here (they fail the exchange with a {@code TwilioApiException}).
         *
         * @param status  the HTTP status, 2xx
         * @param headers the response headers, not to be modified
         * @param call    the decoded body
         * @return the value to emit, or {@code null} for none
         */
        R onResponse(int status, HttpHeaders headers, Call call);
    }

    private static final AsciiString REQUEST_ID = AsciiString.cached(TwilioHttp.REQUEST_ID);
    private static final AsciiString RETRY_AFTER = AsciiString.cached(TwilioHttp.RETRY_AFTER);
    private static final byte[] EMPTY = new byte[0];
    private static final int MAX_SCRATCH = 64 * 1024;
    private static final int SLOTS = 16;
    /** Per thread: the arrays a complete one-piece body is decoded from (responses have a handful of lengths). */
    private static final FastThreadLocal<byte[][]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[][] initialValue() {
            return new byte[SLOTS][];
        }
    };

    private final HttpClient.RequestSender post;
    private final String pathPrefix;
    private final int maxResponseBytes;
    /** Allowed between the request and each read of the response, or {@code null} for none. */
    private final Duration responseTimeout;
    private final long responseTimeoutNanos;
    private volatile boolean closed;

    /**
     * @param http             an HttpClient already carrying the remote address, static headers, timeouts and pool
     * @param pathPrefix       the base URL's path (a proxy's prefix), usually empty
     * @param maxResponseBytes largest response body accepted, in bytes; a larger one (announced or chunked) fails
     *                         the exchange with {@code RESPONSE_TOO_LARGE}
     * @param responseTimeout  between the request and each read of the response, or {@code null} for none
     */
    public UpdateCallTransport(HttpClient http, String pathPrefix, int maxResponseBytes, Duration responseTimeout) {
        this.post = http.responseTimeout(null)
                .doOnChannelInit((observer, channel, remoteAddress) ->
                        channel.pipeline().addFirst(ResponseTimeoutHandler.NAME, new ResponseTimeoutHandler()))
                .post();
        this.pathPrefix = pathPrefix == null ? "" : pathPrefix;
        this.maxResponseBytes = maxResponseBytes;
        this.responseTimeout = responseTimeout;
        this.responseTimeoutNanos = responseTimeout == null ? 0 : Math.max(1, responseTimeout.toNanos());
    }

    /**
     * A cold exchange: nothing is sent before subscription; cancelling aborts it and frees its connection.
     *
     * @param <R>     what the {@code Mono} emits
     * @param account the account in the request path, not {@code null}
     * @param call    the call in the request path, not {@code null}
     * @param request the update, form-encoded at subscription
     * @param handler turns the 2xx response into the emitted value
     * @return a {@code Mono} of the handler's value, sending one request per subscription; it fails with
     *         {@code TwilioApiException} on an error status, {@code CallFluxTransportException} when the exchange
     *         broke, and {@link IllegalStateException} once {@link #close()} was called
     */
    public <R> Mono<R> exchange(AccountSid account, CallSid call, UpdateCallRequest request, Handler<R> handler) {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new IllegalStateException("the CallFluxClient is closed"));
            }
            byte[] form = FormEncoder.encode(request);
            Attempt attempt = new Attempt();
            return post.uri(pathPrefix + ApiEndpoint.updateCallPath(account, call))
                    .send((req, out) -> {
                        attempt.timeOut(req);
                        return out.sendObject(Unpooled.wrappedBuffer(form)).then().doOnSuccess(v -> attempt.written());
                    })
                    .response((response, body) -> read(response, body, attempt, handler))
                    .singleOrEmpty()
                    .onErrorMap(t -> TransportErrors.map(t, attempt.written));
        });
    }

    /** Refuses every exchange subscribed from now on. */
    public void close() {
        closed = true;
    }

    private <R> Mono<R> read(HttpClientResponse response, Flux<ByteBuf> body, Attempt attempt, Handler<R> handler) {
        int declared = response.responseHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
        if (declared > maxResponseBytes) {
            return Mono.error(tooLarge()); // the unread body closes the connection
        }
        return body.collect(() -> new Bytes(declared), Bytes::add)
                .doOnDiscard(Bytes.class, Bytes::release) // a body given up (too large, cut off, cancelled)
                .handle((bytes, sink) -> {
                    attempt.answered();
                    int status = response.status().code();
                    HttpHeaders headers = response.responseHeaders();
                    boolean error = status >= 300;
                    Call decoded = ResponseDecoder.decode(status, bytes.array(), headers.get(REQUEST_ID),
                            error ? headers.get(RETRY_AFTER) : null, error ? Instant.now() : null);
                    R value = handler.onResponse(status, headers, decoded);
                    if (value != null) {
                        sink.next(value);
                    }
                });
    }

    private CallFluxTransportException tooLarge() {
        return new CallFluxTransportException(CallFluxTransportException.Kind.RESPONSE_TOO_LARGE, true,
                "the response body is larger than " + maxResponseBytes + " bytes", null);
    }

    /**
     * One request's state on its connection's event loop: whether it was written whole, and the response
     * timeout, armed from then until the body has arrived. A connection that breaks or is abandoned closes,
     * which stops its handler; one that is reused is armed again by the next request.
     */
    private final class Attempt {
        volatile boolean written;
        private boolean answered;
        private ResponseTimeoutHandler timeout;

        /**
         * Before the request is sent: the connection's handler keeps the timeout; a channel without one (an
         * HTTP/2 stream of a client the application gave) gets Reactor Netty's own, for this request.
         */
        void timeOut(HttpClientRequest request) {
            if (responseTimeout == null) {
                return;
            }
            timeout = ((Connection) request).channel().pipeline().get(ResponseTimeoutHandler.class);
            if (timeout == null) {
                request.responseTimeout(responseTimeout);
            }
        }

        void written() {
            written = true;
            if (timeout != null && !answered) { // an early answer (a 401 before the whole form) needs no timeout
                timeout.arm(responseTimeoutNanos);
            }
        }

        void answered() {
            answered = true;
            if (timeout != null) {
                timeout.disarm();
                timeout = null;
            }
        }
    }

    /**
     * A body's bytes. The usual body arrives in one piece: Netty's buffer is kept and copied, once complete,
     * into a scratch array of the event loop's (the decoder copies what it keeps; measured 1.3 % of the CPU per
     * call as a new array per response). Otherwise the pieces are copied into an array of its own.
     */
    private final class Bytes {
        private final int declared;
        private ByteBuf whole;
        private byte[] bytes = EMPTY;
        private int size;

        Bytes(int declared) {
            this.declared = declared;
        }

        void add(ByteBuf chunk) {
            int n = chunk.readableBytes();
            if ((long) size + n > maxResponseBytes) {
                throw tooLarge();
            }
            if (size == 0 && n == declared) {
                whole = chunk.retain();
                size = n;
                return;
            }
            if (whole != null) {
                ByteBuf first = whole;
                whole = null;
                size = 0;
                copy(first);
                first.release();
            }
            copy(chunk);
        }

        private void copy(ByteBuf chunk) {
            int n = chunk.readableBytes();
            if (size + n > bytes.length) {
                long wanted = Math.max(declared, Math.max(size + n, 2L * bytes.length));
                bytes = Arrays.copyOf(bytes, (int) Math.min(maxResponseBytes, wanted));
            }
            chunk.getBytes(chunk.readerIndex(), bytes, size, n);
            size += n;
        }

        /** The body, valid until the decoder returns (on this thread). */
        byte[] array() {
            if (whole == null) {
                return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
            }
            // The decoder reads a whole array, so it has the body's exact length: a slot per length's low bits.
            byte[][] slots = SCRATCH.get();
            byte[] scratch = slots[size & (SLOTS - 1)];
            if (scratch == null || scratch.length != size) {
                scratch = new byte[size];
                if (size <= MAX_SCRATCH) {
                    slots[size & (SLOTS - 1)] = scratch;
                }
            }
            whole.getBytes(whole.readerIndex(), scratch, 0, size);
            release();
            return scratch;
        }

        /** Frees the kept buffer: after the copy, and when the body is given up. */
        void release() {
            ByteBuf b = whole;
            whole = null;
            if (b != null) {
                b.release();
            }
        }
    }
}
