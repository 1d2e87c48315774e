package dev.callflux.reactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The transport errors' own words, which reach logs, Kafka result records and the WebFlux service's bodies. */
class TransportErrorsTest {

    @Test
    void anUnknownHostIsNamedWithoutTheResolversWords() {
        assertThat(TransportErrors.describe(new UnknownHostException(
                "Failed to resolve 'api.twilio.com' [A(1), AAAA(28)] after 2 queries ")))
                .isEqualTo("unknown host api.twilio.com");
        assertThat(TransportErrors.describe(new UnknownHostException("api.twilio.com: Name or service not known")))
                .isEqualTo("unknown host api.twilio.com");
        assertThat(TransportErrors.describe(new UnknownHostException())).isEqualTo("unknown host");
    }

    @Test
    void aRefusedConnectionNamesTheAddress() {
        assertThat(TransportErrors.describe(new ConnectException("Connection refused: /127.0.0.1:9")))
                .isEqualTo("connection refused by 127.0.0.1:9");
    }
}
