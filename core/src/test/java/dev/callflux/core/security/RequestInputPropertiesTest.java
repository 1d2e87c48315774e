package dev.callflux.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.callflux.core.encoding.FormEncoder;
import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.http.ApiEndpoint;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.CallbackMethod;
import dev.callflux.core.model.UpdateCallRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Hostile input against the request builder, the form encoder and the SID types: whatever a caller (or a
 * file of SIDs, or an HTTP body relayed by a service) passes either becomes exactly the request it says, with
 * no extra parameter, header or path segment smuggled in, or is refused before any I/O with an
 * {@link InvalidRequestException} that names the offending field. There is no third outcome.
 *
 * <p>Unlike {@code FormEncoderPropertiesTest}, which varies one parameter at a time, these properties set
 * every parameter at once to arbitrary text (injection payloads spliced in) and check which field is named.
 */
class RequestInputPropertiesTest {

    /** What a value may use to escape its place: a header or line break, a form separator, a path step. */
    private static final List<String> PAYLOADS = List.of("\r\n", "\r\nX-Injected: 1", "\n", "\u0000", "&Status=completed",
            "&", "=", "%0d%0a", "%26Status%3Dcompleted", "../", "..%2F", "/", "?", "#", " ", "\t", "\u2028", "\u202e",
            "\u200b", "\ufeff", "@", "user:pass@", "_", "javascript:", "file:///etc/passwd", "\uD800", "\uDC00", "%",
            "+", "\u00a0", "\u0085");

    /** The eight string parameters in wire order (TimeLimit, an Integer, is generated apart). */
    enum Field {
        URL("Url", UpdateCallRequest.Builder::url),
        METHOD("Method", UpdateCallRequest.Builder::method),
        STATUS("Status", UpdateCallRequest.Builder::status),
        FALLBACK_URL("FallbackUrl", UpdateCallRequest.Builder::fallbackUrl),
        FALLBACK_METHOD("FallbackMethod", UpdateCallRequest.Builder::fallbackMethod),
        STATUS_CALLBACK("StatusCallback", UpdateCallRequest.Builder::statusCallback),
        STATUS_CALLBACK_METHOD("StatusCallbackMethod", UpdateCallRequest.Builder::statusCallbackMethod),
        TWIML("Twiml", UpdateCallRequest.Builder::twiml);

        final String wireName;
        final BiConsumer<UpdateCallRequest.Builder, String> setter;

        Field(String wireName, BiConsumer<UpdateCallRequest.Builder, String> setter) {
            this.wireName = wireName;
            this.setter = setter;
        }

        boolean isUrl() {
            return this == URL || this == FALLBACK_URL || this == STATUS_CALLBACK;
        }

        boolean isMethod() {
            return this == METHOD || this == FALLBACK_METHOD || this == STATUS_CALLBACK_METHOD;
        }
    }

    // ---------------------------------------------------------------- the request builder and the form

