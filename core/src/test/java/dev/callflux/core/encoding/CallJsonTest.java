package dev.callflux.core.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.Call.Property;
import dev.callflux.core.model.CallStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading and writing the Call resource, checked against the examples and schema Twilio publishes. */
class CallJsonTest {

    private static final String ACCOUNT = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String CALL_URI = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + CALL;

    static Stream<Arguments> officialExamples() {
        Map<String, String> examples = TwilioOpenApi.updateCallExamples();
        // Guard against a path change in the document silently turning this into zero tests.
        assertThat(examples).containsKeys("update", "cancel", "posttwiml", "updatetimelimit");
        return examples.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static String exampleJson() {
        return TwilioOpenApi.updateCallExamples().get("update");
    }

    private static ObjectNode exampleNode() {
        return (ObjectNode) TwilioOpenApi.parse(exampleJson());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("officialExamples")
    void parsesEveryOfficialExampleCompletely(String name, String json) {
        JsonNode expected = TwilioOpenApi.parse(json);
        Call c = CallJson.parse(json);

        assertThat(c.sid()).isEqualTo(CALL);
        assertThat(c.accountSid()).isEqualTo(ACCOUNT);
        assertThat(c.answeredBy()).isNull();
        assertThat(c.apiVersion()).isEqualTo("2010-04-01");
        assertThat(c.callerName()).isNull();
        assertThat(c.dateCreated()).isEqualTo(ZonedDateTime.of(2010, 8, 31, 20, 36, 28, 0, ZoneOffset.UTC));
        assertThat(c.dateUpdated()).isEqualTo(ZonedDateTime.of(2010, 8, 31, 20, 36, 44, 0, ZoneOffset.UTC));
        assertThat(c.startTime()).isEqualTo(ZonedDateTime.of(2010, 8, 31, 20, 36, 29, 0, ZoneOffset.UTC));
        assertThat(c.endTime()).isEqualTo(ZonedDateTime.of(2010, 8, 31, 20, 36, 44, 0, ZoneOffset.UTC));
        assertThat(c.direction()).isEqualTo("inbound");
        assertThat(c.duration()).isEqualTo("15");
        assertThat(c.durationValue()).contains(Duration.ofSeconds(15));
        assertThat(c.forwardedFrom()).isEqualTo("+141586753093");
        assertThat(c.from()).isEqualTo("+14158675308");
        assertThat(c.fromFormatted()).isEqualTo("(415) 867-5308");
        assertThat(c.groupSid()).isNull();
        assertThat(c.parentCallSid()).isNull();
        assertThat(c.phoneNumberSid()).isEqualTo("PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        assertThat(c.price()).isEqualTo("-0.03000");
        assertThat(c.priceValue()).contains(new BigDecimal("-0.03000"));
        assertThat(c.priceUnit()).isEqualTo("USD");
        assertThat(c.to()).isEqualTo("+14158675309");
        assertThat(c.toFormatted()).isEqualTo("(415) 867-5309");
        assertThat(c.trunkSid()).isNull();
        assertThat(c.uri()).isEqualTo(CALL_URI + ".json");
        assertThat(c.queueTime()).isEqualTo("1000");
        assertThat(c.queueTimeValue()).contains(Duration.ofMillis(1000));

        String status = expected.get("status").asText();
        assertThat(c.statusValue()).isEqualTo(status);
        assertThat(c.status()).isEqualTo(CallStatus.fromValue(status)).isNotEqualTo(CallStatus.UNKNOWN);

        assertThat(c.subresourceUris()).containsOnlyKeys("notifications", "recordings", "payments", "events",
                "siprec", "streams", "transcriptions", "user_defined_message_subscriptions", "user_defined_messages");
        assertThat(c.subresourceUris())
                .containsEntry("recordings", CALL_URI + "/Recordings.json")
                .containsEntry("user_defined_messages", CALL_URI + "/UserDefinedMessages.json");
        // Every string property equals the example's, generically, so nothing the list above forgets slips by.
        JsonNode written = TwilioOpenApi.parse(CallJson.write(c));
        assertThat(written).isEqualTo(expected);
    }

    @Test
    void theStatusesOfTheExamplesAreTheOnesTheyAreNamedFor() {
        assertThat(CallJson.parse(TwilioOpenApi.updateCallExamples().get("update")).status())
                .isEqualTo(CallStatus.COMPLETED);
        assertThat(CallJson.parse(TwilioOpenApi.updateCallExamples().get("cancel")).status())
                .isEqualTo(CallStatus.CANCELED);
    }

    @Test
    void bytesAndTextParseAlike() {
        String json = exampleJson();
        assertThat(CallJson.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(CallJson.parse(json));
    }

    @Test
    void writesExactlyThePropertiesOfTheOfficialSchema() {
        Set<String> schema = TwilioOpenApi.callSchemaProperties();
        assertThat(schema).hasSize(26);
        Set<String> written = new LinkedHashSet<>();
        TwilioOpenApi.parse(CallJson.write(Call.builder().build())).fieldNames().forEachRemaining(written::add);
        assertThat(written).isEqualTo(schema);
        Set<String> writtenFull = new LinkedHashSet<>();
        TwilioOpenApi.parse(CallJson.write(CallJson.parse(exampleJson()))).fieldNames()
                .forEachRemaining(writtenFull::add);
        assertThat(writtenFull).isEqualTo(schema);
    }

    @Test
    void everySchemaPropertyIsRead() {
        // Parse a document where each property has a value of its own, then check each one arrived: a
        // property the parser skipped would come back as null from write().
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (String p : TwilioOpenApi.callSchemaProperties()) {
            if (p.equals("subresource_uris")) {
                node.putObject(p).put("k", "v");
            } else if (p.startsWith("date_") || p.endsWith("_time") && !p.equals("queue_time")) {
                node.put(p, "Wed, 01 Sep 2010 10:00:00 +0000");
            } else if (p.equals("status")) {
                node.put(p, "busy");
            } else {
                node.put(p, "value-of-" + p);
            }
        }
        JsonNode written = TwilioOpenApi.parse(CallJson.write(CallJson.parse(node.toString())));
        assertThat(written).isEqualTo(node);
    }

    @Test
    void writeThenParseRoundTrips() {
        Call call = CallJson.parse(exampleJson()).mutate()
                .status("in-progress").set(Property.ANSWERED_BY, "machine_start")
                .set(Property.CALLER_NAME, "Bob \"the\" caller \u00e9\u65e5\uD83D\uDE00")
                .set(Property.GROUP_SID, "GPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .set(Property.TRUNK_SID, "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .set(Property.PARENT_CALL_SID, "CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
                .set(Property.START_TIME, ZonedDateTime.of(2024, 2, 29, 23, 59, 59, 0, ZoneOffset.ofHours(2)))
                .build();
        Call back = CallJson.parse(CallJson.write(call));
        assertThat(back).isEqualTo(call);
        assertThat(CallJson.write(back)).isEqualTo(CallJson.write(call));
    }

    @Test
    void writesDatesInTwiliosFormat() {
        Call c = Call.builder().set(Property.DATE_CREATED, ZonedDateTime.of(2010, 8, 1, 2, 3, 4, 0, ZoneOffset.UTC))
                .build();
        assertThat(TwilioOpenApi.parse(CallJson.write(c)).get("date_created").asText())
                .isEqualTo("Sun, 01 Aug 2010 02:03:04 +0000");
    }

    @Test
    void anEmptyCallRoundTrips() {
        Call empty = Call.builder().build();
        assertThat(CallJson.parse(CallJson.write(empty))).isEqualTo(empty);
    }

    @Test
    void anUnknownStatusRoundTripsWithItsValue() {
        Call c = Call.builder().status("on-hold").build();
        String json = CallJson.write(c);
        assertThat(TwilioOpenApi.parse(json).get("status").asText()).isEqualTo("on-hold");
        assertThat(CallJson.parse(json).statusValue()).isEqualTo("on-hold");
    }

    @Test
    void everyPropertyMayBeNull() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (String p : TwilioOpenApi.callSchemaProperties()) {
            node.putNull(p);
        }
        Call c = CallJson.parse(node.toString());
        assertThat(c).isEqualTo(Call.builder().build());
        assertThat(c.status()).isEqualTo(CallStatus.UNKNOWN);
        assertThat(c.statusValue()).isNull();
        assertThat(c.subresourceUris()).isEmpty();
        assertThat(c.dateCreated()).isNull();
        assertThat(c.durationValue()).isEmpty();
    }

    @Test
    void everyPropertyMayBeMissing() {
        Call c = CallJson.parse("{}");
        assertThat(c).isEqualTo(Call.builder().build());
        assertThat(c.status()).isEqualTo(CallStatus.UNKNOWN);
        // One at a time too: dropping a property leaves the others intact.
        for (String p : TwilioOpenApi.callSchemaProperties()) {
            ObjectNode node = exampleNode();
            node.remove(p);
            Call partial = CallJson.parse(node.toString());
            JsonNode v = TwilioOpenApi.parse(CallJson.write(partial)).get(p);
            assertThat(v.isNull() || v.isObject() && v.size() == 0).as(p + " written as absent: " + v).isTrue();
            assertThat(partial.sid()).isEqualTo(p.equals("sid") ? null : CALL);
        }
    }

    @Test
    void emptyDateStringsAreAbsentDates() {
        Call c = CallJson.parse("{\"start_time\":\"\",\"end_time\":\" \",\"date_created\":null}");
        assertThat(c.startTime()).isNull();
        assertThat(c.endTime()).isNull();
        assertThat(c.dateCreated()).isNull();
    }

    @Test
    void unknownPropertiesAreIgnoredWhateverTheirShape() {
        ObjectNode node = exampleNode();
        node.put("new_scalar", "x");
        node.put("new_number", 12.5);
        node.put("new_bool", true);
        node.putNull("new_null");
        node.putArray("new_array").add(1).addObject().putArray("deep").addArray().add("x");
        ObjectNode obj = node.putObject("new_object");
        obj.putObject("nested").put("status", "failed").putArray("sid").add("CA0");
        obj.put("sid", "CAzzz");
        node.putArray("empty_array");
        node.putObject("empty_object");
        // Also ahead of known properties, so skipping must resume at the right token.
        ObjectNode first = JsonNodeFactory.instance.objectNode();
        first.putObject("zzz_first").putArray("a").addObject().put("status", "busy");
        first.setAll(node);
        assertThat(CallJson.parse(first.toString())).isEqualTo(CallJson.parse(exampleJson()));
    }

    @Test
    void numbersWhereStringsAreDocumentedAreTakenAsText() {
        Call c = CallJson.parse("{\"duration\":15,\"price\":-0.03,\"queue_time\":1000}");
        assertThat(c.duration()).isEqualTo("15");
        assertThat(c.durationValue()).contains(Duration.ofSeconds(15));
        assertThat(c.priceValue()).contains(new BigDecimal("-0.03"));
        assertThat(c.queueTimeValue()).contains(Duration.ofSeconds(1));
    }

    @Test
    void anUnknownStatusIsUnknownAndKept() {
        Call c = CallJson.parse("{\"status\":\"on-hold\"}");
        assertThat(c.status()).isEqualTo(CallStatus.UNKNOWN);
        assertThat(c.statusValue()).isEqualTo("on-hold");
    }

    @Test
    void aNullOrMissingStatusIsUnknown() {
        assertThat(CallJson.parse("{\"status\":null}").status()).isEqualTo(CallStatus.UNKNOWN);
        assertThat(CallJson.parse("{\"status\":null}").statusValue()).isNull();
        assertThat(CallJson.parse("{\"sid\":\"" + CALL + "\"}").status()).isEqualTo(CallStatus.UNKNOWN);
    }

    @Test
    void subresourceUrisMayBeEmptyOrNull() {
        assertThat(CallJson.parse("{\"subresource_uris\":{}}").subresourceUris()).isEmpty();
        assertThat(CallJson.parse("{\"subresource_uris\":null}").subresourceUris()).isEmpty();
        assertThat(CallJson.parse("{\"subresource_uris\":{\"a\":null}}").subresourceUris())
                .containsEntry("a", null);
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("{\"status\":{\"value\":\"completed\"}}", "status"),
                Arguments.of("{\"status\":[\"completed\"]}", "status"),
                Arguments.of("{\"status\":true}", "status"),
                Arguments.of("{\"sid\":{}}", "sid"),
                Arguments.of("{\"to\":[]}", "to"),
                Arguments.of("{\"price\":false}", "price"),
                Arguments.of("{\"date_created\":{}}", "date_created"),
                Arguments.of("{\"date_created\":\"2010-08-31T20:36:28Z\"}", "date_created"),
                Arguments.of("{\"start_time\":\"yesterday\"}", "start_time"),
                Arguments.of("{\"end_time\":1283286988}", "end_time"),
                Arguments.of("{\"subresource_uris\":\"/x.json\"}", "subresource_uris"),
                Arguments.of("{\"subresource_uris\":[\"/x.json\"]}", "subresource_uris"),
                Arguments.of("{\"subresource_uris\":{\"recordings\":{\"uri\":\"/x\"}}}", "subresource_uris.recordings"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTypes")
    void aWrongTypeIsRefusedNamingTheProperty(String json, String property) {
        assertThatThrownBy(() -> CallJson.parse(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("property '" + property + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "null", "[]", "[{\"sid\":\"CA\"}]", "\"call\"", "42", "true",
            "<html><body>502 Bad Gateway</body></html>"})
    void notAnObjectIsRefused(String json) {
        assertThatThrownBy(() -> CallJson.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .message().satisfiesAnyOf(
                        m -> assertThat(m).isEqualTo("a Call must be a JSON object"),
                        m -> assertThat(m).startsWith("not valid JSON"));
        assertThatThrownBy(() -> CallJson.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedJsonIsRefusedAtEveryCut() {
        String json = exampleJson();
        // Every proper prefix is broken JSON; none may parse or fail with anything but IllegalArgumentException.
        for (int cut = 0; cut < json.length(); cut++) {
            String truncated = json.substring(0, cut);
            assertThatThrownBy(() -> CallJson.parse(truncated.getBytes(StandardCharsets.UTF_8)))
                    .as("cut at %d", cut)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void trailingContentIsRefused() {
        assertThatThrownBy(() -> CallJson.parse("{} {}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected content after the Call object");
        assertThatThrownBy(() -> CallJson.parse("{}x")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"to\":\"+15551234567\",\"status\":{\"pin\":\"4711\"}}",
        "{\"to\": Alice4711}",
        "{\"caller_name\": \"Alice\", \"to\": +15554711}",
        "<html>Alice 4711</html>",
        "{\"caller_name\": \"Alice 4711"
    })
    void errorsDoNotEchoTheBodyNotEvenInTheirCauses(String body) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> CallJson.parse(body));
        assertThat(t).isInstanceOf(IllegalArgumentException.class);
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertThat(String.valueOf(c.getMessage())).doesNotContain("4711").doesNotContain("Alice");
        }
    }

    @Test
    void syntaxErrorsSayWhereAndWhetherTruncated() {
        assertThatThrownBy(() -> CallJson.parse("{\n  \"to\": x}"))
                .hasMessage("not valid JSON (malformed at line 2, column 9)");
        assertThatThrownBy(() -> CallJson.parse("{\"to\": \"+1"))
                .hasMessageStartingWith("not valid JSON (truncated at line 1, column ");
    }

    @Test
    void absurdNestingIsRefusedByJacksonsLimit() {
        String deep = "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> CallJson.parse(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    @Test
    void writeProducesValidJsonForAwkwardStrings() {
        Call c = Call.builder().set(Property.CALLER_NAME, "quote\" backslash\\ newline\n tab\t nul\u0000 \u2028 end").build();
        assertThat(CallJson.parse(CallJson.write(c)).callerName()).isEqualTo(c.callerName());
        assertThat(TwilioOpenApi.parse(CallJson.write(c)).get("caller_name").asText()).isEqualTo(c.callerName());
    }

    @Test
    void dateParsingAcceptsGmtAndOtherOffsets() {
        Call c = CallJson.parse("{\"date_created\":\"Tue, 31 Aug 2010 20:36:28 GMT\","
                + "\"date_updated\":\"Tue, 31 Aug 2010 22:36:28 +0200\"}");
        assertThat(c.dateCreated().toInstant()).isEqualTo(c.dateUpdated().toInstant());
        assertThat(c.dateUpdated().getOffset()).isEqualTo(ZoneOffset.ofHours(2));
    }

    @Test
    void theOfficialExamplesAreAllDifferentButShareTheirShape() {
        List<Call> calls = TwilioOpenApi.updateCallExamples().values().stream().map(CallJson::parse).toList();
        assertThat(calls).hasSize(4);
        assertThat(calls).extracting(Call::sid).containsOnly(CALL);
    }

    @Test
    void thePropertyTableIsTheOfficialSchema() {
        JsonNode schema = TwilioOpenApi.root().path("components").path("schemas").path(TwilioOpenApi.CALL_SCHEMA)
                .path("properties");
        Map<String, Call.Kind> table = new LinkedHashMap<>();
        for (Property property : Property.values()) {
            table.put(property.jsonName(), property.kind());
        }
        Map<String, Call.Kind> official = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : schema.properties()) {
            JsonNode type = e.getValue();
            official.put(e.getKey(), type.path("type").asText().equals("object") ? Call.Kind.MAP
                    : type.path("format").asText().equals("date-time-rfc-2822") ? Call.Kind.DATE : Call.Kind.TEXT);
        }
        assertThat(official).hasSize(26);
        assertThat(table).isEqualTo(official);
    }

    /** A value of the property's kind that no other property is given. */
    static Object distinctValue(Property property) {
        return switch (property.kind()) {
            case TEXT -> property == Property.STATUS ? "busy" : "value-of-" + property.jsonName();
            case DATE -> ZonedDateTime.of(2010, 9, 1, 10, property.ordinal(), 7, 0, ZoneOffset.ofHours(-5));
            case MAP -> Map.of("k-" + property.jsonName(), "/v.json");
        };
    }

    @ParameterizedTest
    @EnumSource(Property.class)
    void eachPropertyRoundTripsAloneThroughWriteAndRead(Property property) {
        Object value = distinctValue(property);
        Call alone = Call.builder().set(property, value).build();
        assertThat(alone.get(property)).isEqualTo(value);
        String json = CallJson.write(alone);
        assertThat(TwilioOpenApi.parse(json).get(property.jsonName()).isNull()).isFalse();
        Call back = CallJson.parse(json);
        assertThat(back).isEqualTo(alone);
        for (Property other : Property.values()) {
            assertThat(back.get(other)).as(other.jsonName())
                    .isEqualTo(other == property ? value : other.kind() == Call.Kind.MAP ? Map.of() : null);
        }
        assertThat(CallJson.write(back)).isEqualTo(json);
    }

    @Test
    void allPropertiesRoundTripTogether() {
        Call.Builder b = Call.builder();
        for (Property property : Property.values()) {
            b.set(property, distinctValue(property));
        }
        Call full = b.build();
        assertThat(CallJson.parse(CallJson.write(full))).isEqualTo(full);
    }
}
