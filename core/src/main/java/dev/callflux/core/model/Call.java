package dev.callflux.core.model;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Call resource Twilio returns from UpdateCall: all 26 properties of the official schema
 * ({@code api.v2010.account.call}), listed once, in {@link Property}.
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

    /** What a {@link Property} holds. */
    public enum Kind {
        /** Text ({@link String}) as Twilio sends it, numbers included. */
        TEXT(String.class),
        /** An RFC 2822 date-time ({@link ZonedDateTime}). */
        DATE(ZonedDateTime.class),
        /** A JSON object of strings ({@code Map<String, String>}), in Twilio's order. */
        MAP(Map.class);

        private final Class<?> type;

        Kind(Class<?> type) {
            this.type = type;
        }
    }

    /**
     * The properties of the Call resource: each one's JSON name and {@link Kind}, in the order Twilio writes
     * them. The JSON encoding, {@link #equals(Object)} and {@link #hashCode()} all go by this list; a new
     * property of Twilio's is a constant here and an accessor on {@link Call}.
     */
    public enum Property {
        /** {@link Call#accountSid()}. */
        ACCOUNT_SID("account_sid", Kind.TEXT),
        /** {@link Call#answeredBy()}. */
        ANSWERED_BY("answered_by", Kind.TEXT),
        /** {@link Call#apiVersion()}. */
        API_VERSION("api_version", Kind.TEXT),
        /** {@link Call#callerName()}. */
        CALLER_NAME("caller_name", Kind.TEXT),
        /** {@link Call#dateCreated()}. */
        DATE_CREATED("date_created", Kind.DATE),
        /** {@link Call#dateUpdated()}. */
        DATE_UPDATED("date_updated", Kind.DATE),
        /** {@link Call#direction()}. */
        DIRECTION("direction", Kind.TEXT),
        /** {@link Call#duration()}. */
        DURATION("duration", Kind.TEXT),
        /** {@link Call#endTime()}. */
        END_TIME("end_time", Kind.DATE),
        /** {@link Call#forwardedFrom()}. */
        FORWARDED_FROM("forwarded_from", Kind.TEXT),
        /** {@link Call#from()}. */
        FROM("from", Kind.TEXT),
        /** {@link Call#fromFormatted()}. */
        FROM_FORMATTED("from_formatted", Kind.TEXT),
        /** {@link Call#groupSid()}. */
        GROUP_SID("group_sid", Kind.TEXT),
        /** {@link Call#parentCallSid()}. */
        PARENT_CALL_SID("parent_call_sid", Kind.TEXT),
        /** {@link Call#phoneNumberSid()}. */
        PHONE_NUMBER_SID("phone_number_sid", Kind.TEXT),
        /** {@link Call#price()}. */
        PRICE("price", Kind.TEXT),
        /** {@link Call#priceUnit()}. */
        PRICE_UNIT("price_unit", Kind.TEXT),
        /** {@link Call#sid()}. */
        SID("sid", Kind.TEXT),
        /** {@link Call#startTime()}. */
        START_TIME("start_time", Kind.DATE),
        /** {@link Call#statusValue()}, which {@link Call#status()} maps to a {@link CallStatus}. */
        STATUS("status", Kind.TEXT),
        /** {@link Call#subresourceUris()}. */
        SUBRESOURCE_URIS("subresource_uris", Kind.MAP),
        /** {@link Call#to()}. */
        TO("to", Kind.TEXT),
        /** {@link Call#toFormatted()}. */
        TO_FORMATTED("to_formatted", Kind.TEXT),
        /** {@link Call#trunkSid()}. */
        TRUNK_SID("trunk_sid", Kind.TEXT),
        /** {@link Call#uri()}. */
        URI("uri", Kind.TEXT),
        /** {@link Call#queueTime()}. */
        QUEUE_TIME("queue_time", Kind.TEXT);

        private final String jsonName;
        private final Kind kind;

        Property(String jsonName, Kind kind) {
            this.jsonName = jsonName;
            this.kind = kind;
        }

        /**
         * The property's name in Twilio's JSON.
         *
         * @return the snake_case name, e.g. {@code "date_created"}
         */
        public String jsonName() {
            return jsonName;
        }

        /**
         * What the property holds.
         *
         * @return its kind, which fixes the Java type {@link Call#get(Property)} returns
         */
        public Kind kind() {
            return kind;
        }
    }

    private static final int PROPERTIES = Property.values().length;

    /** By {@link Property#ordinal()}: a {@link String}, {@link ZonedDateTime}, unmodifiable map or {@code null}. */
    private final Object[] values;
    private final CallStatus status;

    private Call(Object[] values) {
        this.values = values;
        this.status = CallStatus.fromValue((String) values[Property.STATUS.ordinal()]);
    }

    /**
     * Starts a call with every property unset.
     *
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder(new Object[PROPERTIES]);
    }

    /**
     * A builder holding this call's values.
     *
     * @return a new builder; changing it leaves this call unchanged
     */
    public Builder mutate() {
        return new Builder(values.clone());
    }

    /**
     * A property's value, as its accessor returns it.
     *
     * @param property which one
     * @return a {@link String} for {@link Kind#TEXT}, a {@link ZonedDateTime} for {@link Kind#DATE} and an
     *         unmodifiable {@code Map<String, String>} (never {@code null}) for {@link Kind#MAP}; or {@code null}
     */
    public Object get(Property property) {
        Object v = values[property.ordinal()];
        return v == null && property.kind == Kind.MAP ? Map.of() : v;
    }

    private String text(Property property) {
        return (String) values[property.ordinal()];
    }

    private ZonedDateTime date(Property property) {
        return (ZonedDateTime) values[property.ordinal()];
    }

    /**
     * The SID of this call: {@code CA} and 32 hex digits. <i>JSON: {@code sid}</i>
     *
     * @return the call SID, or {@code null} if the response had none
     */
    public String sid() {
        return text(Property.SID);
    }

    /**
     * When the call resource was created (UTC). <i>JSON: {@code date_created}</i>
     *
     * @return the creation time, or {@code null} if absent
     */
    public ZonedDateTime dateCreated() {
        return date(Property.DATE_CREATED);
    }

    /**
     * When the call resource was last updated (UTC). <i>JSON: {@code date_updated}</i>
     *
     * @return the time of the last update, or {@code null} if absent
     */
    public ZonedDateTime dateUpdated() {
        return date(Property.DATE_UPDATED);
    }

    /**
     * The SID of the call that created this leg. <i>JSON: {@code parent_call_sid}</i>
     *
     * @return the parent call's SID, or {@code null} for a call that has no parent
     */
    public String parentCallSid() {
        return text(Property.PARENT_CALL_SID);
    }

    /**
     * The SID of the account that created the call. <i>JSON: {@code account_sid}</i>
     *
     * @return the account SID as received (not validated), or {@code null} if absent
     */
    public String accountSid() {
        return text(Property.ACCOUNT_SID);
    }

    /**
     * Who received the call: E.164 number, SIP address, {@code client:} or {@code sim:} identifier. <i>JSON: {@code to}</i>
     *
     * @return the callee's address as Twilio sent it, or {@code null} if absent
     */
    public String to() {
        return text(Property.TO);
    }

    /**
     * {@link #to()} formatted for display. <i>JSON: {@code to_formatted}</i>
     *
     * @return the display form, e.g. {@code "(415) 867-5309"}, or {@code null} if absent
     */
    public String toFormatted() {
        return text(Property.TO_FORMATTED);
    }

    /**
     * Who made the call: E.164 number, SIP address, {@code client:} or {@code sim:} identifier. <i>JSON: {@code from}</i>
     *
     * @return the caller's address as Twilio sent it, or {@code null} if absent
     */
    public String from() {
        return text(Property.FROM);
    }

    /**
     * {@link #from()} formatted for display. <i>JSON: {@code from_formatted}</i>
     *
     * @return the display form, e.g. {@code "(415) 867-5309"}, or {@code null} if absent
     */
    public String fromFormatted() {
        return text(Property.FROM_FORMATTED);
    }

    /**
     * The IncomingPhoneNumber (inbound) or OutgoingCallerId (outbound) SID. <i>JSON: {@code phone_number_sid}</i>
     *
     * @return the phone number's SID ({@code PN...}), or {@code null} if absent
     */
    public String phoneNumberSid() {
        return text(Property.PHONE_NUMBER_SID);
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
        return text(Property.STATUS);
    }

    /**
     * When the call started; {@code null} if not yet dialed. <i>JSON: {@code start_time}</i>
     *
     * @return the start time, or {@code null} before the call is dialed
     */
    public ZonedDateTime startTime() {
        return date(Property.START_TIME);
    }

    /**
     * When the call ended; {@code null} if it did not complete. <i>JSON: {@code end_time}</i>
     *
     * @return the end time; {@code null} while the call is still going or if it did not complete
     */
    public ZonedDateTime endTime() {
        return date(Property.END_TIME);
    }

    /**
     * The call's length in seconds, as Twilio gives it; see {@link #durationValue()}. <i>JSON: {@code duration}</i>
     *
     * @return whole seconds as text (e.g. {@code "42"}), or {@code null} while the call is ongoing
     */
    public String duration() {
        return text(Property.DURATION);
    }

    /**
     * The call's charge, as Twilio gives it (e.g. {@code "-0.03000"}); see {@link #priceValue()}. <i>JSON: {@code price}</i>
     *
     * @return a decimal string, or {@code null} until Twilio has priced the call
     */
    public String price() {
        return text(Property.PRICE);
    }

    /**
     * The ISO 4217 currency of {@link #price()}. <i>JSON: {@code price_unit}</i>
     *
     * @return a currency code such as {@code "USD"}, or {@code null} if absent
     */
    public String priceUnit() {
        return text(Property.PRICE_UNIT);
    }

    /**
     * {@code inbound}, {@code outbound-api}, {@code outbound-dial}, {@code trunking-terminating} or {@code trunking-originating}. <i>JSON: {@code direction}</i>
     *
     * @return the direction as Twilio spells it (not checked against this list), or {@code null}
     */
    public String direction() {
        return text(Property.DIRECTION);
    }

    /**
     * {@code human} or {@code machine} with answering machine detection. <i>JSON: {@code answered_by}</i>
     *
     * @return the detection result as Twilio spells it, or {@code null} when detection was not used
     */
    public String answeredBy() {
        return text(Property.ANSWERED_BY);
    }

    /**
     * The API version used to create the call. <i>JSON: {@code api_version}</i>
     *
     * @return the version, e.g. {@code "2010-04-01"}, or {@code null} if absent
     */
    public String apiVersion() {
        return text(Property.API_VERSION);
    }

    /**
     * The forwarding number of a forwarded incoming call. <i>JSON: {@code forwarded_from}</i>
     *
     * @return the forwarding number, or {@code null} if the call was not forwarded or the carrier did not say
     */
    public String forwardedFrom() {
        return text(Property.FORWARDED_FROM);
    }

    /**
     * The SID of the call's Group. <i>JSON: {@code group_sid}</i>
     *
     * @return the Group SID, or {@code null} if the call belongs to no group
     */
    public String groupSid() {
        return text(Property.GROUP_SID);
    }

    /**
     * The caller's name, with caller ID lookup. <i>JSON: {@code caller_name}</i>
     *
     * @return the name, or {@code null} without caller ID lookup
     */
    public String callerName() {
        return text(Property.CALLER_NAME);
    }

    /**
     * Wait time in milliseconds before the call was placed, as Twilio gives it; see {@link #queueTimeValue()}. <i>JSON: {@code queue_time}</i>
     *
     * @return milliseconds as text (e.g. {@code "1000"}), or {@code null} if absent
     */
    public String queueTime() {
        return text(Property.QUEUE_TIME);
    }

    /**
     * The SIP trunk used for the call. <i>JSON: {@code trunk_sid}</i>
     *
     * @return the trunk's SID ({@code TK...}); {@code null} or empty if the call did not use a SIP trunk
     */
    public String trunkSid() {
        return text(Property.TRUNK_SID);
    }

    /**
     * This resource's URI, relative to {@code https://api.twilio.com}. <i>JSON: {@code uri}</i>
     *
     * @return a path such as {@code /2010-04-01/Accounts/AC.../Calls/CA....json}, or {@code null} if absent
     */
    public String uri() {
        return text(Property.URI);
    }

    /**
     * The call's subresources (recordings, notifications, ...) by name; empty when absent. <i>JSON: {@code subresource_uris}</i>
     *
     * @return an unmodifiable map from subresource name to relative URI; never {@code null}
     */
    @SuppressWarnings("unchecked")
    public Map<String, String> subresourceUris() {
        return (Map<String, String>) get(Property.SUBRESOURCE_URIS);
    }

    /**
     * {@link #duration()} as a {@link Duration}; empty while the call is ongoing or did not connect.
     *
     * @return the duration, or empty when {@link #duration()} is {@code null} or blank
     * @throws NumberFormatException if {@link #duration()} is not a whole number
     */
    public Optional<Duration> durationValue() {
        return blank(duration()) ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(duration().trim())));
    }

    /**
     * {@link #price()} as a number, in {@link #priceUnit()}; empty until Twilio has priced the call.
     *
     * @return the price, or empty when {@link #price()} is {@code null} or blank
     * @throws NumberFormatException if {@link #price()} is not a decimal number
     */
    public Optional<BigDecimal> priceValue() {
        return blank(price()) ? Optional.empty() : Optional.of(new BigDecimal(price().trim()));
    }

    /**
     * {@link #queueTime()} (milliseconds) as a {@link Duration}.
     *
     * @return the queue time, or empty when {@link #queueTime()} is {@code null} or blank
     * @throws NumberFormatException if {@link #queueTime()} is not a whole number
     */
    public Optional<Duration> queueTimeValue() {
        return blank(queueTime()) ? Optional.empty() : Optional.of(Duration.ofMillis(Long.parseLong(queueTime().trim())));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Call && Arrays.equals(values, ((Call) o).values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        String statusValue = statusValue();
        return "Call{sid=" + sid() + ", accountSid=" + accountSid() + ", status=" + (statusValue == null ? status : statusValue)
                + ", direction=" + direction() + ", duration=" + duration() + ", endTime=" + endTime() + '}';
    }

    /**
     * Sets a call's properties: how the JSON decoder makes a {@code Call}, and how a test or a simulator of an
     * application's own makes one without a response to decode. Not thread-safe; {@link #build()} copies.
     */
    public static final class Builder {
        private final Object[] values;

        private Builder(Object[] values) {
            this.values = values;
        }

        /**
         * Sets a property; nothing is validated beyond the value's type. A map is copied, in its iteration order.
         *
         * @param property which one
         * @param value    a {@link String}, {@link ZonedDateTime} or {@code Map<String, String>}, as the property's
         *                 {@link Property#kind()} says; or {@code null} for none
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is not of the property's kind, or a map's keys or
         *         values are not strings ({@code null} values are kept)
         */
        public Builder set(Property property, Object value) {
            if (value != null && !property.kind.type.isInstance(value)) {
                throw new IllegalArgumentException("property '" + property.jsonName + "' takes a "
                        + property.kind.type.getSimpleName() + ", not a " + value.getClass().getSimpleName());
            }
            values[property.ordinal()] = property.kind == Kind.MAP ? copy((Map<?, ?>) value, property) : value;
            return this;
        }

        /** An unmodifiable copy in the same order, {@code null} for none or an empty map. */
        private static Map<String, String> copy(Map<?, ?> map, Property property) {
            if (map == null || map.isEmpty()) {
                return null;
            }
            Map<String, String> copy = new LinkedHashMap<>((int) (map.size() / 0.75f) + 1);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String) || e.getValue() != null && !(e.getValue() instanceof String)) {
                    throw new IllegalArgumentException("property '" + property.jsonName + "' maps strings to strings");
                }
                copy.put((String) e.getKey(), (String) e.getValue());
            }
            return Collections.unmodifiableMap(copy);
        }

        /**
         * Sets {@link Call#sid()}; not validated.
         *
         * @param sid the call SID, or {@code null} for none
         * @return this builder
         */
        public Builder sid(String sid) {
            return set(Property.SID, sid);
        }

        /**
         * The status as Twilio spells it; unknown values become {@link CallStatus#UNKNOWN}.
         *
         * @param value the status text, e.g. {@code "in-progress"}, kept as {@link Call#statusValue()}; or {@code null}
         * @return this builder
         */
        public Builder status(String value) {
            return set(Property.STATUS, value);
        }

        /**
         * Sets the status from a constant. {@code null} and {@link CallStatus#UNKNOWN} both clear it: the built call's
         * {@link Call#statusValue()} is then {@code null}.
         *
         * @param status the status, or {@code null}
         * @return this builder
         */
        public Builder status(CallStatus status) {
            return set(Property.STATUS, status == null || status == CallStatus.UNKNOWN ? null : status.value());
        }

        /**
         * Builds the call. Nothing is validated, so this never throws.
         *
         * @return a new, immutable call
         */
        public Call build() {
            return new Call(values.clone());
        }
    }
}
