package dev.callflux.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificate the simulator serves HTTPS with ({@link TwilioSimulator.Builder#https(boolean)}), and ways to
 * make a client trust it. <strong>For tests only</strong>: the certificate is self-signed (RSA 2048, subject
 * {@code localhost}, alternative names {@code DNS:localhost} and {@code IP:127.0.0.1}, valid until 2126) and its
 * private key is in this jar, so it is public: never trust it outside a test.
 *
 * <p>For CallFlux: {@code CallFluxClient.builder().httpClient(HttpClient.create().secure(spec ->
 * spec.sslContext(Http11SslContextSpec.forClient().configure(b -> b.trustManager(TestCertificate.certificate())))))}
 * (host names are still verified: the certificate names {@code 127.0.0.1}). For any JDK-based client (twilio-java's
 * Apache HttpClient, {@code java.net.http.HttpClient}): {@link #sslContext()}. For a process that reads the JDK's
 * trust store properties (the {@code callflux} command): {@link #writeTrustStore(Path)} and
 * {@code -Djavax.net.ssl.trustStore=FILE -Djavax.net.ssl.trustStorePassword=}{@value #TRUST_STORE_PASSWORD}.
 */
public final class TestCertificate {

    /** The password of the trust store {@link #writeTrustStore(Path)} writes; not a secret (the store holds no key). */
    public static final String TRUST_STORE_PASSWORD = "callflux-test-only";

    static final String CERTIFICATE_RESOURCE = "test-only-simulator.crt";
    static final String KEY_RESOURCE = "test-only-simulator.key";

    private TestCertificate() {
    }

    /**
     * The certificate, as a client's trust anchor.
     *
     * @return the simulator's self-signed certificate
     */
    public static X509Certificate certificate() {
        try (InputStream in = certificatePem()) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the testkit's certificate cannot be read", e);
        }
    }

    /**
     * A key store (PKCS12, in memory) holding the certificate as its only trusted entry.
     *
     * @return a new key store, loaded
     */
    public static KeyStore trustStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("callflux-test-simulator", certificate());
            return ks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a trust store", e);
        }
    }

    /**
     * A TLS context that trusts the certificate and nothing else (host names are checked by the client that
     * uses it, as usual).
     *
     * @return a new, initialised {@code SSLContext} ("TLS")
     */
    public static SSLContext sslContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context", e);
        }
    }

    /**
     * Writes {@link #trustStore()} to {@code file} (PKCS12, password {@value #TRUST_STORE_PASSWORD}), for
     * {@code -Djavax.net.ssl.trustStore}.
     *
     * @param file where to write; replaced if it exists
     * @return {@code file}
     * @throws UncheckedIOException if it cannot be written
     */
    public static Path writeTrustStore(Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore().store(out, TRUST_STORE_PASSWORD.toCharArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write a trust store", e);
        }
    }

    /**
     * The certificate in PEM.
     *
     * @return a new stream over the PEM text; the caller closes it
     */
    public static InputStream certificatePem() {
        return resource(CERTIFICATE_RESOURCE);
    }

    /** The private key (unencrypted PKCS#8 PEM), for the simulator's server side only. */
    static InputStream privateKeyPem() {
        return resource(KEY_RESOURCE);
    }

    private static InputStream resource(String name) {
        InputStream in = TestCertificate.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the testkit's " + name + " is missing from its jar");
        }
        return in;
    }
}
