package dev.callflux.examples.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small Spring Boot WebFlux service over CallFlux: hang up or redirect Twilio calls one at a time, or hang
 * up a stream of calls with results streamed back as NDJSON. See {@code examples/webflux/README.md}.
 *
 * <pre>
 * TWILIO_ACCOUNT_SID=AC... TWILIO_AUTH_TOKEN=... java -jar examples/webflux/target/callflux-webflux.jar
 * </pre>
 */
@SpringBootApplication
public class CallFluxWebfluxApplication {

    public static void main(String[] args) {
        SpringApplication.run(CallFluxWebfluxApplication.class, args);
    }
}
