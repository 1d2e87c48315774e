package dev.callflux.reactor;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.http.ApiEndpoint;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.bulk.BulkCommand;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.reactor.internal.CallUpdater;
import dev.callflux.reactor.internal.EventLoops;
import dev.callflux.reactor.internal.UpdateCallTransport;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Twilio's UpdateCall as {@code Mono<Call>}: redirect a live call or end it, without blocking a thread.
 *
 * <pre>{@code
 * client.hangup("CA0123456789abcdef0123456789abcdef")
 *       .subscribe(call -> log.info("{} is {}", call.sid(), call.status()));
 * }</pre>
 *
 * <p>Every {@code Mono} is cold: nothing is sent until it is subscribed, each subscription sends one
 * request, and cancelling aborts the exchange and frees its connection. Bad arguments arrive as an
 * {@link InvalidRequestException} inside the {@code Mono}, before any byte is sent. Failures arrive as
 * subtypes of {@link dev.callflux.core.error.CallFluxException}. A single update is sent once; the bulk
 * methods ({@link #updateAll(Publisher, BulkOptions)}, {@link #hangupAll(Publisher, BulkOptions)}) add
 * adaptive concurrency and the retries that are safe for phone calls.
 *
 * <p>Immutable and thread-safe; make one per set of credentials and share it. {@link #close()} releases
 * the connection pool the client made itself, never one it was given.
 */
public final class CallFluxClient implements AutoCloseable {

    private final UpdateCallTransport transport;
    private final List<UpdateObserver> observers;
    private final AccountSid accountSid;
    private final ApiEndpoint endpoint;
    private final Credentials credentials;
    private final ConnectionProvider ownedPool;
    private final LoopResources ownedLoops;
    private final int poolSize;
    private final EventLoops loops;
    /** What a bulk command sends: the exchange itself, its arguments checked by the bulk engine already. */
    private final CallUpdater bulkUpdater;

    CallFluxClient(UpdateCallTransport transport, List<UpdateObserver> observers, AccountSid accountSid,
                   ApiEndpoint endpoint, Credentials credentials, ConnectionProvider ownedPool, LoopResources ownedLoops,
                   int poolSize, EventLoops loops) {
        this.transport = transport;
        this.observers = observers;
        this.accountSid = accountSid;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.ownedPool = ownedPool;
        this.ownedLoops = ownedLoops;
        this.poolSize = poolSize;
        this.loops = loops;
        this.bulkUpdater = (account, call, request) -> Observed.exchange(transport, observers, account, call, request,
                (status, headers, c) -> c);
    }

    /**
     * Starts a builder.
     *
     * @return a new {@link CallFluxClientBuilder} with the defaults; same as {@code new CallFluxClientBuilder()}
     */
    public static CallFluxClientBuilder builder() {
        return new CallFluxClientBuilder();
    }

    /**
     * The account whose calls are updated when no account is passed.
     *
     * @return the builder's {@code accountSid}, or else the account of auth-token credentials; never {@code null}
     */
    public AccountSid accountSid() {
        return accountSid;
    }

    /**
     * Where requests go.
     *
     * @return the endpoint, {@link ApiEndpoint#DEFAULT} ({@code https://api.twilio.com}) unless one was set
     */
    public ApiEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Applies {@code request} to the call {@code callSid} of this client's account.
     *
     * @param callSid the call's SID, {@code "CA"} and 32 hex digits; a malformed or {@code null} one fails the
     *                {@code Mono} with an {@link InvalidRequestException}
     * @param request what to change; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @return a cold {@code Mono} of the call as Twilio returns it after the update; one request per
     *         subscription, never resent
     */
    public Mono<Call> update(String callSid, UpdateCallRequest request) {
        return checked(() -> update(accountSid, CallSid.of(callSid), request));
    }

    /**
     * Applies {@code request} to a call of this client's account.
     *
     * @param callSid the call; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @param request what to change; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @return a cold {@code Mono} of the call as Twilio returns it after the update; one request per
     *         subscription, never resent
     */
    public Mono<Call> update(CallSid callSid, UpdateCallRequest request) {
        return update(accountSid, callSid, request);
    }

    /**
     * Applies {@code request} to a call of {@code accountSid}, a subaccount say.
     *
     * @param accountSid the account that owns the call, {@code "AC"} and 32 hex digits (checked like
     *                   {@code callSid})
     * @param callSid the call's SID, {@code "CA"} and 32 hex digits; a malformed or {@code null} one fails the
     *                {@code Mono} with an {@link InvalidRequestException}
     * @param request what to change; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @return a cold {@code Mono} of the call as Twilio returns it after the update; one request per
     *         subscription, never resent
     */
    public Mono<Call> update(String accountSid, String callSid, UpdateCallRequest request) {
        return checked(() -> update(AccountSid.of(accountSid), CallSid.of(callSid), request));
    }

    /**
     * Applies {@code request} to a call of {@code accountSid}, a subaccount say.
     *
     * @param accountSid the account that owns the call; {@code null} fails the {@code Mono} with an
     *                   {@link InvalidRequestException}
     * @param callSid the call; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @param request what to change; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @return a cold {@code Mono} of the call as Twilio returns it after the update; one request per
     *         subscription, never resent
     */
    public Mono<Call> update(AccountSid accountSid, CallSid callSid, UpdateCallRequest request) {
        return checked(() -> Observed.exchange(transport, observers, required("AccountSid", accountSid),
                required("CallSid", callSid), required("UpdateCallRequest", request), (status, headers, call) -> call));
    }

    /**
     * Like {@link #update(CallSid, UpdateCallRequest)}, with the HTTP status and headers.
     *
     * @param callSid the call; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @param request what to change; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @return a cold {@code Mono} of the call as Twilio returns it, with the 2xx status and response headers
     *         ({@code Twilio-Request-Id}, say); one request per subscription, never resent
     */
    public Mono<TwilioResponse<Call>> updateWithResponse(CallSid callSid, UpdateCallRequest request) {
        return updateWithResponse(accountSid, callSid, request);
    }

    /**
     * Like {@link #update(AccountSid, CallSid, UpdateCallRequest)}, with the HTTP status and headers.
     *
     * @param accountSid the account that owns the call; {@code null} fails the {@code Mono} with an
     *                   {@link InvalidRequestException}
     * @param callSid the call; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @param request what to change; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @return a cold {@code Mono} of the call as Twilio returns it, with the 2xx status and response headers
     *         ({@code Twilio-Request-Id}, say); one request per subscription, never resent
     */
    public Mono<TwilioResponse<Call>> updateWithResponse(AccountSid accountSid, CallSid callSid,
                                                         UpdateCallRequest request) {
        return checked(() -> Observed.exchange(transport, observers, required("AccountSid", accountSid),
                required("CallSid", callSid), required("UpdateCallRequest", request), TwilioResponse::new));
    }

    /**
     * Hangs up the call ({@code Status=completed}): ends it whatever its state.
     *
     * @param callSid the call's SID, {@code "CA"} and 32 hex digits; a malformed or {@code null} one fails the
     *                {@code Mono} with an {@link InvalidRequestException}
     * @return a cold {@code Mono} of the call as Twilio returns it; hanging up an ended call changes nothing
     *         and still succeeds
     */
    public Mono<Call> hangup(String callSid) {
        return update(callSid, UpdateCallRequest.hangup());
    }

    /**
     * Hangs up the call ({@code Status=completed}): ends it whatever its state.
     *
     * @param callSid the call; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @return a cold {@code Mono} of the call as Twilio returns it; hanging up an ended call changes nothing
     *         and still succeeds
     */
    public Mono<Call> hangup(CallSid callSid) {
        return update(callSid, UpdateCallRequest.hangup());
    }

    /**
     * Cancels the call ({@code Status=canceled}) if it is still queued or ringing.
     *
     * @param callSid the call's SID, {@code "CA"} and 32 hex digits; a malformed or {@code null} one fails the
     *                {@code Mono} with an {@link InvalidRequestException}
     * @return a cold {@code Mono} of the call as Twilio returns it; a call already in progress is left as
     *         it is and the {@code Mono} still succeeds
     */
    public Mono<Call> cancel(String callSid) {
        return update(callSid, UpdateCallRequest.cancel());
    }

    /**
     * Cancels the call ({@code Status=canceled}) if it is still queued or ringing.
     *
     * @param callSid the call; {@code null} fails the {@code Mono} with an {@link InvalidRequestException}
     * @return a cold {@code Mono} of the call as Twilio returns it; a call already in progress is left as
     *         it is and the {@code Mono} still succeeds
     */
    public Mono<Call> cancel(CallSid callSid) {
        return update(callSid, UpdateCallRequest.cancel());
    }

    /**
     * Applies many updates: exactly one {@link BulkResult} per command taken from {@code commands}, in
     * completion order, each with the command's correlation value. Backpressure runs end to end: the
     * source is read only as fast as requests can start and results are consumed, so memory stays bounded
     * by {@link BulkOptions#maxInFlight()}, whatever the batch size. Concurrency adapts to Twilio's 429s
     * (unless fixed), never exceeding {@code maxInFlight} nor this client's connection pool; failures are
     * retried as the {@link dev.callflux.reactor.retry.RetryPolicy} allows. Cancelling the {@code Flux}
     * starts no further request and cancels those in flight; a source error arrives after the results of
     * the commands already taken.
     *
     * <pre>{@code
     * client.updateAll(Flux.fromIterable(rows).map(r -> BulkCommand.of(r.callSid(), UpdateCallRequest.hangup(), r.id())),
     *                  BulkOptions.DEFAULT)
     *       .filter(result -> !result.isSuccess())
     *       .subscribe(result -> log.warn("{}: {}", result.correlation(), result.error().orElseThrow().getMessage()));
     * }</pre>
     *
     * @param <T>      the type of the commands' correlation values
     * @param commands the updates to apply, read with backpressure; a malformed SID in one yields a failed result,
     *                 not an error of the {@code Flux}
     * @param options  concurrency, rate cap, retries, listeners; {@code null} means {@link BulkOptions#DEFAULT}
     * @return a cold {@code Flux}: nothing is read or sent before subscription, and each subscription runs the
     *         batch again
     */
    public <T> Flux<BulkResult<T>> updateAll(Publisher<BulkCommand<T>> commands, BulkOptions options) {
        return BulkOptions.run(commands, options == null ? BulkOptions.DEFAULT : options, bulkUpdater, accountSid,
                poolSize, loops);
    }

    /**
     * {@link #updateAll(Publisher, BulkOptions)} with {@link BulkOptions#DEFAULT}.
     *
     * @param <T>      the type of the commands' correlation values
     * @param commands the updates to apply, read with backpressure
     * @return a cold {@code Flux} of exactly one result per command taken, in completion order
     */
    public <T> Flux<BulkResult<T>> updateAll(Publisher<BulkCommand<T>> commands) {
        return updateAll(commands, BulkOptions.DEFAULT);
    }

    /**
     * Hangs up every call of {@code callSids}; each result's correlation value is its SID.
     *
     * @param callSids the SIDs as given; a malformed one yields a failed result, not an error of the {@code Flux}
     * @param options  as for {@link #updateAll(Publisher, BulkOptions)}; {@code null} means {@link BulkOptions#DEFAULT}
     * @return a cold {@code Flux} of exactly one result per SID taken, in completion order
     */
    public Flux<BulkResult<String>> hangupAll(Publisher<String> callSids, BulkOptions options) {
        return updateAll(Flux.from(callSids).map(BulkCommand::hangup), options);
    }

    /**
     * {@link #hangupAll(Publisher, BulkOptions)} with {@link BulkOptions#DEFAULT}.
     *
     * @param callSids the SIDs as given; a malformed one yields a failed result, not an error of the {@code Flux}
     * @return a cold {@code Flux} of exactly one result per SID taken, correlated by SID, in completion order
     */
    public Flux<BulkResult<String>> hangupAll(Publisher<String> callSids) {
        return hangupAll(callSids, BulkOptions.DEFAULT);
    }

    /**
     * Cancels every call of {@code callSids} that is still queued or ringing.
     *
     * @param callSids the SIDs as given; a malformed one yields a failed result, not an error of the {@code Flux}
     * @param options  as for {@link #updateAll(Publisher, BulkOptions)}; {@code null} means {@link BulkOptions#DEFAULT}
     * @return a cold {@code Flux} of exactly one result per SID taken, correlated by SID, in completion order;
     *         calls already in progress are left as they are and still count as successes
     */
    public Flux<BulkResult<String>> cancelAll(Publisher<String> callSids, BulkOptions options) {
        return updateAll(Flux.from(callSids).map(sid -> BulkCommand.of(sid, UpdateCallRequest.cancel(), sid)), options);
    }

    /**
     * Stops the client and releases the connection pool and event loop it made, waiting up to 10 seconds.
     * Requests subscribed afterwards fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        closeLater().block(Duration.ofSeconds(10));
    }

    /**
     * Like {@link #close()}, without waiting, and lazy like Reactor Netty's {@code disposeLater()}: nothing
     * happens until the returned {@code Mono} is subscribed.
     *
     * @return a cold {@code Mono} that, on subscription, refuses new requests, disposes of the pool and event loop
     *         the client made (allowing the loop up to 5 seconds to stop) and then completes; for a client built on
     *         a given {@code HttpClient} it completes once new requests are refused
     */
    public Mono<Void> closeLater() {
        return Mono.defer(() -> {
            transport.close();
            Mono<Void> pool = ownedPool == null ? Mono.empty() : ownedPool.disposeLater();
            Mono<Void> loops = ownedLoops == null ? Mono.empty()
                    : ownedLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(5));
            return pool.then(loops);
        });
    }

    @Override
    public String toString() {
        return "CallFluxClient{accountSid=" + accountSid + ", endpoint=" + endpoint + ", credentials=" + credentials + '}';
    }

    /** Argument errors are delivered inside the Mono, never thrown from the method. */
    private static <T> Mono<T> checked(Supplier<Mono<T>> mono) {
        try {
            return mono.get();
        } catch (InvalidRequestException e) {
            return Mono.error(e);
        }
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        return value;
    }
}
