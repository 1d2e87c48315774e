package dev.callflux.spring.autoconfigure.app;

import dev.callflux.core.encoding.CallJson;
import dev.callflux.reactor.CallFluxClient;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A WebFlux application as a user would write it on the starter: the client is simply injected. */
@SpringBootApplication
public class TestApplication {

    /** The response header naming the server thread that handled the request. */
    public static final String SERVED_ON = "X-Served-On";

    /** One endpoint over the client; it says which thread served the request. */
    @RestController
    static class Hangups {
        private final CallFluxClient client;

        Hangups(CallFluxClient client) {
            this.client = client;
        }

        @PostMapping(path = "/calls/{sid}/hangup", produces = "application/json")
        Mono<ResponseEntity<String>> hangup(@PathVariable("sid") String sid) {
            String thread = Thread.currentThread().getName();
            return client.hangup(sid).map(call -> ResponseEntity.ok().header(SERVED_ON, thread).body(CallJson.write(call)));
        }
    }
}