    @Property(tries = 2000)
    void anyValuesBuildARequestThatRoundTripsExactlyOrAreRefusedNamingTheFirstBadField(
            @ForAll("values") Map<Field, String> values, @ForAll("timeLimit") Optional<Integer> timeLimit) {
        UpdateCallRequest.Builder b = UpdateCallRequest.builder();
        values.forEach((f, v) -> f.setter.accept(b, v));
        b.timeLimit(timeLimit.orElse(null));

        // The oracle: each value judged on its own, then the rules between parameters.
        String expectedField = null;
        for (Field f : Field.values()) {
            if (values.containsKey(f) && !acceptedAlone(f, values.get(f))) {
                expectedField = f.wireName;
                break;
            }
        }
        if (expectedField == null && timeLimit.isPresent() && timeLimit.get() <= 0) {
            expectedField = "TimeLimit";
        }
        if (expectedField == null && values.containsKey(Field.URL) && values.containsKey(Field.TWIML)) {
            expectedField = "Twiml";
        }
        if (expectedField == null && values.isEmpty() && timeLimit.isEmpty()) {
            expectedField = "UpdateCallRequest";
        }

        UpdateCallRequest request;
        try {
            request = b.build();
        } catch (InvalidRequestException e) {
            assertThat(e.field()).as("refused %s for %s", e.getMessage(), values).isEqualTo(expectedField);
            assertThat(e.getMessage()).startsWith(expectedField + ": ").doesNotContain("\r", "\n", "\u0000");
            return;
        } catch (RuntimeException e) {
            fail("neither built nor refused with InvalidRequestException: " + values, e);
            return;
        }
        assertThat(expectedField).as("built although %s breaks a rule", expectedField).isNull();

        Map<String, String> expected = new LinkedHashMap<>();
        for (Map.Entry<Field, String> e : values.entrySet()) {
            expected.put(e.getKey().wireName, canonical(e.getKey(), e.getValue()));
        }
        timeLimit.ifPresent(t -> expected.put("TimeLimit", Integer.toString(t)));
        String body = FormEncoder.encodeToString(request);
        assertThat(decode(body)).as(body).isEqualTo(expected);
        // Only the form's own alphabet: nothing that could end the body, a header or a log line early.
        assertThat(body).matches("[A-Za-z0-9%+&=._*-]*");
        assertThat(request.toString()).doesNotContain("\r", "\n", "\u0000");
        for (Field f : Field.values()) {
            if (f.isUrl() && values.containsKey(f)) {
                assertSafeUrl(values.get(f));
            }
        }
    }

    /** Whether the builder accepts {@code value} in {@code field} alone; an independent oracle except for URLs. */
    private static boolean acceptedAlone(Field field, String value) {
        if (field.isMethod()) {
            String v = value.trim();
            return List.of(CallbackMethod.values()).stream().anyMatch(m -> m.name().equalsIgnoreCase(v));
        }
        if (field == Field.STATUS) {
            String v = value.trim();
            return v.equalsIgnoreCase("completed") || v.equalsIgnoreCase("canceled");
        }
        if (field == Field.TWIML) {
            return !value.isBlank() && value.codePointCount(0, value.length()) <= 4000 && wellFormed(value);
        }
        // URLs: whether accepted alone; assertSafeUrl checks every accepted one against the security rules.
        try {
            UpdateCallRequest.Builder b = UpdateCallRequest.builder();
            field.setter.accept(b, value);
            b.build();
            return true;
        } catch (InvalidRequestException e) {
            assertThat(e.field()).isEqualTo(field.wireName);
            return false;
        }
    }

    /** What an accepted URL must never be: another scheme, credentials, a bad host, a line or header breaker. */
    private static void assertSafeUrl(String url) {
        assertThat(url).doesNotContainPattern("[\\s\\p{Cntrl}\\p{Cf}\\u00a0\\u2028\\u2029]");
        assertThat(wellFormed(url)).isTrue();
        URI uri = URI.create(url);
        assertThat(uri.getScheme().toLowerCase(Locale.ROOT)).isIn("http", "https");
        assertThat(uri.getRawUserInfo()).isNull();
        String authority = uri.getRawAuthority();
        assertThat(authority).isNotNull().doesNotContain("@", "_");
        String host = authority.startsWith("[") ? authority.substring(0, authority.indexOf(']') + 1)
                : authority.replaceFirst(":[0-9]*$", "");
        assertThat(host).as(url).isNotEmpty();
    }

    private static String canonical(Field field, String value) {
        if (field.isMethod()) {
            return value.trim().toUpperCase(Locale.ROOT);
        }
        if (field == Field.STATUS) {
            return value.trim().toLowerCase(Locale.ROOT);
        }
        return value;
    }

