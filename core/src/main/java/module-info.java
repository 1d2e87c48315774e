/**
 * CallFlux's domain, without I/O: the UpdateCall request and its rules, SIDs, the Call resource, Twilio's
 * wire formats (the form body, the Call JSON, the response decision) and the errors. Pure functions of their
 * input; Jackson's streaming core is the only dependency.
 */
module dev.callflux.core {
    // CallJson reads and writes through Jackson's JsonParser / JsonGenerator, which appear in its signatures.
    requires transitive com.fasterxml.jackson.core;

    exports dev.callflux.core.model;
    exports dev.callflux.core.error;
    exports dev.callflux.core.http;
    // Twilio's wire formats (the form body, the Call JSON, the response decision) are CallFlux's own business:
    // shared with the client and the simulator, not API.
    exports dev.callflux.core.encoding to dev.callflux.reactor, dev.callflux.testkit;
}
