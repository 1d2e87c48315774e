package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.CallFluxTransportException.Kind;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Transport failures as the CLI words them, whatever the depth of the chain: Netty's exceptions carry causes of
 * their own (its UnknownHostException has the DNS answer as its cause), so the root alone says too little.
 */
class CliMessagesTest {

    private static final String ENDPOINT = "https://api.twilio.com";

    private static String connect(Throwable cause) {
        return CliMessages.describe(new CallFluxTransportException(Kind.CONNECT, false, "CONNECT failed", cause), ENDPOINT, "");
    }

    private static <T extends Throwable> T causedBy(T error, Throwable cause) {
        error.initCause(cause);
        return error;
    }

    @Test
    void anUnknownHostWithTheDnsAnswerAsItsCauseIsStillAnUnknownHost() {
        UnknownHostException dns = causedBy(new UnknownHostException("Failed to resolve 'api.twilio.com' after 2 queries"),
                new IllegalStateException("Query failed with NXDOMAIN"));
        assertThat(connect(dns)).isEqualTo("cannot connect to api.twilio.com:443: unknown host");
        assertThat(connect(new UnknownHostException("api.twilio.com"))).isEqualTo("cannot connect to api.twilio.com:443: unknown host");
    }

    @Test
    void refusedAndUntrustedAreFoundBelowTheTopOfTheChain() {
        ConnectException refused = causedBy(new ConnectException("Connection refused: api.twilio.com/1.2.3.4:443"),
                new java.io.IOException("finishConnect(..) failed"));
        assertThat(connect(refused)).isEqualTo("cannot connect to api.twilio.com:443: connection refused");

        SSLHandshakeException untrusted = causedBy(new SSLHandshakeException("PKIX path building failed: unable to find"
                + " valid certification path to requested target"), new java.security.cert.CertificateException("no path"));
        assertThat(connect(untrusted)).isEqualTo("the TLS certificate of api.twilio.com:443 is not trusted");
        assertThat(connect(new SSLHandshakeException("Received fatal alert: handshake_failure")))
                .isEqualTo("the TLS handshake with api.twilio.com:443 failed");
    }

    @Test
    void aConnectFailureWithNothingKnownSaysOnlyWhere() {
        assertThat(connect(new java.io.IOException("something Netty said"))).isEqualTo("cannot connect to api.twilio.com:443");
    }
}
