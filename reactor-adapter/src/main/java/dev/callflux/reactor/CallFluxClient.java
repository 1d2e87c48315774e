package dev.callflux.reactor;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.http.ApiEndpoint;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.internal.UpdateCallTransport;
import java.time.Duration;
import dev.callflux.reactor.bulk.BulkCommand;
import dev.callflux.reactor.bulk.BulkEngine;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkResult;
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
    private final AccountSid accountSid;
    private final ApiEndpoint endpoint;
    private final Credentials credentials;
    private final ConnectionProvider ownedPool;
    private final LoopResources ownedLoops;
    private final BulkEngine bulk;

    CallFluxClient(UpdateCallTransport transport, AccountSid accountSid, ApiEndpoint endpoint,
                   Credentials credentials, ConnectionProvider ownedPool, LoopResources ownedLoops, int poolSize) {
        this.transport = transport;
        this.accountSid = accountSid;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.ownedPool = ownedPool;
        this.ownedLoops = ownedLoops;
        this.bulk = new BulkEngine(this, poolSize);
    }

    /** Starts a builder. */
    public static CallFluxClientBuilder builder() {
        return new CallFluxClientBuilder();
    }

    /** The account whose calls are updated when no account is passed. */
    public AccountSid accountSid() {
        return accountSid;
    }

    /** Where requests go. */
    public ApiEndpoint endpoint() {
        return endpoint;
    }

    /** Applies {@code request} to the call {@code callSid} of this client's account. */
    public Mono<Call> update(String callSid, UpdateCallRequest request) {
        return checked(() -> update(accountSid, CallSid.of(callSid), request));
    }

    /** Applies {@code request} to a call of this client's account. */
    public Mono<Call> update(CallSid callSid, UpdateCallRequest request) {
        return update(accountSid, callSid, request);
    }

    /** Applies {@code request} to a call of {@code accountSid}, a subaccount say. */
    public Mono<Call> update(String accountSid, String callSid, UpdateCallRequest request) {
        return checked(() -> update(AccountSid.of(accountSid), CallSid.of(callSid), request));
    }

    /** Applies {@code request} to a call of {@code accountSid}, a subaccount say. */
    public Mono<Call> update(AccountSid accountSid, CallSid callSid, UpdateCallRequest request) {
        return checked(() -> transport.exchange(required("AccountSid", accountSid), required("CallSid", callSid),
                required("UpdateCallRequest", request), (status, headers, call) -> call));
    }

    /** Like {@link #update(CallSid, UpdateCallRequest)}, with the HTTP status and headers. */
    public Mono<TwilioResponse<Call>> updateWithResponse(CallSid callSid, UpdateCallRequest request) {
        return updateWithResponse(accountSid, callSid, request);
    }

    /** Like {@link #update(AccountSid, CallSid, UpdateCallRequest)}, with the HTTP status and headers. */
    public Mono<TwilioResponse<Call>> updateWithResponse(AccountSid accountSid, CallSid callSid,
                                                         UpdateCallRequest request) {
        return checked(() -> transport.exchange(required("AccountSid", accountSid), required("CallSid", callSid),
                required("UpdateCallRequest", request), TwilioResponse::new));
    }

    /** Hangs up the call ({@code Status=completed}): ends it whatever its state. */
    public Mono<Call> hangup(String callSid) {
        return update(callSid, UpdateCallRequest.hangup());
    }

    /** Hangs up the call ({@code Status=completed}): ends it whatever its state. */
    public Mono<Call> hangup(CallSid callSid) {
        return update(callSid, UpdateCallRequest.hangup());
    }

    /** Cancels the call ({@code Status=canceled}) if it is still queued or ringing. */
    public Mono<Call> cancel(String callSid) {
        return update(callSid, UpdateCallRequest.cancel());
    }

    /** Cancels the call ({@code Status=canceled}) if it is still queued or ringing. */
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
     */
    public <T> Flux<BulkResult<T>> updateAll(Publisher<BulkCommand<T>> commands, BulkOptions options) {
        return bulk.run(commands, options == null ? BulkOptions.DEFAULT : options);
    }

    /** {@link #updateAll(Publisher, BulkOptions)} with {@link BulkOptions#DEFAULT}. */
    public <T> Flux<BulkResult<T>> updateAll(Publisher<BulkCommand<T>> commands) {
        return updateAll(commands, BulkOptions.DEFAULT);
    }

    /** Hangs up every call of {@code callSids}; each result's correlation value is its SID. */
    public Flux<BulkResult<String>> hangupAll(Publisher<String> callSids, BulkOptions options) {
        return updateAll(Flux.from(callSids).map(BulkCommand::hangup), options);
    }

    /** {@link #hangupAll(Publisher, BulkOptions)} with {@link BulkOptions#DEFAULT}. */
    public Flux<BulkResult<String>> hangupAll(Publisher<String> callSids) {
        return hangupAll(callSids, BulkOptions.DEFAULT);
    }

    /** Cancels every call of {@code callSids} that is still queued or ringing. */
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

    /** Like {@link #close()}, without waiting: resources are released when the returned {@code Mono} is subscribed. */
    public Mono<Void> closeLater() {
        transport.close();
        Mono<Void> pool = ownedPool == null ? Mono.empty() : ownedPool.disposeLater();
        Mono<Void> loops = ownedLoops == null ? Mono.empty()
                : ownedLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(5));
        return pool.then(loops);
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
