package dev.callflux.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                .dateCreated(T0)
                .dateUpdated(T0.plusSeconds(16))
                .parentCallSid("CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
                .accountSid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .to("+14158675309")
                .toFormatted("(415) 867-5309")
                .from("+14158675308")
                .fromFormatted("(415) 867-5308")
                .phoneNumberSid("PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .status("in-progress")
                .startTime(T0.plusSeconds(1))
                .endTime(T0.plusSeconds(16))
                .duration("15")
                .price("-0.03000")
                .priceUnit("USD")
                .direction("outbound-api")
                .answeredBy("human")
                .apiVersion("2010-04-01")
                .forwardedFrom("+141586753093")
                .groupSid("GPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .callerName("Alice Example")
                .queueTime("1000")
                .trunkSid("TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .uri("/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json")
                .subresourceUris(Map.of("recordings", "/2010-04-01/Accounts/AC/Calls/CA/Recordings.json"))
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
        Call blank = Call.builder().duration("").price(" ").queueTime("").build();
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
                c.toBuilder().sid("CAcccccccccccccccccccccccccccccccc").build(),
                c.toBuilder().dateCreated(T0.plusSeconds(1)).build(),
                c.toBuilder().dateUpdated(null).build(),
                c.toBuilder().parentCallSid(null).build(),
                c.toBuilder().accountSid(null).build(),
                c.toBuilder().to("+1").build(),
                c.toBuilder().toFormatted(null).build(),
                c.toBuilder().from("+1").build(),
                c.toBuilder().fromFormatted(null).build(),
                c.toBuilder().phoneNumberSid(null).build(),
                c.toBuilder().status("completed").build(),
                c.toBuilder().startTime(null).build(),
                c.toBuilder().endTime(null).build(),
                c.toBuilder().duration("16").build(),
                c.toBuilder().price("-0.03").build(),
                c.toBuilder().priceUnit("EUR").build(),
                c.toBuilder().direction("inbound").build(),
                c.toBuilder().answeredBy("machine").build(),
                c.toBuilder().apiVersion(null).build(),
                c.toBuilder().forwardedFrom(null).build(),
                c.toBuilder().groupSid(null).build(),
                c.toBuilder().callerName(null).build(),
                c.toBuilder().queueTime("0").build(),
                c.toBuilder().trunkSid(null).build(),
                c.toBuilder().uri(null).build(),
                c.toBuilder().subresourceUris(Map.of()).build());
        assertThat(changed).hasSize(26).allSatisfy(other -> assertThat(other).isNotEqualTo(c));
        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    }

    @Test
    void subresourceUrisAreAnImmutableCopy() {
        Map<String, String> uris = new HashMap<>();
        uris.put("recordings", "/r.json");
        Call c = Call.builder().subresourceUris(uris).build();
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
        assertThat(Call.builder().subresourceUris(uris).build().subresourceUris().keySet())
                .containsExactly("notifications", "recordings", "payments", "events", "siprec");
    }

    @Test
    void toStringLeavesOutPersonalData() {
        String s = fullCall().toString();
        assertThat(s).contains("CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "in-progress", "outbound-api");
        assertThat(s).doesNotContain("+1415", "867", "Alice", "human");
        assertThat(Call.builder().build().toString()).contains("status=unknown");
    }
}
