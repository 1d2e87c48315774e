package dev.callflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator over HTTPS with the testkit's certificate, through the JDK's HTTP client. */
class HttpsTest {

    private static HttpResponse<String> hangup(HttpClient client, TwilioSimulator sim, String callSid) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + SimHttp.path(sim.accountSid(), callSid)))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", SimHttp.basic(sim.accountSid(), sim.authToken()))
                .header("Content-Type", SimHttp.FORM)
                .POST(HttpRequest.BodyPublishers.ofString("Status=completed", StandardCharsets.UTF_8))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpClient trusting(SSLContext tls) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void aClientTrustingTheTestCertificateUpdatesACallOverHttpsAndResumesItsSession() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().https(true).start()) {
            assertThat(sim.baseUrl()).isEqualTo("https://127.0.0.1:" + sim.port());
            SSLContext tls = TestCertificate.sslContext();
            String first = TestSids.newCallSid();
            HttpResponse<String> response = hangup(trusting(tls), sim, first);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"completed\"");
            assertThat(sim.ledger().call(first).hangupsApplied()).isEqualTo(1);
            assertThat(sim.ledger().tlsHandshakes()).isEqualTo(1);
            assertThat(sim.ledger().tlsHandshakesResumed()).isZero();

            // A second client on the same SSLContext opens a new connection and offers the session it was given.
            assertThat(hangup(trusting(tls), sim, TestSids.newCallSid()).statusCode()).isEqualTo(200);
            assertThat(sim.ledger().tlsHandshakes()).isEqualTo(2);
            assertThat(sim.ledger().tlsHandshakesResumed()).isEqualTo(1);
            assertThat(sim.ledger().toString()).contains("tlsHandshakes=2, tlsResumed=1");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsTheHandshakeAndNothingIsApplied() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().https(true).start()) {
            String callSid = TestSids.newCallSid();
            // The JDK's default trust store: public CAs only.
            HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertThatThrownBy(() -> hangup(plain, sim, callSid))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("unable to find valid certification path");
            assertThat(sim.ledger().totalRequests()).isZero();
            assertThat(sim.ledger().tlsHandshakes()).isZero();
        }
    }

    @Test
    void plainHttpHasNoHandshakes() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            assertThat(sim.baseUrl()).startsWith("http://");
            assertThat(SimHttp.update(sim, TestSids.newCallSid(), "Status=completed").status).isEqualTo(200);
            assertThat(sim.ledger().tlsHandshakes()).isZero();
        }
    }

    @Test
    void theWrittenTrustStoreHoldsTheCertificate(@TempDir Path dir) throws Exception {
        Path file = TestCertificate.writeTrustStore(dir.resolve("trust.p12"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            ks.load(in, TestCertificate.TRUST_STORE_PASSWORD.toCharArray());
        }
        assertThat(ks.size()).isEqualTo(1);
        String alias = ks.aliases().nextElement();
        assertThat(ks.isCertificateEntry(alias)).isTrue();
        assertThat(ks.getCertificate(alias)).isEqualTo(TestCertificate.certificate());
        assertThat(TestCertificate.certificate().getSubjectAlternativeNames())
                .anySatisfy(n -> assertThat(n.get(1)).isEqualTo("127.0.0.1"));
    }

    @Test
    void theMainPrintsAnHttpsUrl() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream ps = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        TwilioSimulator sim = TwilioSimulatorMain.start(new String[] {"--https", "true"}, ps, ps);
        try {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("listening on https://127.0.0.1:" + sim.port());
        } finally {
            sim.close();
        }
    }
}
