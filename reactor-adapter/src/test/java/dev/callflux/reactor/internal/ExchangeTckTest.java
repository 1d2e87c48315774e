package dev.callflux.reactor.internal;

import dev.callflux.core.encoding.FormEncoder;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The Reactive Streams TCK against the exchange's {@code Mono} ({@link UpdateCallTransport#exchange}), over real connections to the simulator: one element, or none when the handler
 * gives no value; the failed publisher is an exchange whose connection is refused. Each publisher hangs up a
 * call of its own.
 */
public class ExchangeTckTest extends PublisherVerification<Object> {

    private final AtomicLong calls = new AtomicLong();
    private TwilioSimulator sim;
    private ConnectionProvider pool;
    private UpdateCallTransport transport;
    private UpdateCallTransport refused;
    private AccountSid account;

    public ExchangeTckTest() {
        super(new TestEnvironment(5_000, 300));
    }

    @BeforeClass
    public void start() throws IOException {
        sim = TwilioSimulator.builder().start();
        account = AccountSid.of(sim.accountSid());
        pool = ConnectionProvider.create("tck", 4);
        transport = transport(sim.baseUrl());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        refused = transport("http://127.0.0.1:" + port);
    }

    @AfterClass(alwaysRun = true)
    public void stop() {
        if (pool != null) {
            pool.disposeLater().block(Duration.ofSeconds(10));
        }
        if (sim != null) {
            sim.close();
        }
    }

    private UpdateCallTransport transport(String baseUrl) {
        String authorization = Credentials.authToken(sim.accountSid(), sim.authToken()).authorizationHeader();
        HttpClient http = HttpClient.create(pool).baseUrl(baseUrl).headers(h -> h
                .set(HttpHeaderNames.AUTHORIZATION, authorization)
                .set(HttpHeaderNames.CONTENT_TYPE, FormEncoder.CONTENT_TYPE));
        return new UpdateCallTransport(http, "", 1 << 20, Duration.ofSeconds(5));
    }

    @Override
    public Publisher<Object> createPublisher(long elements) {
        UpdateCallTransport.Handler<Object> handler = elements == 0 ? (status, headers, call) -> null
                : (status, headers, call) -> call;
        return transport.exchange(account, nextCall(), UpdateCallRequest.hangup(), handler);
    }

    @Override
    public Publisher<Object> createFailedPublisher() {
        return refused.exchange(account, nextCall(), UpdateCallRequest.hangup(), (status, headers, call) -> call);
    }

    /** A call not hung up yet: each hang-up of the simulator's calls succeeds once (then it has ended). */
    private CallSid nextCall() {
        return CallSid.of(TestSids.callSid(0x7c6, calls.incrementAndGet()));
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1;
    }
}
