package dev.callflux.spring.autoconfigure;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.UpdateObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.util.context.ContextView;

/**
 * The {@code callflux} health, from what the client has seen recently; it never sends a request of its own (a
 * health probe must not spend Twilio's concurrency, nor hang up anything).
 *
 * <ul>
 *   <li>{@code DOWN}: Twilio's latest answer refused the credentials (401 or 403); nothing will work until they are
 *       corrected.</li>
 *   <li>{@code OUT_OF_SERVICE}: the latest request could not connect to the endpoint (refused, unreachable, DNS,
 *       TLS handshake).</li>
 *   <li>{@code UP}: Twilio answered the latest request, success or another error (a 404 or a 429 means the
 *       endpoint is there and the credentials were accepted).</li>
 *   <li>{@code UNKNOWN}: no request answered or failed that way within the window ({@code callflux.health.window}).</li>
 * </ul>
 * Other failures (timeouts, a reset connection) leave the status as it was; details always show the latest
 * event of each kind. Details hold statuses, codes and times only, never a credential or an account's secret.
 */
public final class CallFluxHealthIndicator implements HealthIndicator, UpdateObserver {

    private enum State { REACHED, CREDENTIALS_REFUSED, UNREACHABLE }

    private record Seen(State state, Instant at, String detail) {
    }

    private final Clock clock;
    private final Duration window;
    private final AtomicReference<Seen> latest = new AtomicReference<>();

    /**
     * Creates the indicator.
     *
     * @param window how long an observation counts
     * @param clock  the time source (a fixed or test clock in tests)
     */
    public CallFluxHealthIndicator(Duration window, Clock clock) {
        this.window = Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Watches how the request ends; sends nothing.
     *
     * @param account the account in the request path
     * @param call    the call being updated
     * @param request the update
     * @param context the subscriber's Reactor context
     * @return told how the request ended
     */
    @Override
    public Attempt onRequest(AccountSid account, CallSid call, UpdateCallRequest request, ContextView context) {
        return new Attempt() {
            @Override
            public void succeeded(int status, Call answer) {
                see(State.REACHED, "HTTP " + status);
            }

            @Override
            public void failed(Throwable error) {
                if (error instanceof TwilioApiException api) {
                    int status = api.statusCode();
                    String code = api.code().isPresent() ? ", Twilio code " + api.code().getAsInt() : "";
                    see(status == 401 || status == 403 ? State.CREDENTIALS_REFUSED : State.REACHED,
                            "HTTP " + status + code);
                } else if (error instanceof CallFluxTransportException transport
                        && transport.kind() == CallFluxTransportException.Kind.CONNECT) {
                    see(State.UNREACHABLE, transport.kind().name());
                }
            }
        };
    }

    private void see(State state, String detail) {
        latest.set(new Seen(state, clock.instant(), detail));
    }

    /** The status from the latest request seen within the window; computed from memory, nothing is sent. */
    @Override
    public Health health() {
        Seen seen = latest.get();
        if (seen == null) {
            return Health.unknown().withDetail("reason", "no request sent yet").build();
        }
        if (seen.at().isBefore(clock.instant().minus(window))) {
            return Health.unknown().withDetail("reason", "no request answered within " + window)
                    .withDetail("lastSeen", seen.at().toString()).build();
        }
        Health.Builder health = switch (seen.state()) {
            case REACHED -> Health.up().withDetail("reason", "Twilio answered the latest request");
            case CREDENTIALS_REFUSED -> Health.down().withDetail("reason",
                    "Twilio refused the credentials: check callflux.account-sid, callflux.auth-token or"
                            + " callflux.api-key / callflux.api-secret (or TWILIO_*)");
            case UNREACHABLE -> Health.status(Status.OUT_OF_SERVICE).withDetail("reason",
                    "the endpoint could not be reached (no connection)");
        };
        return health.withDetail("latest", seen.detail()).withDetail("at", seen.at().toString()).build();
    }

    @Override
    public String toString() {
        Seen seen = latest.get();
        return "CallFluxHealthIndicator{" + (seen == null ? "nothing seen" : seen.state() + " at " + seen.at()) + '}';
    }
}
