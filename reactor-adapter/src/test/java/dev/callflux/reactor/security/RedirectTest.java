package dev.callflux.reactor.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.CallFluxClientBuilder;
import dev.callflux.testkit.ScriptedServer;
import dev.callflux.testkit.TestSids;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * A redirect is never followed: the credentials go to the configured endpoint and nowhere else, and the
 * caller gets a typed error with the redirect's status, even with a Reactor Netty client that was told to
 * follow redirects.
 */
class RedirectTest {

    private static final String ACCOUNT = "AC00000000000000000000000000005ec3";
    private static final String TOKEN = "redirect-test-token-0123456789ab";

    private static void expectNotFollowed(int status, Consumer<CallFluxClientBuilder> tweak) {
        try (ScriptedServer elsewhere = ScriptedServer.builder().start();
             ScriptedServer redirecting = ScriptedServer.start((req, res) -> res.status(status)
                     .header("Location", elsewhere.baseUrl() + req.uri())
                     .send())) {
            CallFluxClientBuilder b = CallFluxClient.builder().credentials(Credentials.authToken(ACCOUNT, TOKEN))
                    .baseUrl(redirecting.baseUrl());
            tweak.accept(b);
            try (CallFluxClient c = b.build()) {
                StepVerifier.create(c.hangup(TestSids.newCallSid()))
                        .expectErrorSatisfies(e -> {
                            assertThat(e).isInstanceOf(TwilioApiException.class);
                            TwilioApiException t = (TwilioApiException) e;
                            assertThat(t.statusCode()).isEqualTo(status);
                            assertThat(t.getMessage()).contains(Integer.toString(status)).doesNotContain(TOKEN);
                        })
                        .verify(Duration.ofSeconds(15));
            }
            assertThat(redirecting.received()).hasSize(1);
            assertThat(elsewhere.received()).as("requests (and Authorization headers) the redirect target saw").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectIsNotFollowed(int status) {
        expectNotFollowed(status, b -> { });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void notEvenWithAGivenClientThatFollowsRedirects(int status) {
        expectNotFollowed(status, b -> b.httpClient(HttpClient.create(ConnectionProvider.newConnection())
                .followRedirect(true)));
    }
}
