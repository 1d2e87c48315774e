package dev.callflux.reactor.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * The Reactive Streams TCK against {@link Exchange.Body}, the hand-written publisher that reads a response
 * body. It emits nothing (the decoded value travels in the exchange), so the TCK runs its rules for empty
 * and failed publishers. The connection and response are stand-ins: a connection whose inbound is a
 * {@code Flux} of the body's bytes, released after each is read as Netty's inbound does.
 */
public class BodyTckTest extends PublisherVerification<Object> {

    private static final byte[] JSON = ("{\"sid\":\"CA" + "0123456789abcdef".repeat(2) + "\",\"status\":\"completed\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final int MAX_BYTES = 1024;

    private final UpdateCallTransport transport =
            new UpdateCallTransport(HttpClient.create(), "", MAX_BYTES, Duration.ofSeconds(5));

    public BodyTckTest() {
        super(new TestEnvironment(2_000, 100));
    }

    @Override
    public Publisher<Object> createPublisher(long elements) {
        return body(JSON.length);
    }

    /** A body announced larger than the transport accepts: the publisher fails. */
    @Override
    public Publisher<Object> createFailedPublisher() {
        return body(MAX_BYTES + 1);
    }

    @Override
    public long maxElementsFromPublisher() {
        return 0;
    }

    private Exchange.Body body(int contentLength) {
        Exchange<Object> exchange = new Exchange<>(transport, (status, headers, call) -> call,
                Operators.emptySubscriber(), new byte[0]);
        HttpHeaders headers = new DefaultHttpHeaders().setInt(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        Flux<Object> inbound = Flux.defer(() -> {
            ByteBuf chunk = Unpooled.wrappedBuffer(JSON);
            return Flux.<Object>just(chunk).doFinally(s -> ReferenceCountUtil.release(chunk));
        });
        HttpClientResponse response = stub(HttpClientResponse.class, (name, args) -> switch (name) {
            case "responseHeaders" -> headers;
            case "status" -> HttpResponseStatus.OK;
            default -> null;
        });
        NettyInbound in = stub(NettyInbound.class, (name, args) -> "receiveObject".equals(name) ? inbound : null);
        EmbeddedChannel channel = new EmbeddedChannel();
        Connection connection = stub(Connection.class, (name, args) -> switch (name) {
            case "inbound" -> in;
            case "channel" -> channel;
            case "dispose" -> {
                channel.close();
                yield null;
            }
            default -> null;
        });
        return new Exchange.Body(exchange, response, connection);
    }

    /** An interface that answers only what {@code answer} knows (null for the rest: unused by the body). */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("toString")) {
                return type.getSimpleName() + " stand-in";
            }
            if (method.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            if (method.getName().equals("equals")) {
                return proxy == args[0];
            }
            return answer.apply(method.getName(), args);
        });
    }
}
