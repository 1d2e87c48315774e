/**
 * The CallFlux client on Reactor Netty: {@link dev.callflux.reactor.CallFluxClient} ({@code Mono<Call>} for one
 * update), bulk runs ({@code Flux<BulkResult<T>>} with backpressure, adaptive concurrency, safe retries) and
 * the retry policy. The exchange with Twilio ({@code dev.callflux.reactor.internal}) is not exported.
 */
module dev.callflux.reactor {
    requires transitive dev.callflux.core;
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    // CallFluxClientBuilder.httpClient(HttpClient) takes Reactor Netty's client, to share a WebFlux server's loops.
    requires transitive reactor.netty.http;
    requires reactor.netty.core;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.handler;
    requires io.netty.codec;
    requires io.netty.codec.http;
    // BulkMeters only: Micrometer is optional.
    requires static micrometer.core;

    exports dev.callflux.reactor;
    exports dev.callflux.reactor.bulk;
    exports dev.callflux.reactor.retry;
}
