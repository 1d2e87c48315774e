package dev.callflux.testkit;

import dev.callflux.core.encoding.CallJson;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * How a {@link TwilioSimulator} handles a request, in the order of the steps listed there: routing (and the
 * pause), the method, authentication, the form, the concurrency limit and rate limiting, the latency, the drawn
 * fault, the update and the answer (written by a {@link ServedRequest}). Reads the simulator's frozen {@link SimulatorSettings} and records in
 * its {@link Ledger}; never blocks.
 */
final class RequestPipeline {

    private static final Pattern PATH = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)\\.json");
    private static final byte[] EMPTY = new byte[0];

    private final SimulatorSettings settings;
    private final Ledger ledger;
    private final Auth auth;
    /** Whether the simulator is paused: requests that arrive then are reset ({@link Fault#DOWN}). */
    private final BooleanSupplier paused;

    RequestPipeline(SimulatorSettings settings, Ledger ledger, BooleanSupplier paused) {
        this.settings = settings;
        this.ledger = ledger;
        this.paused = paused;
        Map<String, Auth.Principal> principals = new LinkedHashMap<>();
        settings.accounts().forEach((sid, token) -> principals.put(sid, new Auth.Principal(token, sid)));
        principals.putAll(settings.apiKeys());
        this.auth = new Auth(principals, settings.parentOf());
    }

    /** Handles one request: the steps of {@link TwilioSimulator}'s list, in order. */
    Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        ledger.recordRequest();
        ServedRequest served = new ServedRequest(req, res, settings, ledger);
        return req.receive().aggregate().asByteArray()
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> process(served, body))
                .onErrorResume(e -> served.unexpected(e))
                .doFinally(signal -> served.release());
    }

    /** Steps 1 to 5, then the latency, then {@link #finish}. */
    private Mono<Void> process(ServedRequest served, byte[] body) {
        try {
            String[] sids = route(served.req.uri());
            String account = sids[0];
            String callSid = sids[1];
            CallEntry entry = ledger.entry(callSid);
            int index = entry.nextIndex();
            if (paused.getAsBoolean()) {
                return served.down(entry);
            }
            if (!HttpMethod.POST.equals(served.req.method())) {
                served.res.header(HttpHeaderNames.ALLOW, "POST");
                throw new Rejection(405, TwilioErrors.METHOD_NOT_ALLOWED, "Method not allowed");
            }
            auth.check(served.req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION), account);
            int inFlight = served.acquire(account);
            FormRules.checkContentType(served.req.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE));
            Map<String, String> form = FormRules.decodeAndValidate(body);
            if (settings.concurrencyLimit() > 0 && inFlight > settings.concurrencyLimit()) {
                entry.recordRateLimited();
                return served.tooManyRequests();
            }
            if (settings.rateLimitedFraction() > 0
                    && Decisions.uniform(settings.seed(), callSid, index, Decisions.Knob.RATE_LIMIT) < settings.rateLimitedFraction()) {
                entry.recordRateLimited();
                return served.tooManyRequests();
            }
            Duration delay = latency(entry, index);
            Mono<Void> rest = Mono.defer(() -> finish(served, account, entry, index, form));
            return delay.isZero() ? rest : served.delay(delay).then(rest);
        } catch (Rejection r) {
            return served.reject(r);
        }
    }

    /** Steps 7 to 9: faults before or after the update, the update, the answer. */
    private Mono<Void> finish(ServedRequest served, String account, CallEntry entry, int index, Map<String, String> form) {
        if (paused.getAsBoolean()) {
            return served.down(entry); // went down during the latency
        }
        Fault fault = settings.faults().draw(settings.seed(), entry.sid, index);
        if (fault != null && !settings.faultsAfterApply()) {
            return served.fault(fault, entry, index, null);
        }
        Call call = null;
        Rejection rejection = null;
        try {
            call = entry.apply(account, form, settings.knownCallsOnly(), settings.initialStatus(),
                    endsOnItsOwn(entry.sid), ZonedDateTime.now(ZoneOffset.UTC));
        } catch (Rejection r) {
            rejection = r;
        }
        if (fault != null) {
            return served.fault(fault, entry, index, call);
        }
        return rejection != null ? served.reject(rejection) : served.send(200, CallJson.write(call));
    }

    /**
     * Whether the call {@code callSid}, if created on first sight now, has already ended on its own
     * ({@link TwilioSimulator.Builder#alreadyEndedFraction(double)}): one draw per SID, the same for every request.
     */
    private boolean endsOnItsOwn(String callSid) {
        double p = settings.alreadyEndedFraction();
        return p > 0 && Decisions.uniform(settings.seed(), callSid, 0, Decisions.Knob.ALREADY_ENDED) < p;
    }

    private Duration latency(CallEntry entry, int index) {
        String callSid = entry.sid;
        Duration d = settings.latency();
        if (settings.slowFraction() > 0
                && Decisions.uniform(settings.seed(), callSid, index, Decisions.Knob.SLOW) < settings.slowFraction()) {
            ledger.recordFault(Fault.SLOW);
            entry.recordFault();
            d = d.plus(settings.slowExtra());
        }
        if (!settings.latencyJitter().isZero()) {
            double u = Decisions.uniform(settings.seed(), callSid, index, Decisions.Knob.JITTER);
            d = d.plusNanos((long) (u * (settings.latencyJitter().toNanos() + 1)));
        }
        return d;
    }

    /** The account and call SIDs of the path, or a 404. */
    private static String[] route(String uri) {
        String path = uri;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.startsWith("http://") || path.startsWith("https://")) {
            int slash = path.indexOf('/', path.indexOf("//") + 2);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches() || !AccountSid.isValid(m.group(1)) || !CallSid.isValid(m.group(2))) {
            throw Rejection.notFound(TwilioErrors.quote(path, 200));
        }
        return new String[] {m.group(1), m.group(2)};
    }
}
