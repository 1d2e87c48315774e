package dev.callflux.testkit;

import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

/**
 * The simulator's HTTPS: {@link TestCertificate} on the JDK's provider (pinned, so that a client's TLS provider
 * can be changed without changing the server's), and a count of full and resumed handshakes. A full handshake
 * asks the key manager for the certificate; a resumed one does not, which is how the two are told apart.
 */
final class SimulatorTls {

    private SimulatorTls() {
    }

    static HttpServer secure(HttpServer server, Ledger ledger) {
        Set<SSLEngine> fullHandshakes = ConcurrentHashMap.newKeySet();
        CountingKeyManager keys = new CountingKeyManager(certificate(), privateKey(), fullHandshakes);
        // Typed as the generic spec: the ProtocolSslContextSpec overload is deprecated.
        reactor.netty.tcp.SslProvider.GenericSslContextSpec<?> spec = Http11SslContextSpec.forServer(keys)
                .configure(b -> b.sslProvider(SslProvider.JDK));
        return server.secure(ssl -> ssl.sslContext(spec))
                .doOnChannelInit((observer, channel, remote) -> {
                    SslHandler handler = channel.pipeline().get(SslHandler.class);
                    if (handler == null) {
                        return;
                    }
                    SSLEngine engine = handler.engine();
                    handler.handshakeFuture().addListener(f -> {
                        boolean full = fullHandshakes.remove(engine);
                        if (f.isSuccess()) {
                            ledger.recordTlsHandshake(!full);
                        }
                    });
                });
    }

    private static X509Certificate certificate() {
        return TestCertificate.certificate();
    }

    private static PrivateKey privateKey() {
        try (InputStream in = TestCertificate.privateKeyPem()) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the testkit's private key cannot be read", e);
        }
    }

    /** One certificate and key; records each engine that was asked for them (a full handshake). */
    private static final class CountingKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "simulator";
        private final X509Certificate certificate;
        private final PrivateKey key;
        private final Set<SSLEngine> fullHandshakes;

        CountingKeyManager(X509Certificate certificate, PrivateKey key, Set<SSLEngine> fullHandshakes) {
            this.certificate = certificate;
            this.key = key;
            this.fullHandshakes = fullHandshakes;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            if (!key.getAlgorithm().equals(keyType)) {
                return null;
            }
            if (engine != null) {
                fullHandshakes.add(engine);
            }
            return ALIAS;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return key.getAlgorithm().equals(keyType) ? ALIAS : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return key.getAlgorithm().equals(keyType) ? new String[] {ALIAS} : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? new X509Certificate[] {certificate} : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
