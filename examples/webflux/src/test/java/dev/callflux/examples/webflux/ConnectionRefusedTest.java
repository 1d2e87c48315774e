package dev.callflux.examples.webflux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Nothing listens at {@code callflux.base-url}: 502, certainly not applied. */
class ConnectionRefusedTest extends AppTestSupport {

    static final int CLOSED_PORT = closedPort();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        register(registry, () -> "http://127.0.0.1:" + CLOSED_PORT, authToken("AC" + newSid().substring(2), "some-token"));
    }


    /** A loopback port that was free a moment ago and is closed now. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void connectFailureIs502() {
        web.post().uri("/calls/{sid}/hangup", newSid())
                .exchange()
                .expectStatus().isEqualTo(502)
                .expectBody()
                .jsonPath("$.status").isEqualTo(502)
                .jsonPath("$.transport_error").isEqualTo("CONNECT")
                .jsonPath("$.may_have_been_applied").isEqualTo(false)
                // Words for the service's caller: no Java class names, no Netty text.
                .jsonPath("$.message").isEqualTo("CONNECT: connection refused by 127.0.0.1:" + CLOSED_PORT
                        + " (the request was not sent)");
        // The starter's health indicator saw the connect failure.
        web.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.status").isEqualTo("OUT_OF_SERVICE");
    }
}
