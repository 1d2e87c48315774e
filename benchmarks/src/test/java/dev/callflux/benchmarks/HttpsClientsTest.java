package dev.callflux.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallStatus;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.testkit.TestCertificate;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;

/**
 * The TLS cases' set-up, for real: CallFlux over HTTPS against the simulator with the testkit's certificate,
 * trusted through the public path ({@code CallFluxClientBuilder.httpClient} with {@code secure(...)}), and refused
 * when it is not trusted; the virtual-thread driver where the JVM has virtual threads.
 */
class HttpsClientsTest {

    @Test
    void callFluxTrustingTheTestCertificateHangsUpOverHttpsWithHostNamesVerified() {
        try (TwilioSimulator sim = TwilioSimulator.builder().https(true).start()) {
            HttpClient trusting = HttpClient.create().secure(spec -> spec.sslContext(
                    Http11SslContextSpec.forClient().configure(b -> b.trustManager(TestCertificate.certificate()))));
            String sid = TestSids.newCallSid();
            try (CallFluxClient client = CallFluxClient.builder()
                    .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                    .baseUrl(sim.baseUrl())
                    .httpClient(trusting)
                    .build()) {
                Call call = client.hangup(sid).block(Duration.ofSeconds(30));
                assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
            }
            assertThat(sim.baseUrl()).startsWith("https://127.0.0.1:");
            assertThat(sim.ledger().call(sid).hangupsApplied()).isEqualTo(1);
            assertThat(sim.ledger().tlsHandshakes()).isEqualTo(1);
        }
    }

    @Test
    void callFluxWithTheDefaultTrustRefusesTheSelfSignedCertificateAndSendsNothing() {
        try (TwilioSimulator sim = TwilioSimulator.builder().https(true).start();
             CallFluxClient client = CallFluxClient.builder()
                     .credentials(Credentials.authToken(sim.accountSid(), sim.authToken()))
                     .baseUrl(sim.baseUrl())
                     .connectTimeout(Duration.ofSeconds(10))
                     .build()) {
            assertThatThrownBy(() -> client.hangup(TestSids.newCallSid()).block(Duration.ofSeconds(30)))
                    .isInstanceOf(CallFluxTransportException.class)
                    .satisfies(e -> {
                        CallFluxTransportException t = (CallFluxTransportException) e;
                        assertThat(t.kind()).isEqualTo(CallFluxTransportException.Kind.CONNECT);
                        assertThat(t.requestSent()).isFalse();
                        assertThat(t.mayHaveBeenApplied()).isFalse();
                    })
                    .hasStackTraceContaining("unable to find valid certification path");
            assertThat(sim.ledger().totalRequests()).isZero();
            assertThat(sim.ledger().tlsHandshakes()).isZero();
        }
    }

    @Test
    void theVirtualThreadDriverHangsUpWhereTheJvmHasVirtualThreads() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            TwilioJavaDriver driver = new TwilioJavaDriver(sim.baseUrl(), sim.accountSid(), sim.authToken(), 8,
                    TwilioJavaDriver.Mode.VIRTUAL);
            Tally tally = new Tally();
            if (VirtualThreads.available()) {
                driver.hangupAll(TestSids.callSids(7, 20).stream(), 8, tally);
                assertThat(tally.succeeded()).isEqualTo(20);
                assertThat(sim.ledger().totalHangupsApplied()).isEqualTo(20);
            } else {
                assertThatThrownBy(() -> driver.hangupAll(Stream.of(TestSids.newCallSid()), 8, tally))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("virtual threads need Java 21");
                assertThat(sim.ledger().totalRequests()).isZero();
            }
        }
    }
}
