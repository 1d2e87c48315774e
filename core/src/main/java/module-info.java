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
    exports dev.callflux.core.encoding;
}
