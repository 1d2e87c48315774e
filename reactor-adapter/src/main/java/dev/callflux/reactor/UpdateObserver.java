package dev.callflux.reactor;

import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import reactor.util.context.ContextView;

/**
 * Sees every UpdateCall request a client sends: single updates and each attempt of a bulk command alike.
 * The hook for metrics, tracing and health (Micrometer's {@code Observation}, say) without wrapping the client.
 * Added with {@link CallFluxClientBuilder#addObserver(UpdateObserver)}.
 *
 * <p>Called on the thread that sends or answers the request, often an event loop: implementations must be
 * thread-safe, quick, and never block. An exception thrown by an observer is logged and otherwise ignored;
 * it never fails or delays the request.
 */
@FunctionalInterface
public interface UpdateObserver {

    /**
     * A request is about to be sent (its {@code Mono} was subscribed).
     *
     * @param account the account in the request path
     * @param call    the call being updated
     * @param request the update
     * @param context the subscriber's Reactor context (where a caller's tracing context travels)
     * @return told exactly once how the request ended; {@link Attempt#IGNORED} when this observer does not care
     */
    Attempt onRequest(AccountSid account, CallSid call, UpdateCallRequest request, ContextView context);

    /** How one request ended; exactly one of the three methods is called, once. */
    interface Attempt {

        /** An {@code Attempt} that does nothing. */
        Attempt IGNORED = new Attempt() {
        };

        /**
         * Twilio answered 2xx with the call.
         *
         * @param status the HTTP status
         * @param call   the call as Twilio returned it
         */
        default void succeeded(int status, Call call) {
        }

        /**
         * The request failed: a {@code TwilioApiException} (Twilio answered an error; its status and code),
         * a {@code CallFluxTransportException} (no answer), or another {@code CallFluxException}.
         *
         * @param error why
         */
        default void failed(Throwable error) {
        }

        /** The subscriber cancelled before the request ended (a batch stopping, a timeout of the caller's). */
        default void cancelled() {
        }
    }
}
