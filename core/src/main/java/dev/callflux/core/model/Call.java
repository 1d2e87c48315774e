package dev.callflux.core.model;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Call resource Twilio returns from UpdateCall: all 26 properties of the official schema
 * ({@code api.v2010.account.call}).
 *
 * <p>Properties are as Twilio gives them, typed where Twilio's type is fixed: the {@link #status()} is a
 * {@link CallStatus} (never {@code null}; unknown values are {@link CallStatus#UNKNOWN}), the four dates are
 * {@link ZonedDateTime}s. Any other property may be {@code null} when Twilio sends {@code null} or omits
 * it. {@link #durationValue()}, {@link #priceValue()} and {@link #queueTimeValue()} parse the numeric
 * strings. Immutable and thread-safe.
 *
 * <p>{@link #toString()} leaves out phone numbers and names, which are personal data.
 */
public final class Call {
    private final String sid;
    private final ZonedDateTime dateCreated;
    private final ZonedDateTime dateUpdated;
    private final String parentCallSid;
    private final String accountSid;
    private final String to;
    private final String toFormatted;
    private final String from;
    private final String fromFormatted;
    private final String phoneNumberSid;
    private final CallStatus status;
    private final String statusValue;
    private final ZonedDateTime startTime;
    private final ZonedDateTime endTime;
    private final String duration;
    private final String price;
    private final String priceUnit;
    private final String direction;
    private final String answeredBy;
    private final String apiVersion;
    private final String forwardedFrom;
    private final String groupSid;
    private final String callerName;
    private final String queueTime;
    private final String trunkSid;
    private final String uri;
    private final Map<String, String> subresourceUris;

    private Call(Builder b) {
        this.sid = b.sid;
        this.dateCreated = b.dateCreated;
        this.dateUpdated = b.dateUpdated;
        this.parentCallSid = b.parentCallSid;
        this.accountSid = b.accountSid;
        this.to = b.to;
        this.toFormatted = b.toFormatted;
        this.from = b.from;
        this.fromFormatted = b.fromFormatted;
        this.phoneNumberSid = b.phoneNumberSid;
        this.statusValue = b.statusValue;
        this.status = CallStatus.fromValue(b.statusValue);
        this.startTime = b.startTime;
        this.endTime = b.endTime;
        this.duration = b.duration;
        this.price = b.price;
        this.priceUnit = b.priceUnit;
        this.direction = b.direction;
        this.answeredBy = b.answeredBy;
        this.apiVersion = b.apiVersion;
        this.forwardedFrom = b.forwardedFrom;
        this.groupSid = b.groupSid;
        this.callerName = b.callerName;
        this.queueTime = b.queueTime;
        this.trunkSid = b.trunkSid;
        this.uri = b.uri;
        this.subresourceUris = b.subresourceUris == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.subresourceUris));
    }

    /**
     * Starts a call with every property unset.
     *
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this call's values.
     *
     * @return a new builder; changing it leaves this call unchanged
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.sid = sid;
        b.dateCreated = dateCreated;
        b.dateUpdated = dateUpdated;
        b.parentCallSid = parentCallSid;
        b.accountSid = accountSid;
        b.to = to;
        b.toFormatted = toFormatted;
        b.from = from;
        b.fromFormatted = fromFormatted;
        b.phoneNumberSid = phoneNumberSid;
        b.statusValue = statusValue;
        b.startTime = startTime;
        b.endTime = endTime;
        b.duration = duration;
        b.price = price;
        b.priceUnit = priceUnit;
        b.direction = direction;
        b.answeredBy = answeredBy;
        b.apiVersion = apiVersion;
        b.forwardedFrom = forwardedFrom;
        b.groupSid = groupSid;
        b.callerName = callerName;
        b.queueTime = queueTime;
        b.trunkSid = trunkSid;
        b.uri = uri;
        b.subresourceUris = subresourceUris;
        return b;
    }

    /**
     * The SID of this call: {@code CA} and 32 hex digits. <i>JSON: {@code sid}</i>
     *
     * @return the call SID, or {@code null} if the response had none
     */
    public String sid() {
        return sid;
    }

    /**
     * When the call resource was created (UTC). <i>JSON: {@code date_created}</i>
     *
     * @return the creation time, or {@code null} if absent
     */
    public ZonedDateTime dateCreated() {
        return dateCreated;
    }

    /**
     * When the call resource was last updated (UTC). <i>JSON: {@code date_updated}</i>
     *
     * @return the time of the last update, or {@code null} if absent
     */
    public ZonedDateTime dateUpdated() {
        return dateUpdated;
    }

    /**
     * The SID of the call that created this leg. <i>JSON: {@code parent_call_sid}</i>
     *
     * @return the parent call's SID, or {@code null} for a call that has no parent
     */
    public String parentCallSid() {
        return parentCallSid;
    }

    /**
     * The SID of the account that created the call. <i>JSON: {@code account_sid}</i>
     *
     * @return the account SID as received (not validated), or {@code null} if absent
     */
    public String accountSid() {
        return accountSid;
    }

    /**
     * Who received the call: E.164 number, SIP address, {@code client:} or {@code sim:} identifier. <i>JSON: {@code to}</i>
     *
     * @return the callee's address as Twilio sent it, or {@code null} if absent
     */
    public String to() {
        return to;
    }

    /**
     * {@link #to()} formatted for display. <i>JSON: {@code to_formatted}</i>
     *
     * @return the display form, e.g. {@code "(415) 867-5309"}, or {@code null} if absent
     */
    public String toFormatted() {
        return toFormatted;
    }

    /**
     * Who made the call: E.164 number, SIP address, {@code client:} or {@code sim:} identifier. <i>JSON: {@code from}</i>
     *
     * @return the caller's address as Twilio sent it, or {@code null} if absent
     */
    public String from() {
        return from;
    }

    /**
     * {@link #from()} formatted for display. <i>JSON: {@code from_formatted}</i>
     *
     * @return the display form, e.g. {@code "(415) 867-5309"}, or {@code null} if absent
     */
    public String fromFormatted() {
        return fromFormatted;
    }

    /**
     * The IncomingPhoneNumber (inbound) or OutgoingCallerId (outbound) SID. <i>JSON: {@code phone_number_sid}</i>
     *
     * @return the phone number's SID ({@code PN...}), or {@code null} if absent
     */
    public String phoneNumberSid() {
        return phoneNumberSid;
    }

    /**
     * The call's status; {@link CallStatus#UNKNOWN} when missing, {@code null} or new. Never {@code null}.
     *
     * @return the parsed status, {@link CallStatus#UNKNOWN} rather than {@code null}
     */
    public CallStatus status() {
        return status;
    }

    /**
     * The status exactly as Twilio sent it ({@code "in-progress"}, ...), or {@code null}.
     *
     * @return the raw status text, possibly one {@link CallStatus} does not know; {@code null} if Twilio sent none
     */
    public String statusValue() {
        return statusValue;
    }

    /**
     * When the call started; {@code null} if not yet dialed. <i>JSON: {@code start_time}</i>
     *
     * @return the start time, or {@code null} before the call is dialed
     */
    public ZonedDateTime startTime() {
        return startTime;
    }

    /**
     * When the call ended; {@code null} if it did not complete. <i>JSON: {@code end_time}</i>
     *
     * @return the end time; {@code null} while the call is still going or if it did not complete
     */
    public ZonedDateTime endTime() {
        return endTime;
    }

    /**
     * The call's length in seconds, as Twilio gives it; see {@link #durationValue()}. <i>JSON: {@code duration}</i>
     *
     * @return whole seconds as text (e.g. {@code "42"}), or {@code null} while the call is ongoing
     */
    public String duration() {
        return duration;
    }

    /**
     * The call's charge, as Twilio gives it (e.g. {@code "-0.03000"}); see {@link #priceValue()}. <i>JSON: {@code price}</i>
     *
     * @return a decimal string, or {@code null} until Twilio has priced the call
     */
    public String price() {
        return price;
    }

    /**
     * The ISO 4217 currency of {@link #price()}. <i>JSON: {@code price_unit}</i>
     *
     * @return a currency code such as {@code "USD"}, or {@code null} if absent
     */
    public String priceUnit() {
        return priceUnit;
    }

    /**
     * {@code inbound}, {@code outbound-api}, {@code outbound-dial}, {@code trunking-terminating} or {@code trunking-originating}. <i>JSON: {@code direction}</i>
     *
     * @return the direction as Twilio spells it (not checked against this list), or {@code null}
     */
    public String direction() {
        return direction;
    }

    /**
     * {@code human} or {@code machine} with answering machine detection. <i>JSON: {@code answered_by}</i>
     *
     * @return the detection result as Twilio spells it, or {@code null} when detection was not used
     */
    public String answeredBy() {
        return answeredBy;
    }

    /**
     * The API version used to create the call. <i>JSON: {@code api_version}</i>
     *
     * @return the version, e.g. {@code "2010-04-01"}, or {@code null} if absent
     */
    public String apiVersion() {
        return apiVersion;
    }

    /**
     * The forwarding number of a forwarded incoming call. <i>JSON: {@code forwarded_from}</i>
     *
     * @return the forwarding number, or {@code null} if the call was not forwarded or the carrier did not say
     */
    public String forwardedFrom() {
        return forwardedFrom;
    }

    /**
     * The SID of the call's Group. <i>JSON: {@code group_sid}</i>
     *
     * @return the Group SID, or {@code null} if the call belongs to no group
     */
    public String groupSid() {
        return groupSid;
    }

    /**
     * The caller's name, with caller ID lookup. <i>JSON: {@code caller_name}</i>
     *
     * @return the name, or {@code null} without caller ID lookup
     */
    public String callerName() {
        return callerName;
    }

    /**
     * Wait time in milliseconds before the call was placed, as Twilio gives it; see {@link #queueTimeValue()}. <i>JSON: {@code queue_time}</i>
     *
     * @return milliseconds as text (e.g. {@code "1000"}), or {@code null} if absent
     */
    public String queueTime() {
        return queueTime;
    }

    /**
     * The SIP trunk used for the call. <i>JSON: {@code trunk_sid}</i>
     *
     * @return the trunk's SID ({@code TK...}); {@code null} or empty if the call did not use a SIP trunk
     */
    public String trunkSid() {
        return trunkSid;
    }

    /**
     * This resource's URI, relative to {@code https://api.twilio.com}. <i>JSON: {@code uri}</i>
     *
     * @return a path such as {@code /2010-04-01/Accounts/AC.../Calls/CA....json}, or {@code null} if absent
     */
    public String uri() {
        return uri;
    }

    /**
     * The call's subresources (recordings, notifications, ...) by name; empty when absent. <i>JSON: {@code subresource_uris}</i>
     *
     * @return an unmodifiable map from subresource name to relative URI; never {@code null}
     */
    public Map<String, String> subresourceUris() {
        return subresourceUris;
    }

    /**
     * {@link #duration()} as a {@link Duration}; empty while the call is ongoing or did not connect.
     *
     * @return the duration, or empty when {@link #duration()} is {@code null} or blank
     * @throws NumberFormatException if {@link #duration()} is not a whole number
     */
    public Optional<Duration> durationValue() {
        return blank(duration) ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(duration.trim())));
    }

    /**
     * {@link #price()} as a number, in {@link #priceUnit()}; empty until Twilio has priced the call.
     *
     * @return the price, or empty when {@link #price()} is {@code null} or blank
     * @throws NumberFormatException if {@link #price()} is not a decimal number
     */
    public Optional<BigDecimal> priceValue() {
        return blank(price) ? Optional.empty() : Optional.of(new BigDecimal(price.trim()));
    }

    /**
     * {@link #queueTime()} (milliseconds) as a {@link Duration}.
     *
     * @return the queue time, or empty when {@link #queueTime()} is {@code null} or blank
     * @throws NumberFormatException if {@link #queueTime()} is not a whole number
     */
    public Optional<Duration> queueTimeValue() {
        return blank(queueTime) ? Optional.empty() : Optional.of(Duration.ofMillis(Long.parseLong(queueTime.trim())));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Call)) {
            return false;
        }
        Call c = (Call) o;
        return Objects.equals(sid, c.sid)
                && Objects.equals(dateCreated, c.dateCreated)
                && Objects.equals(dateUpdated, c.dateUpdated)
                && Objects.equals(parentCallSid, c.parentCallSid)
                && Objects.equals(accountSid, c.accountSid)
                && Objects.equals(to, c.to)
                && Objects.equals(toFormatted, c.toFormatted)
                && Objects.equals(from, c.from)
                && Objects.equals(fromFormatted, c.fromFormatted)
                && Objects.equals(phoneNumberSid, c.phoneNumberSid)
                && Objects.equals(statusValue, c.statusValue)
                && Objects.equals(startTime, c.startTime)
                && Objects.equals(endTime, c.endTime)
                && Objects.equals(duration, c.duration)
                && Objects.equals(price, c.price)
                && Objects.equals(priceUnit, c.priceUnit)
                && Objects.equals(direction, c.direction)
                && Objects.equals(answeredBy, c.answeredBy)
                && Objects.equals(apiVersion, c.apiVersion)
                && Objects.equals(forwardedFrom, c.forwardedFrom)
                && Objects.equals(groupSid, c.groupSid)
                && Objects.equals(callerName, c.callerName)
                && Objects.equals(queueTime, c.queueTime)
                && Objects.equals(trunkSid, c.trunkSid)
                && Objects.equals(uri, c.uri)
                && Objects.equals(subresourceUris, c.subresourceUris);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sid, dateCreated, dateUpdated, parentCallSid, accountSid, to, toFormatted, from,
                fromFormatted, phoneNumberSid, statusValue, startTime, endTime, duration, price, priceUnit, direction,
                answeredBy, apiVersion, forwardedFrom, groupSid, callerName, queueTime, trunkSid, uri, subresourceUris);
    }

    @Override
    public String toString() {
        return "Call{sid=" + sid + ", accountSid=" + accountSid + ", status=" + (statusValue == null ? status : statusValue)
                + ", direction=" + direction + ", duration=" + duration + ", endTime=" + endTime + '}';
    }

    /** Sets a call's properties; used by the JSON decoder, simulators and tests. */
    public static final class Builder {
        private String sid;
        private ZonedDateTime dateCreated;
        private ZonedDateTime dateUpdated;
        private String parentCallSid;
        private String accountSid;
        private String to;
        private String toFormatted;
        private String from;
        private String fromFormatted;
        private String phoneNumberSid;
        private String statusValue;
        private ZonedDateTime startTime;
        private ZonedDateTime endTime;
        private String duration;
        private String price;
        private String priceUnit;
        private String direction;
        private String answeredBy;
        private String apiVersion;
        private String forwardedFrom;
        private String groupSid;
        private String callerName;
        private String queueTime;
        private String trunkSid;
        private String uri;
        private Map<String, String> subresourceUris;

        private Builder() {
        }

        /**
         * Sets {@link Call#sid()}; not validated.
         *
         * @param sid the call SID, or {@code null} for none
         * @return this builder
         */
        public Builder sid(String sid) {
            this.sid = sid;
            return this;
        }

        /**
         * Sets {@link Call#dateCreated()}.
         *
         * @param dateCreated the creation time, or {@code null} for none
         * @return this builder
         */
        public Builder dateCreated(ZonedDateTime dateCreated) {
            this.dateCreated = dateCreated;
            return this;
        }

        /**
         * Sets {@link Call#dateUpdated()}.
         *
         * @param dateUpdated the time of the last update, or {@code null} for none
         * @return this builder
         */
        public Builder dateUpdated(ZonedDateTime dateUpdated) {
            this.dateUpdated = dateUpdated;
            return this;
        }

        /**
         * Sets {@link Call#parentCallSid()}; not validated.
         *
         * @param parentCallSid the parent call's SID, or {@code null} for none
         * @return this builder
         */
        public Builder parentCallSid(String parentCallSid) {
            this.parentCallSid = parentCallSid;
            return this;
        }

        /**
         * Sets {@link Call#accountSid()}; not validated.
         *
         * @param accountSid the account SID, or {@code null} for none
         * @return this builder
         */
        public Builder accountSid(String accountSid) {
            this.accountSid = accountSid;
            return this;
        }

        /**
         * Sets {@link Call#to()}.
         *
         * @param to the callee's address, or {@code null} for none
         * @return this builder
         */
        public Builder to(String to) {
            this.to = to;
            return this;
        }

        /**
         * Sets {@link Call#toFormatted()}.
         *
         * @param toFormatted the callee's address for display, or {@code null} for none
         * @return this builder
         */
        public Builder toFormatted(String toFormatted) {
            this.toFormatted = toFormatted;
            return this;
        }

        /**
         * Sets {@link Call#from()}.
         *
         * @param from the caller's address, or {@code null} for none
         * @return this builder
         */
        public Builder from(String from) {
            this.from = from;
            return this;
        }

        /**
         * Sets {@link Call#fromFormatted()}.
         *
         * @param fromFormatted the caller's address for display, or {@code null} for none
         * @return this builder
         */
        public Builder fromFormatted(String fromFormatted) {
            this.fromFormatted = fromFormatted;
            return this;
        }

        /**
         * Sets {@link Call#phoneNumberSid()}; not validated.
         *
         * @param phoneNumberSid the phone number's SID, or {@code null} for none
         * @return this builder
         */
        public Builder phoneNumberSid(String phoneNumberSid) {
            this.phoneNumberSid = phoneNumberSid;
            return this;
        }

        /**
         * The status as Twilio spells it; unknown values become {@link CallStatus#UNKNOWN}.
         *
         * @param value the status text, e.g. {@code "in-progress"}, kept as {@link Call#statusValue()}; or {@code null}
         * @return this builder
         */
        public Builder status(String value) {
            this.statusValue = value;
            return this;
        }

        /**
         * Sets the status from a constant. {@code null} and {@link CallStatus#UNKNOWN} both clear it: the built call's
         * {@link Call#statusValue()} is then {@code null}.
         *
         * @param status the status, or {@code null}
         * @return this builder
         */
        public Builder status(CallStatus status) {
            this.statusValue = status == null || status == CallStatus.UNKNOWN ? null : status.value();
            return this;
        }

        /**
         * Sets {@link Call#startTime()}.
         *
         * @param startTime the start time, or {@code null} for none
         * @return this builder
         */
        public Builder startTime(ZonedDateTime startTime) {
            this.startTime = startTime;
            return this;
        }

        /**
         * Sets {@link Call#endTime()}.
         *
         * @param endTime the end time, or {@code null} for none
         * @return this builder
         */
        public Builder endTime(ZonedDateTime endTime) {
            this.endTime = endTime;
            return this;
        }

        /**
         * Sets {@link Call#duration()}; not parsed until {@link Call#durationValue()}.
         *
         * @param duration whole seconds as text, or {@code null} for none
         * @return this builder
         */
        public Builder duration(String duration) {
            this.duration = duration;
            return this;
        }

        /**
         * Sets {@link Call#price()}; not parsed until {@link Call#priceValue()}.
         *
         * @param price a decimal string such as {@code "-0.03000"}, or {@code null} for none
         * @return this builder
         */
        public Builder price(String price) {
            this.price = price;
            return this;
        }

        /**
         * Sets {@link Call#priceUnit()}.
         *
         * @param priceUnit an ISO 4217 currency code, or {@code null} for none
         * @return this builder
         */
        public Builder priceUnit(String priceUnit) {
            this.priceUnit = priceUnit;
            return this;
        }

        /**
         * Sets {@link Call#direction()}; not validated.
         *
         * @param direction the direction as Twilio spells it, or {@code null} for none
         * @return this builder
         */
        public Builder direction(String direction) {
            this.direction = direction;
            return this;
        }

        /**
         * Sets {@link Call#answeredBy()}.
         *
         * @param answeredBy the detection result, or {@code null} for none
         * @return this builder
         */
        public Builder answeredBy(String answeredBy) {
            this.answeredBy = answeredBy;
            return this;
        }

        /**
         * Sets {@link Call#apiVersion()}.
         *
         * @param apiVersion the API version, or {@code null} for none
         * @return this builder
         */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        /**
         * Sets {@link Call#forwardedFrom()}.
         *
         * @param forwardedFrom the forwarding number, or {@code null} for none
         * @return this builder
         */
        public Builder forwardedFrom(String forwardedFrom) {
            this.forwardedFrom = forwardedFrom;
            return this;
        }

        /**
         * Sets {@link Call#groupSid()}; not validated.
         *
         * @param groupSid the Group SID, or {@code null} for none
         * @return this builder
         */
        public Builder groupSid(String groupSid) {
            this.groupSid = groupSid;
            return this;
        }

        /**
         * Sets {@link Call#callerName()}.
         *
         * @param callerName the caller's name, or {@code null} for none
         * @return this builder
         */
        public Builder callerName(String callerName) {
            this.callerName = callerName;
            return this;
        }

        /**
         * Sets {@link Call#queueTime()}; not parsed until {@link Call#queueTimeValue()}.
         *
         * @param queueTime milliseconds as text, or {@code null} for none
         * @return this builder
         */
        public Builder queueTime(String queueTime) {
            this.queueTime = queueTime;
            return this;
        }

        /**
         * Sets {@link Call#trunkSid()}; not validated.
         *
         * @param trunkSid the trunk's SID, or {@code null} for none
         * @return this builder
         */
        public Builder trunkSid(String trunkSid) {
            this.trunkSid = trunkSid;
            return this;
        }

        /**
         * Sets {@link Call#uri()}.
         *
         * @param uri the resource's relative URI, or {@code null} for none
         * @return this builder
         */
        public Builder uri(String uri) {
            this.uri = uri;
            return this;
        }

        /**
         * Sets {@link Call#subresourceUris()}; the map is copied, in its iteration order, by {@link #build()}.
         *
         * @param subresourceUris subresource names to relative URIs, or {@code null} for none
         * @return this builder
         */
        public Builder subresourceUris(Map<String, String> subresourceUris) {
            this.subresourceUris = subresourceUris;
            return this;
        }

        /**
         * Builds the call. Nothing is validated, so this never throws.
         *
         * @return a new, immutable call
         */
        public Call build() {
            return new Call(this);
        }
    }
}
