/**
 * The CallFlux test kit: {@link dev.callflux.testkit.TwilioSimulator}, a real HTTP server on loopback that
 * answers UpdateCall as Twilio does, with a ledger of what it received and applied and faults to inject.
 */
module dev.callflux.testkit {
    requires transitive dev.callflux.core;
    requires reactor.core;
    requires org.reactivestreams;
    requires reactor.netty.core;
    requires reactor.netty.http;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.codec.http;
    requires io.netty.handler;

    exports dev.callflux.testkit;
}
