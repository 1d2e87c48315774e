package dev.callflux.reactor.internal;

import dev.callflux.core.encoding.FormEncoder;
import dev.callflux.core.http.ApiEndpoint;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.netty.http.client.HttpClient;

/**
 * One UpdateCall exchange over Reactor Netty: form bytes out, status + headers + bounded body in,
 * decoded by core into a {@link Call} or a typed exception. Nothing here retries.
 *
 * <p>Each exchange is one small state object ({@link Exchange}) instead of a chain of operators: the
 * request is sent through a {@link HttpClient.ResponseReceiver} prepared once, the body is copied straight
 * from the connection's inbound buffers into one array of the announced size (bounded by
 * {@code maxResponseBytes}, also for chunked bodies), and the response timeout is kept by a handler that
 * lives as long as the connection instead of being added to and removed from the pipeline per request.
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
         * @return the value to emit, not {@code null}
         */
        R onResponse(int status, HttpHeaders headers, Call call);
    }

    final HttpClient.ResponseReceiver<?> receiver;
    final String pathPrefix;
    final int maxResponseBytes;
    /** Nanoseconds allowed between the request and each read of the response; 0 for none. */
    final long responseTimeoutNanos;
    private volatile boolean closed;

    /**
     * @param http            an HttpClient already carrying the remote address, static headers, timeouts and
     *                        pool, prepared by {@link #configure(HttpClient)}
     * @param pathPrefix      the base URL's path (a proxy's prefix), usually empty
     * @param maxResponseBytes largest response body accepted, in bytes; a larger one (announced or chunked) fails
     *                        the exchange with {@code RESPONSE_TOO_LARGE}
     * @param responseTimeout between the request and each read of the response, or {@code null} for none
     */
    public UpdateCallTransport(HttpClient http, String pathPrefix, int maxResponseBytes, Duration responseTimeout) {
        // The request body comes from the subscriber's context: the sender is shared, only the URI is per request.
        this.receiver = http.post().send(Exchange.SENDER);
        this.pathPrefix = pathPrefix == null ? "" : pathPrefix;
        this.maxResponseBytes = maxResponseBytes;
        this.responseTimeoutNanos = responseTimeout == null ? 0 : Math.max(1, responseTimeout.toNanos());
    }

    /**
     * Prepares a Reactor Netty client for this transport: Reactor Netty's own response timeout (a handler
     * added to and removed from the pipeline for every request) is turned off, and every new connection gets
     * a {@link ResponseTimeoutHandler} for its whole life instead.
     *
     * @param http the client to prepare, already carrying the remote address, headers and pool
     * @return a new client to pass to the constructor; {@code http} is unchanged
     */
    public static HttpClient configure(HttpClient http) {
        return http.responseTimeout(null)
                .doOnChannelInit((observer, channel, remoteAddress) ->
                        channel.pipeline().addFirst(ResponseTimeoutHandler.NAME, new ResponseTimeoutHandler()));
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
        return new ExchangeMono<>(this, account, call, request, handler);
    }

    /** Refuses every exchange subscribed from now on. */
    public void close() {
        closed = true;
    }

    private static final class ExchangeMono<R> extends Mono<R> {
        private final UpdateCallTransport transport;
        private final AccountSid account;
        private final CallSid call;
        private final UpdateCallRequest request;
        private final Handler<R> handler;

        ExchangeMono(UpdateCallTransport transport, AccountSid account, CallSid call, UpdateCallRequest request,
                     Handler<R> handler) {
            this.transport = transport;
            this.account = account;
            this.call = call;
            this.request = request;
            this.handler = handler;
        }

        @Override
        public void subscribe(CoreSubscriber<? super R> actual) {
            if (transport.closed) {
                Operators.error(actual, new IllegalStateException("the CallFluxClient is closed"));
                return;
            }
            byte[] form;
            String uri;
            try {
                form = FormEncoder.encode(request);
                uri = transport.pathPrefix + ApiEndpoint.updateCallPath(account, call);
            } catch (RuntimeException e) {
                Operators.error(actual, e);
                return;
            }
            new Exchange<>(transport, handler, actual, form).start(uri);
        }
    }
}