    @Property(tries = 500)
    void aValueCanNeverAddAFormParameter(@ForAll("payload") String payload) {
        String twiml = "<Response><Say>" + payload + "</Say></Response>";
        String url = "https://example.com/next.xml?a=" + payload;
        List<UpdateCallRequest.Builder> builders = List.of(UpdateCallRequest.builder().twiml(twiml),
                UpdateCallRequest.builder().url(url), UpdateCallRequest.builder().statusCallback(url).twiml(twiml));
        for (UpdateCallRequest.Builder b : builders) {
            UpdateCallRequest r;
            try {
                r = b.build();
            } catch (InvalidRequestException refused) {
                assertThat(refused.field()).isIn("Url", "StatusCallback", "Twiml");
                continue;
            }
            Map<String, String> form = decode(FormEncoder.encodeToString(r));
            assertThat(form.keySet()).containsExactlyElementsOf(
                    r.parameters().stream().map(e -> e.getKey().wireName()).toList());
            assertThat(form).doesNotContainKey("Status");
        }
    }

    // ---------------------------------------------------------------- SIDs in the request path

    private static final Pattern CALL_SID = Pattern.compile("CA[0-9a-fA-F]{32}");
    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
    private static final Pattern SAFE_PATH = Pattern.compile("/2010-04-01/Accounts/AC[0-9a-fA-F]{32}/Calls/CA[0-9a-fA-F]{32}\\.json");

    @Property(tries = 2000)
    void aSidIsPrefixAnd32HexDigitsOrRefusedWithoutEchoIt(@ForAll("sidLike") String value) {
        checkSid(value, CALL_SID, "CallSid", () -> CallSid.of(value));
        checkSid(value.replaceFirst("^CA", "AC"), ACCOUNT_SID, "AccountSid",
                () -> AccountSid.of(value.replaceFirst("^CA", "AC")));
    }

