package dev.callflux.testkit;

import dev.callflux.core.model.Call;
import dev.callflux.core.model.Call.Property;
import dev.callflux.core.model.CallStatus;
import dev.callflux.core.model.UpdateCallParameter;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One call SID: its request count, its state machine and its ledger counters. The state is guarded by the
 * entry's monitor, held only for short, non-blocking sections.
 */
final class CallEntry {

    static final String API_VERSION = "2010-04-01";
    /** A plausible per-minute rate for an outbound call to a US number. */
    private static final double PRICE_PER_MINUTE = 0.014;
    private static final String[] AREA_CODES = {"212", "312", "646", "718", "917", "206", "303", "512", "617", "702"};

    final String sid;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();

    // Guarded by this.
    private String owner;
    private CallStatus status = CallStatus.UNKNOWN;
    private ZonedDateTime created;
    private ZonedDateTime updated;
    private ZonedDateTime start;
    private ZonedDateTime end;
    private String duration;
    private String price;
    private int updates;
    private int hangups;
    private int redirects;
    private int notInProgress;
    private final List<Map<String, String>> applied = new ArrayList<>();

    CallEntry(String sid) {
        this.sid = sid;
    }

    /** A call that exists before any request, owned by {@code owner}. */
    static CallEntry preregistered(String sid, String owner, CallStatus status, ZonedDateTime now) {
        CallEntry e = new CallEntry(sid);
        synchronized (e) {
            e.create(owner, status, now);
        }
        return e;
    }

    /** Counts a request for this SID and returns its index (0 for the first). */
    int nextIndex() {
        return requests.getAndIncrement();
    }

    int requests() {
        return requests.get();
    }

    /** Counts a request for this SID that met an injected fault (see {@link Fault}). */
    void recordFault() {
        faults.incrementAndGet();
    }

    /** Counts a request for this SID answered 429. */
    void recordRateLimited() {
        rateLimited.incrementAndGet();
    }

    /**
     * Applies an update (step 8).
     *
     * @param endsOnItsOwn whether a call created here on first sight has already ended on its own
     *                     ({@code alreadyEndedFraction}); ignored for a call that exists
     * @return the call after the update
     * @throws Rejection 404 when the call does not exist here (or belongs to another account), 400 code 21220
     *                   for any update of an ended call (counted by {@link CallRecord#notInProgressAnswers()},
     *                   not applied)
     */
    synchronized Call apply(String pathAccount, Map<String, String> form, boolean knownCallsOnly,
            CallStatus firstSightStatus, boolean endsOnItsOwn, ZonedDateTime now) {
        if (status == CallStatus.UNKNOWN) {
            if (knownCallsOnly) {
                throw Rejection.notFound(uri(pathAccount));
            }
            create(pathAccount, firstSightStatus, now);
            if (endsOnItsOwn && !status.isEnded()) {
                endOnItsOwn(now);
            }
        } else if (!owner.equals(pathAccount)) {
            throw Rejection.notFound(uri(pathAccount));
        }
        String newStatus = form.get(UpdateCallParameter.STATUS.wireName());
        boolean redirect = form.containsKey(UpdateCallParameter.URL.wireName())
                || form.containsKey(UpdateCallParameter.TWIML.wireName());
        if (status.isEnded()) {
            // Twilio refuses every update of a call that is no longer live, a hang-up or cancel included.
            notInProgress++;
            throw new Rejection(400, TwilioErrors.NOT_IN_PROGRESS, redirect && newStatus == null
                    ? "Call is not in-progress. Cannot redirect."
                    : "Call is not in-progress. Cannot update.");
        }
        if ("completed".equals(newStatus)) {
            end(CallStatus.COMPLETED, now);
            hangups++;
        } else if ("canceled".equals(newStatus) && (status == CallStatus.QUEUED || status == CallStatus.RINGING)) {
            end(CallStatus.CANCELED, now);
            hangups++;
        } else if (redirect) {
            redirects++;
        }
        updates++;
        applied.add(form);
        updated = now;
        return toCall();
    }

    /** Must hold the monitor. */
    private void create(String account, CallStatus initial, ZonedDateTime now) {
        long h = Decisions.mix(Decisions.fnv1a(sid));
        long ageSeconds = 5 + Math.floorMod(h, 60);
        owner = account;
        status = initial;
        created = now.minusSeconds(ageSeconds);
        updated = created;
        start = initial == CallStatus.QUEUED ? null : created.plusSeconds(1);
        end = null;
        duration = null;
        price = null;
        if (initial.isEnded()) {
            end(initial, now);
        }
    }

