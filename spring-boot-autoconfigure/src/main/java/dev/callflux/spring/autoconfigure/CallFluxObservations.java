package dev.callflux.spring.autoconfigure;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.UpdateObserver;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.Objects;
import reactor.util.context.ContextView;

/**
 * Makes each UpdateCall request a Micrometer {@link Observation} named {@value #NAME}: with Spring Boot's
 * metrics a timer {@code callflux.update} (and {@code callflux.update.active}), with a tracing bridge a span,
 * child of the observation in the subscriber's Reactor context ({@link ObservationThreadLocalAccessor#KEY}).
 *
 * <p>Low-cardinality keys, on every observation: {@value #OUTCOME} ({@code success}, {@code twilio_error},
 * {@code transport_error}, {@code error}, {@code cancelled}), {@value #HTTP_STATUS} (Twilio's status, or
 * {@code none}), {@value #TWILIO_CODE} (Twilio's error code, or {@code none}), {@value #TRANSPORT_ERROR}
 * ({@code CONNECT}, {@code RESPONSE_TIMEOUT}, ... or {@code none}) and {@value #UPDATE} ({@code hangup},
 * {@code cancel}, {@code redirect}, {@code twiml}, {@code other}). High-cardinality, for traces only:
 * {@value #CALL_SID}.
 */
public final class CallFluxObservations implements UpdateObserver {

    /** The observation's name, and so the timer's. */
    public static final String NAME = "callflux.update";
    /** Low-cardinality key: how the request ended. */
    public static final String OUTCOME = "outcome";
    /** Low-cardinality key: Twilio's HTTP status. */
    public static final String HTTP_STATUS = "http.status";
    /** Low-cardinality key: Twilio's error code. */
    public static final String TWILIO_CODE = "twilio.code";
    /** Low-cardinality key: the transport failure's kind. */
    public static final String TRANSPORT_ERROR = "transport.error";
    /** Low-cardinality key: what the update does. */
    public static final String UPDATE = "update";
    /** High-cardinality key: the call's SID. */
    public static final String CALL_SID = "call.sid";

    private static final String NONE = "none";

    private final ObservationRegistry registry;

    /**
     * Creates the observer.
     *
     * @param registry where observations go
     */
    public CallFluxObservations(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Starts the request's observation, child of the one in {@code context} if any; stopped when it ends.
     *
     * @param account the account in the request path
     * @param call    the call being updated
     * @param request the update
     * @param context the subscriber's Reactor context
     * @return told how the request ended
     */
    @Override
    public Attempt onRequest(AccountSid account, CallSid call, UpdateCallRequest request, ContextView context) {
        if (registry.isNoop()) {
            return Attempt.IGNORED;
        }
        Observation parent = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName("twilio update-call " + update(request))
                .parentObservation(parent)
                .lowCardinalityKeyValue(UPDATE, update(request))
                .highCardinalityKeyValue(CALL_SID, call.value())
                .start();
        return new Attempt() {
            @Override
            public void succeeded(int status, Call answer) {
                stop(observation, "success", Integer.toString(status), NONE, NONE);
            }

            @Override
            public void failed(Throwable error) {
                observation.error(error);
                if (error instanceof TwilioApiException api) {
                    stop(observation, "twilio_error", Integer.toString(api.statusCode()),
                            api.code().isPresent() ? Integer.toString(api.code().getAsInt()) : NONE, NONE);
                } else if (error instanceof CallFluxTransportException transport) {
                    stop(observation, "transport_error", NONE, NONE, transport.kind().name());
                } else {
                    stop(observation, "error", NONE, NONE, NONE);
                }
            }

            @Override
            public void cancelled() {
                stop(observation, "cancelled", NONE, NONE, NONE);
            }
        };
    }

    private static void stop(Observation observation, String outcome, String status, String code, String transport) {
        observation.lowCardinalityKeyValue(KeyValue.of(OUTCOME, outcome))
                .lowCardinalityKeyValue(KeyValue.of(HTTP_STATUS, status))
                .lowCardinalityKeyValue(KeyValue.of(TWILIO_CODE, code))
                .lowCardinalityKeyValue(KeyValue.of(TRANSPORT_ERROR, transport))
                .stop();
    }

    /** What the update does, in one low-cardinality word. */
    static String update(UpdateCallRequest request) {
        if (request.status().isPresent()) {
            return request.status().get().value().equals("canceled") ? "cancel" : "hangup";
        }
        if (request.twiml().isPresent()) {
            return "twiml";
        }
        return request.url().isPresent() ? "redirect" : "other";
    }

    @Override
    public String toString() {
        return "CallFluxObservations{" + NAME + '}';
    }
}
