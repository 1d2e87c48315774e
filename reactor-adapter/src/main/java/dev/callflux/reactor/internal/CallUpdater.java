package dev.callflux.reactor.internal;

import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import reactor.core.publisher.Mono;

/**
 * One UpdateCall exchange, as the bulk engine sends it: what {@code CallFluxClient} hands to the bulk
 * package, so that {@code dev.callflux.reactor.bulk} never depends on the client.
 *
 * <p>Internal: not part of CallFlux's API.
 */
@FunctionalInterface
public interface CallUpdater {

    /**
     * A cold exchange.
     *
     * @param account the account in the request path, not {@code null}
     * @param call    the call in the request path, not {@code null}
     * @param request the update, not {@code null}
     * @return a {@code Mono} of the call as Twilio returns it, sending one request per subscription
     */
    Mono<Call> update(AccountSid account, CallSid call, UpdateCallRequest request);
}
