package dev.callflux.reactor.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxTransportException.Kind;
import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.CallFluxClientBuilder;
import dev.callflux.testkit.ScriptedServer;
import dev.callflux.testkit.TestSids;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.SslProvider;
import reactor.test.StepVerifier;

/**
 * TLS is verified, certificate and host name, over a real handshake with a TLS server on loopback, and no
 * way of building the client leaves either check off by accident. Each refusal has its positive control:
 * the same client trusting the same certificate for the right host name succeeds, so the refusals come from
 * verification and not from a broken setup.
 */
class TlsVerificationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String ACCOUNT = "AC00000000000000000000000000005ec1";
    private static final String TOKEN = "tls-test-token-0123456789abcdef";

    @TempDir
    static Path dir;

    /** Issued for localhost (DNS and IP) but signed by nobody the JDK trusts. */
    private static Certificates.Identity localhost;
    /** Issued for other.example only. */
    private static Certificates.Identity other;
    private static ScriptedServer localhostServer;
    private static ScriptedServer otherServer;

    @BeforeAll
    static void certificatesAndServers() throws Exception {
        localhost = Certificates.selfSigned(dir, "localhost", "dns:localhost,ip:127.0.0.1");
        other = Certificates.selfSigned(dir, "other.example", "dns:other.example");
        localhostServer = ScriptedServer.builder().tls(localhost.keyManagers()).start();
        otherServer = ScriptedServer.builder().tls(other.keyManagers()).start();
    }

    @AfterAll
    static void stopServers() {
        if (localhostServer != null) {
            localhostServer.close();
        }
        if (otherServer != null) {
            otherServer.close();
        }
    }

    private static CallFluxClient client(String baseUrl, Consumer<CallFluxClientBuilder> tweak) {
        CallFluxClientBuilder b = CallFluxClient.builder()
                .credentials(Credentials.authToken(ACCOUNT, TOKEN))
                .baseUrl(baseUrl)
                .connectTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(5));
        tweak.accept(b);
        return b.build();
    }

    /** A Reactor Netty client that trusts exactly {@code cert}, through the public {@code secure(...)} spec. */
    private static HttpClient trusting(X509Certificate cert) {
        return HttpClient.create(ConnectionProvider.newConnection()).secure(spec -> spec.sslContext(
                Http11SslContextSpec.forClient().configure(b -> b.trustManager(cert))));
    }

    /**
     * The same trust as an {@link SslProvider} built by hand, as trust-store examples often do, with host-name
     * checks switched off as some of them also do: Reactor Netty does not add them back for a hand-built
     * provider, so this is how a client loses host-name verification without anyone noticing.
     */
    private static HttpClient trustingWithoutHostNameCheck(X509Certificate cert) {
        SslProvider provider = SslProvider.builder()
                .sslContext(Http11SslContextSpec.forClient()
                        .configure(b -> b.trustManager(cert).endpointIdentificationAlgorithm(null)))
                .build();
        return HttpClient.create(ConnectionProvider.newConnection()).secure(provider);
    }

    private static void expectRefusedBeforeSending(CallFluxClient c, ScriptedServer server, String why) {
        int before = server.received().size();
        StepVerifier.create(c.hangup(TestSids.newCallSid()))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(CallFluxTransportException.class);
                    CallFluxTransportException t = (CallFluxTransportException) e;
                    assertThat(t.kind()).as(t.getMessage()).isEqualTo(Kind.CONNECT);
                    assertThat(t.requestSent()).isFalse();
                    assertThat(t.mayHaveBeenApplied()).isFalse();
                    assertThat(chain(t)).as("why the handshake failed").containsIgnoringCase(why);
                    assertThat(chain(t)).doesNotContain(TOKEN);
                })
                .verify(TIMEOUT);
        assertThat(server.received()).as("requests the server saw").hasSize(before);
    }

    private static void expectSuccess(CallFluxClient c, ScriptedServer server) {
        int before = server.received().size();
        String sid = TestSids.newCallSid();
        StepVerifier.create(c.hangup(sid))
                .assertNext(call -> assertThat(call.sid()).isEqualTo(sid))
                .verifyComplete();
        assertThat(server.received()).hasSize(before + 1);
        assertThat(server.received().get(before).headers().get("Authorization")).startsWith("Basic ");
    }

    /** Every message of a throwable and its causes, to see why a handshake failed. */
    private static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" | ");
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- certificate verification

    static Stream<Arguments> clientsThatTrustOnlyTheJdkDefaults() {
        return Stream.of(
                Arguments.of("the client's own HttpClient", (Consumer<CallFluxClientBuilder>) b -> { }),
                Arguments.of("a plain HttpClient given", (Consumer<CallFluxClientBuilder>) b -> b.httpClient(HttpClient.create(ConnectionProvider.newConnection()))),
                Arguments.of("an HttpClient given with noSSL()",
                        (Consumer<CallFluxClientBuilder>) b -> b.httpClient(HttpClient.create(ConnectionProvider.newConnection()).noSSL())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientsThatTrustOnlyTheJdkDefaults")
    void aSelfSignedCertificateIsRefusedAndNothingIsSent(String name, Consumer<CallFluxClientBuilder> tweak) {
        try (CallFluxClient c = client(localhostServer.baseUrl("localhost"), tweak)) {
            expectRefusedBeforeSending(c, localhostServer, "certification path");
        }
    }

    @Test
    void anUpperCaseSchemeIsStillTls() {
        try (CallFluxClient c = client("HTTPS://localhost:" + localhostServer.port(), b -> { })) {
            assertThat(c.endpoint().isSecure()).isTrue();
            expectRefusedBeforeSending(c, localhostServer, "certification path");
        }
    }

    @Test
    void positiveControlTheSameCertificateTrustedSucceeds() {
        try (CallFluxClient c = client(localhostServer.baseUrl("localhost"),
                b -> b.httpClient(trusting(localhost.certificate())))) {
            expectSuccess(c, localhostServer);
        }
    }

    // ---------------------------------------------------------------- host-name verification

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() {
        try (CallFluxClient c = client(otherServer.baseUrl("localhost"),
                b -> b.httpClient(trusting(other.certificate())))) {
            expectRefusedBeforeSending(c, otherServer, "localhost");
        }
    }

    @Test
    void hostNamesAreVerifiedEvenWithAnSslProviderBuiltByHand() {
        try (CallFluxClient c = client(otherServer.baseUrl("localhost"),
                b -> b.httpClient(trustingWithoutHostNameCheck(other.certificate())))) {
            expectRefusedBeforeSending(c, otherServer, "localhost");
        }
    }

    @Test
    void positiveControlAnSslProviderBuiltByHandForTheRightHostSucceeds() {
        try (CallFluxClient c = client(localhostServer.baseUrl("localhost"),
                b -> b.httpClient(trustingWithoutHostNameCheck(localhost.certificate())))) {
            expectSuccess(c, localhostServer);
        }
    }

    @Test
    void positiveControlTheOtherCertificateIsFineWhereItsNameIsNotChecked() {
        // Proves the refusal above is CallFlux's host-name check alone: this Reactor Netty client by itself
        // completes the handshake with a certificate for another host.
        HttpClient raw = trustingWithoutHostNameCheck(other.certificate());
        StepVerifier.create(raw.get().uri(otherServer.baseUrl("localhost") + "/2010-04-01/Accounts/" + ACCOUNT
                        + "/Calls/" + TestSids.newCallSid() + ".json")
                        .responseSingle((res, body) -> reactor.core.publisher.Mono.just(res.status().code())))
                .expectNext(200)
                .verifyComplete();
    }

    @Test
    void anIpAddressIsVerifiedAgainstTheCertificatesIpEntries() {
        // The localhost certificate lists ip:127.0.0.1 and the other one lists no address at all.
        try (CallFluxClient ok = client(localhostServer.baseUrl("127.0.0.1"),
                b -> b.httpClient(trusting(localhost.certificate())))) {
            expectSuccess(ok, localhostServer);
        }
        try (CallFluxClient refused = client(otherServer.baseUrl("127.0.0.1"),
                b -> b.httpClient(trusting(other.certificate())))) {
            expectRefusedBeforeSending(refused, otherServer, "127.0.0.1");
        }
    }
}
