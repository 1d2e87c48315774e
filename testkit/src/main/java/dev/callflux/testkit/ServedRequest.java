package dev.callflux.testkit;

import dev.callflux.core.encoding.CallJson;
import dev.callflux.core.http.TwilioHttp;
import dev.callflux.core.model.Call;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * One request a {@link TwilioSimulator} is serving, and its response: counts it in flight for its account
 * while it is, and writes every kind of answer (Twilio's JSON, a 429, a drawn {@link Fault} down to the
 * socket, a reset, silence). Named so as not to be taken for the client's own exchange types.
 */
final class ServedRequest {
    final HttpServerRequest req;
    final HttpServerResponse res;
    final String requestId = "RQ" + randomHex32();
    private final Channel channel;
    private final AtomicBoolean holding = new AtomicBoolean();
    private final io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<? super Void>> onClose =
            f -> release();
    private final SimulatorSettings settings;
    private final Ledger ledger;
    private volatile String account;

    ServedRequest(HttpServerRequest req, HttpServerResponse res, SimulatorSettings settings, Ledger ledger) {
        this.req = req;
        this.res = res;
        this.settings = settings;
        this.ledger = ledger;
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
            res.header(HttpHeaderNames.WWW_AUTHENTICATE, TwilioSimulator.WWW_AUTHENTICATE);
        }
        return send(r.status(), TwilioErrors.json(r.status(), r.code(), r.getMessage()));
    }

    Mono<Void> tooManyRequests() {
        Duration retryAfter = settings.retryAfter();
        if (retryAfter != null) {
            long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
            res.header(TwilioHttp.RETRY_AFTER, Long.toString(seconds));
        }
        return send(429, TwilioErrors.json(429, TwilioErrors.TOO_MANY_REQUESTS, "Too Many Requests"));
    }

    /**
     * Answers with an injected fault.
     *
     * @param call the call after the update when it was applied (faults after apply), else {@code null}
     */
    Mono<Void> fault(Fault fault, CallEntry entry, int index, Call call) {
        ledger.recordFault(fault);
        entry.recordFault();
        String callSid = entry.sid;
        switch (fault) {
            case RESET:
                return reset();
            case SERVER_ERROR: {
                int status = pick(settings.serverErrorStatuses(), callSid, index);
                return send(status, TwilioErrors.json(status, TwilioErrors.SERVER_ERROR,
                        HttpResponseStatus.valueOf(status).reasonPhrase()));
            }
            case RESET_AFTER_HEADERS:
                return raw(head(body(callSid, call).length), true);
            case TRUNCATED_BODY: {
                byte[] body = body(callSid, call);
                byte[] head = head(body.length);
                byte[] wire = Arrays.copyOf(head, head.length + body.length / 2);
                System.arraycopy(body, 0, wire, head.length, body.length / 2);
                return raw(wire, false);
            }
            case NON_JSON_BODY:
                return sendBody(200, "application/json; charset=utf-8", NON_JSON, true);
            case PROXY_ERROR: {
                int status = pick(settings.proxyErrorStatuses(), callSid, index);
                return sendBody(status, "text/html", proxyPage(status), false);
            }
            case HANG:
                return hang();
            default:
                throw new IllegalStateException("not a drawn fault: " + fault);
        }
    }

    /** A request that reached a paused simulator: reset, not applied. */
    Mono<Void> down(CallEntry entry) {
        ledger.recordFault(Fault.DOWN);
        entry.recordFault();
        return reset();
    }

    private int pick(List<Integer> statuses, String callSid, int index) {
        return statuses.size() == 1 ? statuses.get(0)
                : statuses.get(Decisions.random(settings.seed(), callSid, index, Decisions.Knob.ERROR_STATUS).nextInt(statuses.size()));
    }

    /** The Call JSON of an applied update, or a stand-in of a plausible size when nothing was applied. */
    private byte[] body(String callSid, Call call) {
        String json = call != null ? CallJson.write(call)
                : "{\"sid\":\"" + callSid + "\",\"status\":\"in-progress\",\"api_version\":\"2010-04-01\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The status line and headers of a 200 announcing {@code contentLength} bytes of JSON. */
    private byte[] head(int contentLength) {
        String a = account;
        String head = "HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + contentLength + "\r\n"
                + TwilioHttp.REQUEST_ID + ": " + requestId + "\r\n"
                + (a != null && holding.get() ? TwilioHttp.CONCURRENT_REQUESTS + ": " + ledger.inFlight(a) + "\r\n" : "")
                + "\r\n";
        return head.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@code wire} to the socket as is (below the HTTP codec, which never sees this response), then
     * closes the connection: with a TCP RST ({@code reset}) or a normal FIN.
     */
    private Mono<Void> raw(byte[] wire, boolean reset) {
        return Mono.create(sink -> channel.eventLoop().execute(() -> {
            ChannelHandlerContext first = channel.pipeline().firstContext();
            if (first == null || !channel.isActive()) {
                channel.close().addListener(f -> sink.success());
                return;
            }
            first.writeAndFlush(Unpooled.wrappedBuffer(wire)).addListener(written -> {
                if (reset) {
                    linger0();
                }
                channel.close().addListener(f -> sink.success());
            });
        }));
    }

    /** Keeps the connection open without answering; completes when the peer (or {@link TwilioSimulator#close()}) closes it. */
    private Mono<Void> hang() {
        return Mono.create(sink -> channel.closeFuture().addListener(f -> sink.success()));
    }

    /** Closes the connection at once, without a response; with SO_LINGER 0 the peer gets a TCP RST. */
    Mono<Void> reset() {
        return Mono.create(sink -> channel.eventLoop().execute(() -> {
            linger0();
            channel.close().addListener(f -> sink.success());
        }));
    }

    private void linger0() {
        try {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException ignored) {
            // A plain close is still a close without a response.
        }
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
        return sendBody(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8), true);
    }

    /** A complete answer; {@code twilio}: with Twilio's headers (not from a proxy). */
    Mono<Void> sendBody(int status, String contentType, byte[] bytes, boolean twilio) {
        ledger.recordStatus(status);
        res.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, contentType)
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length));
        if (twilio) {
            res.header(TwilioHttp.REQUEST_ID, requestId);
            String a = account;
            if (a != null && holding.get()) {
                res.header(TwilioHttp.CONCURRENT_REQUESTS, Integer.toString(ledger.inFlight(a)));
            }
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

    /** The body of a {@link Fault#NON_JSON_BODY} answer. */
    private static final byte[] NON_JSON = ("<!DOCTYPE html>\n<html><head><title>OK</title></head>"
            + "<body><p>Request accepted.</p></body></html>\n").getBytes(StandardCharsets.UTF_8);

    /** A proxy's error page, as nginx writes it. */
    private static byte[] proxyPage(int status) {
        String title = status + " " + HttpResponseStatus.valueOf(status).reasonPhrase();
        return ("<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String randomHex32() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format(java.util.Locale.ROOT, "%016x%016x", r.nextLong(), r.nextLong());
    }
}
