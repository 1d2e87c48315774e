package dev.callflux.reactor.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.http.ApiEndpoint;
import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.CallFluxClientBuilder;
import dev.callflux.testkit.ScriptedServer;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

/**
 * Plain HTTP at the client level: requests really go over it to loopback addresses, a client for any other
 * host cannot even be built without the loudly named opt-in, and with the opt-in it works. The URL rules
 * themselves are ApiEndpointTest's.
 */
class PlainHttpTest {

    private static final String ACCOUNT = "AC00000000000000000000000000005ec5";
    private static final String TOKEN = "plain-http-test-token-0123456789";

    private static CallFluxClientBuilder builder() {
        return CallFluxClient.builder().credentials(Credentials.authToken(ACCOUNT, TOKEN));
    }

    private static void expectHangupWorks(CallFluxClient c) {
        String sid = TestSids.newCallSid();
        StepVerifier.create(c.hangup(sid)).assertNext(call -> assertThat(call.sid()).isEqualTo(sid)).verifyComplete();
    }

    @Test
    void localhostAnd127AreServedOverPlainHttp() {
        try (TwilioSimulator sim = TwilioSimulator.builder().account(ACCOUNT, TOKEN).start()) {
            for (String host : List.of("localhost", "127.0.0.1", "LOCALHOST")) {
                try (CallFluxClient c = builder().baseUrl("http://" + host + ":" + sim.port()).build()) {
                    assertThat(c.endpoint().isSecure()).isFalse();
                    expectHangupWorks(c);
                }
            }
            assertThat(sim.ledger().totalRequests()).isEqualTo(3);
        }
    }

    @Test
    void ipv6LoopbackIsServedOverPlainHttp() {
        try (ScriptedServer server = ScriptedServer.builder().host("::1").start();
             CallFluxClient c = builder().baseUrl("http://[::1]:" + server.port()).build()) {
            expectHangupWorks(c);
            assertThat(server.received()).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "http://api.twilio.com", "http://0.0.0.0:8080",
            "http://10.0.0.1", "http://localhost.example.com", "http://128.0.0.1"})
    void anyOtherHostIsRefusedWhenTheClientIsBuiltNamingTheRuleAndTheOptIn(String url) {
        assertThatThrownBy(() -> builder().baseUrl(url))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("BaseUrl must use https unless the host is a loopback address "
                        + "(use ApiEndpoint.insecureBaseUrl to send credentials over plain http anyway)")
                .message().contains("https", "loopback", "ApiEndpoint.insecureBaseUrl");
    }

    @Test
    void theInsecureOptInBuildsAPlainClientForAnyHost() {
        // Built only: nothing is subscribed, so nothing is sent to a host that is not this machine.
        try (CallFluxClient c = builder().endpoint(ApiEndpoint.insecureBaseUrl("http://example.com:8080/twilio/")).build()) {
            assertThat(c.endpoint().isSecure()).isFalse();
            assertThat(c.endpoint().updateCallUrl(c.accountSid(), dev.callflux.core.model.CallSid.of(TestSids.newCallSid())))
                    .startsWith("http://example.com:8080/twilio/2010-04-01/Accounts/" + ACCOUNT + "/Calls/CA");
        }
    }

    @Test
    void theInsecureOptInSendsOverPlainHttp() {
        try (TwilioSimulator sim = TwilioSimulator.builder().account(ACCOUNT, TOKEN).start();
             CallFluxClient c = builder().endpoint(ApiEndpoint.insecureBaseUrl(sim.baseUrl())).build()) {
            expectHangupWorks(c);
            assertThat(sim.ledger().totalRequests()).isEqualTo(1);
        }
    }
}
