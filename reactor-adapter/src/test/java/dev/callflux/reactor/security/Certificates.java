package dev.callflux.reactor.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * Self-signed server certificates made at test time with the running JDK's {@code keytool}: no network, no
 * BouncyCastle, nothing committed that could expire. EC P-256 keys, valid for two days.
 */
final class Certificates {

    private static final char[] PASSWORD = "changeit".toCharArray();

    /** A key pair and its self-signed certificate. */
    record Identity(KeyManagerFactory keyManagers, X509Certificate certificate) {
    }

    private Certificates() {
    }

    /**
     * A certificate for {@code commonName} with the given subject alternative names ({@code dns:localhost},
     * {@code ip:127.0.0.1}), made in {@code dir}.
     */
    static Identity selfSigned(Path dir, String commonName, String subjectAltNames)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve(commonName + "-" + System.nanoTime() + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=" + commonName, "-ext", "SAN=" + subjectAltNames, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        return new Identity(kmf, (X509Certificate) ks.getCertificate("server"));
    }
}
