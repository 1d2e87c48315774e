package dev.callflux.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.model.Call.Property;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Call resource as a value: typed views, status mapping, equality and what it shows in logs. */
class CallTest {

    private static final ZonedDateTime T0 = ZonedDateTime.of(2010, 8, 31, 20, 36, 28, 0, ZoneOffset.UTC);

    /** A call with every property set to a distinct value. */
    static Call fullCall() {
        return Call.builder()
                .sid("CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .set(Property.DATE_CREATED, T0)
                .set(Property.DATE_UPDATED, T0.plusSeconds(16))
                .set(Property.PARENT_CALL_SID, "CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
                .set(Property.ACCOUNT_SID, "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .set(Property.TO, "+14158675309")
                .set(Property.TO_FORMATTED, "(415) 867-5309")
                .set(Property.FROM, "+14158675308")
                .set(Property.FROM_FORMATTED, "(415) 867-5308")
                .set(Property.PHONE_NUMBER_SID, "PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .status("in-progress")
                .set(Property.START_TIME, T0.plusSeconds(1))
                .set(Property.END_TIME, T0.plusSeconds(16))
                .set(Property.DURATION, "15")
                .set(Property.PRICE, "-0.03000")
                .set(Property.PRICE_UNIT, "USD")
                .set(Property.DIRECTION, "outbound-api")
                .set(Property.ANSWERED_BY, "human")
                .set(Property.API_VERSION, "2010-04-01")
                .set(Property.FORWARDED_FROM, "+141586753093")
                .set(Property.GROUP_SID, "GPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .set(Property.CALLER_NAME, "Alice Example")
                .set(Property.QUEUE_TIME, "1000")
                .set(Property.TRUNK_SID, "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .set(Property.URI,
                        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")
                .set(Property.SUBRESOURCE_URIS,
                        Map.of("recordings", "/2010-04-01/Accounts/AC/Calls/CA/Recordings.json"))
                .build();
    }

    @Test
    void numericStringsHaveTypedViews() {
        Call c = fullCall();
        assertThat(c.durationValue()).contains(Duration.ofSeconds(15));
        assertThat(c.priceValue()).contains(new BigDecimal("-0.03000"));
        assertThat(c.priceValue().orElseThrow().scale()).isEqualTo(5);
        assertThat(c.queueTimeValue()).contains(Duration.ofMillis(1000));
    }

    @Test
    void typedViewsAreEmptyWhenTwilioHasNoValueYet() {
        Call empty = Call.builder().build();
        assertThat(empty.durationValue()).isEmpty();
        assertThat(empty.priceValue()).isEmpty();
        assertThat(empty.queueTimeValue()).isEmpty();
        Call blank = Call.builder().set(Property.DURATION, "").set(Property.PRICE, " ").set(Property.QUEUE_TIME, "")
                .build();
        assertThat(blank.durationValue()).isEmpty();
        assertThat(blank.priceValue()).isEmpty();
        assertThat(blank.queueTimeValue()).isEmpty();
    }

    @Test
    void anEmptyCallHasNullsAnUnknownStatusAndNoSubresources() {
        Call c = Call.builder().build();
        assertThat(c.sid()).isNull();
        assertThat(c.dateCreated()).isNull();
        assertThat(c.statusValue()).isNull();
        assertThat(c.status()).isEqualTo(CallStatus.UNKNOWN);
        assertThat(c.subresourceUris()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CallStatus.class)
    void statusIsTypedAndKeepsTwiliosSpelling(CallStatus status) {
        Call byValue = Call.builder().status(status.value()).build();
        Call byEnum = Call.builder().status(status).build();
        if (status == CallStatus.UNKNOWN) {
            // "unknown" is not a Twilio value; the enum form sets no value at all.
            assertThat(byValue.status()).isEqualTo(CallStatus.UNKNOWN);
            assertThat(byValue.statusValue()).isEqualTo("unknown");
            assertThat(byEnum.statusValue()).isNull();
        } else {
            assertThat(byValue.status()).isEqualTo(status);
            assertThat(byValue).isEqualTo(byEnum);
            assertThat(byEnum.statusValue()).isEqualTo(status.value());
        }
    }

    @Test
    void aNewStatusIsUnknownButKept() {
        Call c = Call.builder().status("on-hold").build();
        assertThat(c.status()).isEqualTo(CallStatus.UNKNOWN);
        assertThat(c.statusValue()).isEqualTo("on-hold");
        assertThat(Call.builder().status((String) null).build().status()).isEqualTo(CallStatus.UNKNOWN);
        assertThat(Call.builder().status((CallStatus) null).build().status()).isEqualTo(CallStatus.UNKNOWN);
    }

    @Test
    void callStatusSpellsTwiliosValues() {
        assertThat(CallStatus.values()).extracting(CallStatus::value).containsExactly("queued", "ringing",
                "in-progress", "completed", "busy", "failed", "no-answer", "canceled", "unknown");
        assertThat(CallStatus.IN_PROGRESS).hasToString("in-progress");
        assertThat(CallStatus.fromValue("IN-PROGRESS")).isEqualTo(CallStatus.UNKNOWN); // Twilio's spelling is exact
        assertThat(CallStatus.fromValue(null)).isEqualTo(CallStatus.UNKNOWN);
    }

    @Test
    void endedStatusesAreTheFinalOnes() {
        assertThat(List.of(CallStatus.values())).filteredOn(CallStatus::isEnded).containsExactlyInAnyOrder(
                CallStatus.COMPLETED, CallStatus.BUSY, CallStatus.FAILED, CallStatus.NO_ANSWER, CallStatus.CANCELED);
    }

    @Test
    void equalsAndHashCodeCoverEveryProperty() {
        Call c = fullCall();
        assertThat(c).isEqualTo(fullCall()).hasSameHashCodeAs(fullCall()).isEqualTo(c);
        assertThat(c).isNotEqualTo(null).isNotEqualTo(c.toString());
        List<Call> changed = List.of(
                c.mutate().sid("CAcccccccccccccccccccccccccccccccc").build(),
                c.mutate().set(Property.DATE_CREATED, T0.plusSeconds(1)).build(),
                c.mutate().set(Property.DATE_UPDATED, null).build(),
                c.mutate().set(Property.PARENT_CALL_SID, null).build(),
                c.mutate().set(Property.ACCOUNT_SID, null).build(),
                c.mutate().set(Property.TO, "+1").build(),
                c.mutate().set(Property.TO_FORMATTED, null).build(),
                c.mutate().set(Property.FROM, "+1").build(),
                c.mutate().set(Property.FROM_FORMATTED, null).build(),
                c.mutate().set(Property.PHONE_NUMBER_SID, null).build(),
                c.mutate().status("completed").build(),
                c.mutate().set(Property.START_TIME, null).build(),
                c.mutate().set(Property.END_TIME, null).build(),
                c.mutate().set(Property.DURATION, "16").build(),
                c.mutate().set(Property.PRICE, "-0.03").build(),
                c.mutate().set(Property.PRICE_UNIT, "EUR").build(),
                c.mutate().set(Property.DIRECTION, "inbound").build(),
                c.mutate().set(Property.ANSWERED_BY, "machine").build(),
                c.mutate().set(Property.API_VERSION, null).build(),
                c.mutate().set(Property.FORWARDED_FROM, null).build(),
                c.mutate().set(Property.GROUP_SID, null).build(),
                c.mutate().set(Property.CALLER_NAME, null).build(),
                c.mutate().set(Property.QUEUE_TIME, "0").build(),
                c.mutate().set(Property.TRUNK_SID, null).build(),
                c.mutate().set(Property.URI, null).build(),
                c.mutate().set(Property.SUBRESOURCE_URIS, Map.of()).build());
        assertThat(changed).hasSize(26).allSatisfy(other -> assertThat(other).isNotEqualTo(c));
        assertThat(c.mutate().build()).isEqualTo(c).hasSameHashCodeAs(c);
    }

    @Test
    void subresourceUrisAreAnImmutableCopy() {
        Map<String, String> uris = new HashMap<>();
        uris.put("recordings", "/r.json");
        Call c = Call.builder().set(Property.SUBRESOURCE_URIS, uris).build();
        uris.put("events", "/e.json");
        assertThat(c.subresourceUris()).containsExactly(Map.entry("recordings", "/r.json"));
        assertThatThrownBy(() -> c.subresourceUris().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void subresourceUrisKeepTwiliosOrder() {
        Map<String, String> uris = new LinkedHashMap<>();
        for (String k : List.of("notifications", "recordings", "payments", "events", "siprec")) {
            uris.put(k, "/" + k + ".json");
        }
        assertThat(Call.builder().set(Property.SUBRESOURCE_URIS, uris).build().subresourceUris().keySet())
                .containsExactly("notifications", "recordings", "payments", "events", "siprec");
    }

    @Test
    void toStringLeavesOutPersonalData() {
        String s = fullCall().toString();
        assertThat(s).contains("CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "in-progress", "outbound-api");
        assertThat(s).doesNotContain("+1415", "867", "Alice", "human");
        assertThat(Call.builder().build().toString()).contains("status=unknown");
    }

    @Test
    void eachAccessorReadsItsOwnProperty() throws ReflectiveOperationException {
        Call.Builder b = Call.builder();
        for (Property property : Property.values()) {
            b.set(property, value(property));
        }
        Call c = b.build();
        for (Property property : Property.values()) {
            // The accessor of "date_created" is dateCreated(); "status" has status() and statusValue().
            String camel = java.util.regex.Pattern.compile("_(\\w)").matcher(property.jsonName())
                    .replaceAll(m -> m.group(1).toUpperCase(java.util.Locale.ROOT));
            String accessor = property == Property.STATUS ? "statusValue" : camel;
            assertThat(Call.class.getMethod(accessor).invoke(c)).as(accessor).isEqualTo(value(property))
                    .isEqualTo(c.get(property));
        }
        assertThat(c.status()).isEqualTo(CallStatus.BUSY);
    }

    private static Object value(Property property) {
        return switch (property.kind()) {
            case TEXT -> property == Property.STATUS ? "busy" : "value-of-" + property.jsonName();
            case DATE -> T0.plusMinutes(property.ordinal());
            case MAP -> Map.of("k", "/" + property.jsonName());
        };
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> Call.builder().set(Property.DATE_CREATED, "Tue, 31 Aug 2010 20:36:28 +0000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'date_created'");
        assertThatThrownBy(() -> Call.builder().set(Property.SID, 42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sid'");
        assertThatThrownBy(() -> Call.builder().set(Property.SUBRESOURCE_URIS, Map.of("k", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'subresource_uris'");
    }

    @Test
    void anEmptyMapIsNoMap() {
        Call empty = Call.builder().set(Property.SUBRESOURCE_URIS, Map.of()).build();
        assertThat(empty).isEqualTo(Call.builder().build()).hasSameHashCodeAs(Call.builder().build());
        assertThat(empty.get(Property.SUBRESOURCE_URIS)).isEqualTo(Map.of());
    }
}