    private static void checkSid(String value, Pattern valid, String field, java.util.function.Supplier<Object> make) {
        Object sid;
        try {
            sid = make.get();
        } catch (InvalidRequestException e) {
            assertThat(valid.matcher(value).matches()).as("refused a valid %s", field).isFalse();
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).doesNotContain("\r", "\n", "\u0000", "/", "%");
            if (value.length() > 2) {
                assertThat(e.getMessage()).doesNotContain(value);
            }
            return;
        }
        assertThat(valid.matcher(value).matches()).as("accepted %s as %s", value, field).isTrue();
        assertThat(sid.toString()).isEqualTo(value);
    }

    @Property(tries = 1000)
    void theRequestPathOnlyEverHoldsValidatedSids(@ForAll("sidLike") String call, @ForAll("sidLike") String account) {
        String accountValue = account.replaceFirst("^CA", "AC");
        try {
            String path = ApiEndpoint.updateCallPath(AccountSid.of(accountValue), CallSid.of(call));
            assertThat(path).matches(SAFE_PATH);
            assertThat(URI.create("https://api.twilio.com" + path).normalize().getPath()).isEqualTo(path);
        } catch (InvalidRequestException e) {
            assertThat(e.field()).isIn("AccountSid", "CallSid");
            assertThat(CALL_SID.matcher(call).matches() && ACCOUNT_SID.matcher(accountValue).matches()).isFalse();
        }
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Map<Field, String>> values() {
        List<Arbitrary<Optional<String>>> each = new ArrayList<>();
        for (Field f : Field.values()) {
            each.add(valueFor(f).optional(0.35));
        }
        return Combinators.combine(each).as(list -> {
            Map<Field, String> m = new EnumMap<>(Field.class);
            for (int i = 0; i < list.size(); i++) {
                Field f = Field.values()[i];
                list.get(i).ifPresent(v -> m.put(f, v));
            }
            return m;
        });
    }

    @Provide
    Arbitrary<Optional<Integer>> timeLimit() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 14400), Arbitraries.integers(),
                Arbitraries.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE)).optional(0.2);
    }

    @Provide
    Arbitrary<String> payload() {
        return Arbitraries.oneOf(Arbitraries.of(PAYLOADS), Arbitraries.strings().all().ofMaxLength(12),
                spliced(Arbitraries.of("safe", "a&b", "x=y"), 2));
    }

    /** Call SIDs, valid ones, near misses and traversal or injection attempts, with a "CA" prefix mostly. */
    @Provide
    Arbitrary<String> sidLike() {
        Arbitrary<String> hex32 = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(32);
        Arbitrary<String> valid = hex32.map(h -> "CA" + h);
        Arbitrary<String> near = Arbitraries.strings().withChars("0123456789abcdef./%\\\r\n\u0000 :?#&=\u0660\uff41g")
                .ofMinLength(28).ofMaxLength(36).map(s -> "CA" + s);
        Arbitrary<String> traversal = Arbitraries.of("CA../../../Accounts", "CA%2e%2e%2f", "CA..\\..\\",
                "CA0123456789abcdef0123456789abcd/..", "CA0123456789abcdef0123456789abcdef/../x",
                "CA0123456789abcdef0123456789abcdef\r\nHost: evil", "CA0123456789abcdef0123456789abcdef%0d%0a",
                "CA0123456789abcdef0123456789abcdef\u0000", "CA0123456789abcdef0123456789abcdef?x=1",
                "CA0123456789abcdef0123456789abcdef#", "CA0123456789abcdef0123456789abcdef.json");
        return Arbitraries.oneOf(valid, spliced(valid, 1), near, traversal, Arbitraries.strings().all().ofMaxLength(40));
    }

    /** Per field: mostly plausible values, many with a payload spliced in, some plain junk. */
    private static Arbitrary<String> valueFor(Field f) {
        Arbitrary<String> plausible;
        if (f.isUrl()) {
            plausible = Combinators.combine(Arbitraries.of("https", "http", "HTTP", "ftp", "file", "javascript"),
                    Arbitraries.of("example.com", "api.example.com:8443", "127.0.0.1", "[::1]", "bad_host.example",
                            "user:secret@example.com", "example.com:0", "example.com:65536", "-x.example", "example..com"),
                    Arbitraries.of("", "/", "/twiml/next.xml", "/a?b=c&d=e", "/x#frag", "/caf\u00e9"))
                    .as((s, h, p) -> s + "://" + h + p);
        } else if (f.isMethod()) {
            plausible = Arbitraries.of("GET", "post", " Put ", "PATCH", "head", "DELETE", "TRACE", "CONNECT", "G ET",
                    "get\r\n", "POST\u0000", "po\u017ft");
        } else if (f == Field.STATUS) {
            plausible = Arbitraries.of("completed", "CANCELED", " completed ", "cancelled", "in-progress",
                    "completed\r\nX: y", "comp\u0131eted");
        } else {
            plausible = Arbitraries.oneOf(
                    Arbitraries.of("<Response><Hangup/></Response>", "<Response><Say>Bye &amp; thanks</Say></Response>",
                            "   ", "", "x".repeat(4000), "x".repeat(4001), "\uD83D\uDE00".repeat(4000)),
                    Arbitraries.strings().all().ofMaxLength(60));
        }
        return Arbitraries.frequencyOf(List.of(Tuple.of(4, plausible), Tuple.of(4, spliced(plausible, 1)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(30))));
    }

    /** {@code base} with up to {@code max} payloads inserted at arbitrary positions. */
    private static Arbitrary<String> spliced(Arbitrary<String> base, int max) {
        Arbitrary<Tuple.Tuple2<String, Integer>> insert = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.of(PAYLOADS), Arbitraries.strings().all().ofMinLength(1).ofMaxLength(2)),
                Arbitraries.integers().between(0, 10_000)).as(Tuple::of);
        return Combinators.combine(base, insert.list().ofMinSize(1).ofMaxSize(max)).as((s, inserts) -> {
            String r = s;
            for (Tuple.Tuple2<String, Integer> i : inserts) {
                int at = i.get2() % (r.length() + 1);
                r = r.substring(0, at) + i.get1() + r.substring(at);
            }
            return r;
        });
    }

    // ---------------------------------------------------------------- helpers

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A standard {@code application/x-www-form-urlencoded} decoder; a repeated name would fail the test. */
    static Map<String, String> decode(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return m;
        }
        for (String pair : body.split("&", -1)) {
            int eq = pair.indexOf('=');
            assertThat(eq).as("pair %s", pair).isPositive();
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            assertThat(m.put(name, value)).as("parameter %s twice", name).isNull();
        }
        return m;
    }
}