    /**
     * Ends a live call just created as if the callee had hung up before this request: {@code completed}, its
     * end time between its start and {@code now} (at least a second before {@code now}), its duration and
     * price set accordingly. Chosen from the SID alone, so the same SID ends the same way. Must hold the
     * monitor.
     */
    private void endOnItsOwn(ZonedDateTime now) {
        ZonedDateTime from = start != null ? start : created;
        long span = Duration.between(from, now).getSeconds(); // at least 4, see create
        long talked = 1 + Math.floorMod(Decisions.mix(Decisions.fnv1a(sid) ^ 0x454E4445L), Math.max(1, span - 1));
        ZonedDateTime at = from.plusSeconds(talked);
        end(CallStatus.COMPLETED, at);
        updated = at;
    }

    /** Must hold the monitor. */
    private void end(CallStatus ended, ZonedDateTime now) {
        status = ended;
        end = now;
        long seconds = 0;
        if (ended == CallStatus.COMPLETED && start != null) {
            Duration d = Duration.between(start, now);
            seconds = Math.max(0, d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
        }
        duration = Long.toString(seconds);
        long minutes = (seconds + 59) / 60;
        price = minutes == 0 ? "0.00000" : String.format(Locale.ROOT, "%.5f", -PRICE_PER_MINUTE * minutes);
    }

    /** Must hold the monitor. */
    private Call toCall() {
        long h = Decisions.mix(Decisions.fnv1a(sid) ^ 0x5A5AL);
        String fromLine = fourDigits(h);
        String areaCode = AREA_CODES[(int) Math.floorMod(h >>> 16, (long) AREA_CODES.length)];
        String toLine = fourDigits(h >>> 32);
        String base = uri(owner);
        String resourceBase = base.substring(0, base.length() - ".json".length());
        Map<String, String> subresources = new LinkedHashMap<>();
        subresources.put("notifications", resourceBase + "/Notifications.json");
        subresources.put("recordings", resourceBase + "/Recordings.json");
        subresources.put("payments", resourceBase + "/Payments.json");
        subresources.put("events", resourceBase + "/Events.json");
        subresources.put("siprec", resourceBase + "/Siprec.json");
        subresources.put("streams", resourceBase + "/Streams.json");
        subresources.put("transcriptions", resourceBase + "/Transcriptions.json");
        subresources.put("user_defined_message_subscriptions", resourceBase + "/UserDefinedMessageSubscriptions.json");
        subresources.put("user_defined_messages", resourceBase + "/UserDefinedMessages.json");
        return Call.builder()
                .sid(sid)
                .set(Property.ACCOUNT_SID, owner)
                .set(Property.DATE_CREATED, created.truncatedTo(ChronoUnit.SECONDS))
                .set(Property.DATE_UPDATED, updated.truncatedTo(ChronoUnit.SECONDS))
                .set(Property.START_TIME, start == null ? null : start.truncatedTo(ChronoUnit.SECONDS))
                .set(Property.END_TIME, end == null ? null : end.truncatedTo(ChronoUnit.SECONDS))
                .set(Property.DURATION, duration)
                .set(Property.PRICE, price)
                .set(Property.PRICE_UNIT, "USD")
                .status(status)
                .set(Property.DIRECTION, "outbound-api")
                .set(Property.API_VERSION, API_VERSION)
                .set(Property.FROM, "+1415555" + fromLine)
                .set(Property.FROM_FORMATTED, "(415) 555-" + fromLine)
                .set(Property.TO, "+1" + areaCode + "555" + toLine)
                .set(Property.TO_FORMATTED, "(" + areaCode + ") 555-" + toLine)
                .set(Property.PHONE_NUMBER_SID, "PN" + hex32(h))
                .set(Property.QUEUE_TIME, "0")
                .set(Property.URI, base)
                .set(Property.SUBRESOURCE_URIS, subresources)
                .build();
    }

    private String uri(String account) {
        return "/2010-04-01/Accounts/" + account + "/Calls/" + sid + ".json";
    }

    private static String fourDigits(long h) {
        return String.format(Locale.ROOT, "%04d", Math.floorMod(h, 10000L));
    }

    private static String hex32(long h) {
        long h2 = Decisions.mix(h);
        return String.format(Locale.ROOT, "%016x%016x", h, h2);
    }

    /** The call as an update would answer it now; for tests (a call that has ended is answered only with 400s). */
    synchronized Call call() {
        if (status == CallStatus.UNKNOWN) {
            throw new IllegalStateException("no such call: " + sid);
        }
        return toCall();
    }

    synchronized CallRecord snapshot() {
        return new CallRecord(sid, owner, requests.get(), updates, hangups, redirects, status, applied, rateLimited.get(),
                faults.get(), notInProgress);
    }

    synchronized int updates() {
        return updates;
    }

    synchronized int hangups() {
        return hangups;
    }

    synchronized int notInProgress() {
        return notInProgress;
    }
}
