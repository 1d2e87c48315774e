package dev.callflux.reactor.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxTransportException.Kind;
import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.CallFluxClientBuilder;
import dev.callflux.testkit.ScriptedServer;
import dev.callflux.testkit.TestSids;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A response body larger than the client's bound (1 MiB by default) is refused with
 * {@code RESPONSE_TOO_LARGE} instead of being buffered: as soon as the announced length says so, or as soon
 * as a chunked or mis-announced body goes past the bound, while the server is still sending. A body of
 * exactly the bound is accepted. (ErrorMappingTest covers a small configured bound with a declared length.)
 */
class OversizedResponseTest {

    private static final String ACCOUNT = "AC00000000000000000000000000005ec4";
    private static final String TOKEN = "oversize-test-token-0123456789ab";
    private static final int LIMIT = CallFluxClientBuilder.DEFAULT_MAX_RESPONSE_BYTES;
    /** What a server offers to send: far more than the client may ever hold. */
    private static final long OFFERED = 256L << 20;
    private static final int CHUNK = 16 * 1024;

    private static CallFluxClient client(String baseUrl) {
        // The default bound: no maxResponseBytes here.
        return CallFluxClient.builder().credentials(Credentials.authToken(ACCOUNT, TOKEN)).baseUrl(baseUrl)
                .responseTimeout(Duration.ofSeconds(10)).build();
    }

    private static void expectTooLarge(CallFluxClient c) {
        StepVerifier.create(c.hangup(TestSids.newCallSid()))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(CallFluxTransportException.class);
                    CallFluxTransportException t = (CallFluxTransportException) e;
                    assertThat(t.kind()).as(t.getMessage()).isEqualTo(Kind.RESPONSE_TOO_LARGE);
                    assertThat(t.requestSent()).isTrue();
                    assertThat(t.getMessage()).contains(Integer.toString(LIMIT));
                })
                .verify(Duration.ofSeconds(30));
    }

    /** An endless-looking body, made as it is sent (on demand), counting what was produced. */
    private static Flux<ByteBuf> body(AtomicLong produced, AtomicBoolean finished) {
        byte[] chunk = new byte[CHUNK];
        Arrays.fill(chunk, (byte) 'x');
        chunk[0] = '{';
        return Flux.<ByteBuf>generate(sink -> {
            if (produced.get() >= OFFERED) {
                sink.complete();
                return;
            }
            produced.addAndGet(CHUNK);
            sink.next(Unpooled.wrappedBuffer(chunk));
        }).doOnComplete(() -> finished.set(true));
    }

    @Test
    void theDefaultBoundIsOneMebibyte() {
        assertThat(LIMIT).isEqualTo(1024 * 1024);
    }

    @Test
    void aChunkedBodyIsCutOffWhileTheServerIsStillSending() {
        AtomicLong produced = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        try (ScriptedServer server = ScriptedServer.start((req, res) -> res.status(200)
                .header("Content-Type", "application/json")
                .send(body(produced, finished)));
             CallFluxClient c = client(server.baseUrl())) {
            expectTooLarge(c);
            assertThat(server.received()).hasSize(1);
        }
        assertThat(finished).as("the server got to send its whole body").isFalse();
        assertThat(produced.get()).isGreaterThan(LIMIT).isLessThan(OFFERED);
    }

    @Test
    void aBodyLongerThanAnImpossibleContentLengthIsCutOffToo() {
        // 4 GiB does not fit the int the length is read into: the bound must hold as it does for chunks.
        AtomicLong produced = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        try (ScriptedServer server = ScriptedServer.start((req, res) -> res.status(200)
                .header("Content-Type", "application/json")
                .header("Content-Length", Long.toString(4L << 30))
                .send(body(produced, finished)));
             CallFluxClient c = client(server.baseUrl())) {
            expectTooLarge(c);
        }
        assertThat(finished).isFalse();
        assertThat(produced.get()).isLessThan(OFFERED);
    }

    @Test
    void anAnnouncedLengthOverTheBoundIsRefusedWithoutWaitingForTheBody() {
        // The server announces one byte too many and then sends almost nothing: only the header can tell.
        try (ScriptedServer server = ScriptedServer.start((req, res) -> res.status(200)
                .header("Content-Type", "application/json")
                .header("Content-Length", Integer.toString(LIMIT + 1))
                .sendString(Mono.just("{\"sid\":").concatWith(Mono.never())));
             CallFluxClient c = client(server.baseUrl())) {
            expectTooLarge(c);
        }
    }

    @Test
    void aCallOfExactlyTheBoundIsAccepted() {
        String sid = TestSids.newCallSid();
        String head = "{\"sid\":\"" + sid + "\",\"status\":\"completed\",\"padding\":\"";
        String json = head + "x".repeat(LIMIT - head.length() - 2) + "\"}";
        assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(LIMIT);
        for (boolean chunked : new boolean[] {false, true}) {
            try (ScriptedServer server = ScriptedServer.start((req, res) -> {
                res.status(200).header("Content-Type", "application/json");
                return chunked
                        ? res.chunkedTransfer(true).sendString(Flux.fromArray(json.split("(?<=\\G.{65536})")))
                        : res.sendString(Mono.just(json));
            });
                 CallFluxClient c = client(server.baseUrl())) {
                StepVerifier.create(c.hangup(sid))
                        .assertNext(call -> assertThat(call.sid()).isEqualTo(sid))
                        .verifyComplete();
            }
        }
    }
}
