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
        this.request = Objects.requireNonNull(request, "request");
        this.correlation = correlation;
        this.accountSid = accountSid;
    }

    /** Applies {@code request} to {@code callSid} in the client's account. */
    public static <T> BulkCommand<T> of(String callSid, UpdateCallRequest request, T correlation) {
        return new BulkCommand<>(callSid, request, correlation, null);
    }

    /** Hangs up {@code callSid}; the SID is also the correlation value. */
    public static BulkCommand<String> hangup(String callSid) {
        return new BulkCommand<>(callSid, UpdateCallRequest.hangup(), callSid, null);
    }

    /** The same command for a call of another account (a subaccount, say). */
    public BulkCommand<T> inAccount(AccountSid account) {
        return new BulkCommand<>(callSid, request, correlation, Objects.requireNonNull(account, "account"));
    }

    /** The call SID as given (checked when the command runs). */
    public String callSid() {
        return callSid;
    }

    public UpdateCallRequest request() {
        return request;
    }

    public T correlation() {
        return correlation;
    }

    /** The account of the call, or {@code null} for the client's account. */
    public AccountSid accountSid() {
        return accountSid;
    }

    @Override
    public String toString() {
        return "BulkCommand{callSid=" + callSid + ", request=" + request + ", correlation=" + correlation + '}';
    }
}
