package dev.callflux.reactor.bulk;

import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.UpdateCallRequest;
import java.util.Objects;

/**
 * One update of a bulk run: a call SID, the request to apply to it, and the caller's correlation value,
 * which comes back on the command's {@link BulkResult}.
 *
 * <p>The SID is kept as given and checked when the command runs, so a malformed SID (a bad line of an
 * input file, say) yields a failed result naming the rule instead of ending the batch.
 *
 * @param <T> the caller's correlation value: a line number, a database key, a Kafka offset...
 */
public final class BulkCommand<T> {

    private final String callSid;
    private final UpdateCallRequest request;
    private final T correlation;
    private final AccountSid accountSid;

    private BulkCommand(String callSid, UpdateCallRequest request, T correlation, AccountSid accountSid) {
        this.callSid = callSid;
        this.request = Objects.requireNonNull(request, "UpdateCallRequest is required");
        this.correlation = correlation;
        this.accountSid = accountSid;
    }

    /**
     * Applies {@code request} to {@code callSid} in the client's account.
     *
     * @param <T>         the correlation value's type
     * @param callSid     the call's SID as given, malformed or {@code null} even: checked when the command runs
     * @param request     the update; {@code null} throws {@link NullPointerException}
     * @param correlation the caller's value returned on the result; may be {@code null}
     * @return a command in the client's account
     */
    public static <T> BulkCommand<T> of(String callSid, UpdateCallRequest request, T correlation) {
        return new BulkCommand<>(callSid, request, correlation, null);
    }

    /**
     * Hangs up {@code callSid}; the SID is also the correlation value.
     *
     * @param callSid the call's SID as given, checked when the command runs
     * @return a {@code Status=completed} command in the client's account
     */
    public static BulkCommand<String> hangup(String callSid) {
        return new BulkCommand<>(callSid, UpdateCallRequest.hangup(), callSid, null);
    }

    /**
     * The same command for a call of another account (a subaccount, say).
     *
     * @param account the account that owns the call; {@code null} throws {@link NullPointerException}
     * @return a new command; this one is unchanged
     */
    public BulkCommand<T> inAccount(AccountSid account) {
        return new BulkCommand<>(callSid, request, correlation, Objects.requireNonNull(account, "AccountSid is required"));
    }

    /**
     * The call SID as given (checked when the command runs).
     *
     * @return the SID exactly as passed to the factory, possibly malformed or {@code null}
     */
    public String callSid() {
        return callSid;
    }

    /**
     * The update to apply.
     *
     * @return the request, never {@code null}
     */
    public UpdateCallRequest request() {
        return request;
    }

    /**
     * The caller's value, handed back on this command's {@link BulkResult}.
     *
     * @return the correlation value as given, possibly {@code null}
     */
    public T correlation() {
        return correlation;
    }

    /**
     * The account of the call, or {@code null} for the client's account.
     *
     * @return the account set by {@link #inAccount(AccountSid)}, or {@code null}
     */
    public AccountSid accountSid() {
        return accountSid;
    }

    @Override
    public String toString() {
        return "BulkCommand{callSid=" + callSid + ", request=" + request + ", correlation=" + correlation + '}';
    }
}
