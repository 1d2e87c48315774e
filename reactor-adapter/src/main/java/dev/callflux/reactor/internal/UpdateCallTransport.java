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
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * One UpdateCall exchange over Reactor Netty: form bytes out, status + headers + bounded body in,
 * decoded by core into a {@link Call} or a typed exception. Nothing here retries.
 *
 * <p>Internal: not part of CallFlux's API.
 */
public final class UpdateCallTransport {

    /** The decoded exchange, before it becomes a public response type. */
    public interface Handler<R> {
        R onResponse(int status, HttpHeaders headers, Call call);
    }

    private final HttpClient http;
    private final String pathPrefix;
    private final int maxResponseBytes;
    private volatile boolean closed;

    /**
     * @param http       an HttpClient already carrying the remote address, static headers, timeouts and pool
     * @param pathPrefix the base URL's path (a proxy's prefix), usually empty
     */
    public UpdateCallTransport(HttpClient http, String pathPrefix, int maxResponseBytes) {
        this.http = http;
        this.pathPrefix = pathPrefix == null ? "" : pathPrefix;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** A cold exchange: nothing is sent before subscription; cancelling aborts it and frees its connection. */
    public <R> Mono<R> exchange(AccountSid account, CallSid call, UpdateCallRequest request, Handler<R> handler) {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new IllegalStateException("the CallFluxClient is closed"));
            }
            byte[] form = FormEncoder.encode(request);
            WriteTracker written = new WriteTracker();
            return http.post()
                    .uri(pathPrefix + ApiEndpoint.updateCallPath(account, call))
                    .send((req, out) -> {
                        req.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(form.length));
                        return out.send(Mono.just(Unpooled.wrappedBuffer(form))).then().doOnSuccess(written);
                    })
                    .response(decoder(handler))
                    .next()
                    .onErrorMap(t -> TransportErrors.map(t, written.done));
        });
    }

    private <R> BiFunction<reactor.netty.http.client.HttpClientResponse, reactor.netty.ByteBufFlux, Mono<R>> decoder(
            Handler<R> handler) {
        return (response, content) -> {
            long declared = response.responseHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
            if (declared > maxResponseBytes) {
                return Mono.error(tooLarge());
            }
            return content.asByteArray()
                    .collect(() -> new BoundedBytes(maxResponseBytes), BoundedBytes::append)
                    .map(body -> {
                        int status = response.status().code();
                        HttpHeaders headers = response.responseHeaders();
                        Call decoded = ResponseDecoder.decode(status, body.toArray(),
                                headers.get(TwilioHttp.REQUEST_ID), headers.get(TwilioHttp.RETRY_AFTER),
                                status >= 300 ? Instant.now() : null);
                        return handler.onResponse(status, headers, decoded);
                    });
        };
    }

    /** Refuses every exchange subscribed from now on. */
    public void close() {
        closed = true;
    }

    private CallFluxTransportException tooLarge() {
        return new CallFluxTransportException(CallFluxTransportException.Kind.RESPONSE_TOO_LARGE, true,
                "the response body is larger than " + maxResponseBytes + " bytes", null);
    }

    /** Set once the whole request was handed to the socket. */
    private static final class WriteTracker implements java.util.function.Consumer<Void> {
        volatile boolean done;

        @Override
        public void accept(Void ignored) {
            done = true;
        }
    }

    /** Collects body chunks, refusing to hold more than the limit. */
    private final class BoundedBytes {
        private final int limit;
        private byte[] bytes = new byte[0];
        private int size;

        BoundedBytes(int limit) {
            this.limit = limit;
        }

        void append(byte[] chunk) {
            if ((long) size + chunk.length > limit) {
                throw tooLarge();
            }
            if (size == 0) {
                bytes = chunk;
            } else {
                if (size + chunk.length > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.max(size + chunk.length, bytes.length * 2));
                }
                System.arraycopy(chunk, 0, bytes, size, chunk.length);
            }
            size += chunk.length;
        }

        byte[] toArray() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }
}
