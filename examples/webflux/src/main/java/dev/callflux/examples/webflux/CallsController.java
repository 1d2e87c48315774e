package dev.callflux.examples.webflux;

import static org.springframework.http.MediaType.APPLICATION_JSON;
import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;
import static org.springframework.http.MediaType.APPLICATION_NDJSON_VALUE;
import static org.springframework.http.MediaType.TEXT_PLAIN_VALUE;

import dev.callflux.core.encoding.CallJson;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkCommand;
import dev.callflux.reactor.bulk.BulkOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The service's endpoints. Failures of the single-call endpoints are mapped by {@link CallFluxErrorHandler};
 * the bulk endpoint reports each SID's failure in its own result line.
 *
 * <p>Calls are written with {@link CallJson#write(dev.callflux.core.model.Call)} (Twilio's own JSON, snake
 * case), not by Spring's Jackson: {@code Call} is not a bean, and its JSON shape should be Twilio's, whatever
 * the application's object mapper is configured to do.
 */
@RestController
@RequestMapping("/calls")
public class CallsController {

    private static final Logger log = LoggerFactory.getLogger(CallsController.class);

    /** Echoed to the caller to quote to Twilio support. */
    static final String TWILIO_REQUEST_ID = "Twilio-Request-Id";

    private final CallFluxClient client;
    private final BulkOptions bulkOptions;

    public CallsController(CallFluxClient client, BulkOptions bulkOptions) {
        this.client = client;
        this.bulkOptions = bulkOptions;
    }

    /** Hangs up one call ({@code Status=completed}); 200 with the Call as Twilio returned it. */
    @PostMapping(path = "/{sid}/hangup", produces = APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<String>> hangup(@PathVariable("sid") String sid) {
        return send(sid, Mono.just(UpdateCallRequest.hangup()));
    }

    /** Applies the update fields of the JSON body to one call; 200 with the Call. */
    @PostMapping(path = "/{sid}", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<String>> update(@PathVariable("sid") String sid,
                                               @RequestBody(required = false) Mono<String> body) {
        return send(sid, body.defaultIfEmpty("").map(UpdateBody::parse));
    }

    /**
     * Hangs up every call of the body, read as it arrives, and streams one NDJSON result per SID as the
     * results complete (not in input order: each result carries its {@code line}). The body is either
     * NDJSON or plain text, one SID per line (a raw SID, a JSON string or {@code {"sid": "CA..."}}; blank
     * lines are skipped), or a JSON array of SIDs or {@code {"sid": ..}} objects, tokenized element by element.
     * An empty body gives an empty stream.
     */
    @PostMapping(path = "/hangup", consumes = {APPLICATION_NDJSON_VALUE, TEXT_PLAIN_VALUE, APPLICATION_JSON_VALUE},
            produces = APPLICATION_NDJSON_VALUE)
    public Flux<BulkLine> hangupAll(ServerHttpRequest request) {
        MediaType type = request.getHeaders().getContentType();
        Flux<SidInput> sids = type != null && APPLICATION_JSON.isCompatibleWith(type)
                ? SidStreams.jsonArray(request.getBody())
                : SidStreams.lines(request.getBody());
        return hangupAll(sids);
    }

    private Mono<ResponseEntity<String>> send(String sid, Mono<UpdateCallRequest> request) {
        return Mono.fromCallable(() -> CallSid.of(sid))
                .flatMap(callSid -> request.flatMap(r -> client.updateWithResponse(callSid, r)))
                .map(response -> ResponseEntity.ok()
                        .contentType(APPLICATION_JSON)
                        .headers(h -> response.requestId().ifPresent(id -> h.set(TWILIO_REQUEST_ID, id)))
                        .body(CallJson.write(response.value())));
    }

    /**
     * Through the bulk engine: the body is pulled only as fast as requests can start and the HTTP client
     * reads the results (Reactor Netty requests the next result only when the connection is writable), so
     * memory is bounded by {@code callflux.bulk.max-in-flight}, not by the size of the body.
     */
    private Flux<BulkLine> hangupAll(Flux<SidInput> sids) {
        Flux<BulkCommand<SidInput>> commands = sids.map(in -> BulkCommand.of(in.sid(), UpdateCallRequest.hangup(), in));
        return client.updateAll(commands, bulkOptions)
                .map(BulkLine::of)
                .onErrorResume(error -> {
                    log.warn("Bulk hang-up: the request body broke off ({})", error.getClass().getSimpleName());
                    return Mono.just(BulkLine.bodyFailed(describe(error)));
                });
    }

    /** Names the problem without quoting the body. */
    private static String describe(Throwable error) {
        if (error instanceof SidStreams.BodyException) {
            return error.getMessage();
        }
        return "could not be read (" + error.getClass().getSimpleName() + ")";
    }
}
