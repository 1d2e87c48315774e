package dev.callflux.core.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.model.CallbackMethod;
import dev.callflux.core.model.UpdateCallParameter;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.core.model.UpdateStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of validation plus form encoding over generated input: whatever goes in either comes out of
 * a standard form decoder exactly as set, or is refused before sending with an error naming the parameter.
 * No third outcome (an unexpected exception, a value changed on the way) is allowed.
 */
class FormEncoderPropertiesTest {

    /** The three URL parameters, each with its builder setter. */
    enum UrlField {
        URL(UpdateCallParameter.URL, UpdateCallRequest.Builder::url),
        FALLBACK_URL(UpdateCallParameter.FALLBACK_URL, UpdateCallRequest.Builder::fallbackUrl),
        STATUS_CALLBACK(UpdateCallParameter.STATUS_CALLBACK, UpdateCallRequest.Builder::statusCallback);

        final UpdateCallParameter parameter;
        final java.util.function.BiFunction<UpdateCallRequest.Builder, String, UpdateCallRequest.Builder> setter;

        UrlField(UpdateCallParameter parameter,
                 java.util.function.BiFunction<UpdateCallRequest.Builder, String, UpdateCallRequest.Builder> setter) {
            this.parameter = parameter;
            this.setter = setter;
        }

        UpdateCallRequest build(String url) {
            return setter.apply(UpdateCallRequest.builder(), url).build();
        }
    }

    // ---------------------------------------------------------------- properties

    @Property
    void validTwimlAlwaysBuildsAndRoundTrips(@ForAll("validTwiml") String twiml) {
        if (twiml.isBlank()) {
            assertRefused(() -> UpdateCallRequest.replaceTwiml(twiml), "Twiml");
            return;
        }
        assertRoundTrips(UpdateCallRequest.replaceTwiml(twiml), Map.of("Twiml", twiml));
    }

    @Property
    void anyTwimlStringBuildsAndRoundTripsOrIsRefusedAsTwiml(@ForAll("anyString") String twiml) {
        Optional<UpdateCallRequest> built = buildOrRefuse(() -> UpdateCallRequest.replaceTwiml(twiml), "Twiml");
        built.ifPresent(r -> assertRoundTrips(r, Map.of("Twiml", twiml)));
        // Refused exactly when one of the rules says so: never for a well-formed, non-blank, short value.
        boolean wellFormed = twiml.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
        boolean shouldBuild = wellFormed && !twiml.isBlank() && twiml.codePointCount(0, twiml.length()) <= 4000;
        assertThat(built.isPresent()).as("built").isEqualTo(shouldBuild);
    }

    @Property(tries = 200)
    void twimlLengthLimitIsExactlyFourThousandCodePoints(@ForAll @IntRange(min = 3990, max = 4010) int count,
                                                         @ForAll("codePoint") int codePoint) {
        String twiml = "<" + new String(Character.toChars(codePoint)).repeat(count - 1);
        if (count <= 4000) {
            assertRoundTrips(UpdateCallRequest.replaceTwiml(twiml), Map.of("Twiml", twiml));
        } else {
            assertRefused(() -> UpdateCallRequest.replaceTwiml(twiml), "Twiml");
        }
    }

    @Property
    void generatedValidUrlsAreAcceptedAndRoundTrip(@ForAll("validUrl") String url, @ForAll UrlField field) {
        // Every generated URL is well-formed, so it must be accepted: refusing one would be a false alarm.
        UpdateCallRequest r = field.build(url);
        assertRoundTrips(r, Map.of(field.parameter.wireName(), url));
    }

    @Property
    void anyUrlStringBuildsAndRoundTripsOrIsRefusedNamingTheField(@ForAll("urlLike") String url,
                                                                   @ForAll UrlField field) {
        buildOrRefuse(() -> field.build(url), field.parameter.wireName())
                .ifPresent(r -> {
                    assertRoundTrips(r, Map.of(field.parameter.wireName(), url));
                    // Nothing that was accepted can split a header or a log line.
                    assertThat(url).doesNotContain("\r", "\n", " ", "\t", "\u0000");
                    assertThat(url.toLowerCase()).startsWith("http");
                });
    }

    @Property
    void anyCombinationOfParametersRoundTripsInWireOrder(
            @ForAll("maybeUrl") Optional<String> url,
            @ForAll("maybeMethod") Optional<CallbackMethod> method,
            @ForAll("maybeStatus") Optional<UpdateStatus> status,
            @ForAll("maybeUrl") Optional<String> fallbackUrl,
            @ForAll("maybeMethod") Optional<CallbackMethod> fallbackMethod,
            @ForAll("maybeUrl") Optional<String> statusCallback,
            @ForAll("maybeMethod") Optional<CallbackMethod> statusCallbackMethod,
            @ForAll("maybeTwiml") Optional<String> twiml) {
        UpdateCallRequest.Builder b = UpdateCallRequest.builder()
                .url(url.orElse(null)).method(method.orElse(null)).status(status.orElse(null))
                .fallbackUrl(fallbackUrl.orElse(null)).fallbackMethod(fallbackMethod.orElse(null))
                .statusCallback(statusCallback.orElse(null)).statusCallbackMethod(statusCallbackMethod.orElse(null))
                .twiml(twiml.orElse(null)).timeLimit(url.isPresent() ? 3600 : null);
        boolean none = url.isEmpty() && method.isEmpty() && status.isEmpty() && fallbackUrl.isEmpty()
                && fallbackMethod.isEmpty() && statusCallback.isEmpty() && statusCallbackMethod.isEmpty()
                && twiml.isEmpty();
        if (none) {
            assertRefused(b::build, "UpdateCallRequest");
            return;
        }
        if (url.isPresent() && twiml.isPresent()) {
            assertRefused(b::build, "Twiml");
            return;
        }
        UpdateCallRequest r = b.build();
        Map<String, String> decoded = FormEncoderTest.decode(FormEncoder.encodeToString(r));
        assertThat(decoded).containsExactlyEntriesOf(FormEncoderTest.parameters(r));
        List<UpdateCallParameter> order = r.parameters().stream().map(Map.Entry::getKey).collect(Collectors.toList());
        assertThat(order).isSorted();
        assertThat(r.isIdempotent()).isEqualTo(url.isEmpty() && twiml.isEmpty());
        assertThat(r.mutate().build()).isEqualTo(r);
    }

    // ---------------------------------------------------------------- assertions

    private static void assertRoundTrips(UpdateCallRequest r, Map<String, String> expected) {
        String body = FormEncoder.encodeToString(r);
        assertThat(FormEncoderTest.decode(body)).isEqualTo(expected);
        String expectedBody = expected.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        assertThat(body).isEqualTo(expectedBody);
        assertThat(FormEncoder.encode(r)).isEqualTo(body.getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable build, String field) {
        assertThatThrownBy(build).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).isEqualTo(field + ": " + e.rule());
        });
    }

    /** Builds, or returns empty if refused with {@code field}; any other outcome fails. */
    private static Optional<UpdateCallRequest> buildOrRefuse(java.util.function.Supplier<UpdateCallRequest> build,
                                                             String field) {
        try {
            return Optional.of(build.get());
        } catch (InvalidRequestException e) {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.rule()).isNotBlank();
            assertThat(e.getMessage()).isEqualTo(field + ": " + e.rule()).doesNotContain("\n", "\r");
            return Optional.empty();
        } catch (RuntimeException e) {
            return fail("neither built nor refused with InvalidRequestException", e);
        }
    }

    // ---------------------------------------------------------------- generators

    /** Code points weighted toward what TwiML really holds, plus the whole of Unicode (no surrogates). */
    @Provide
    Arbitrary<Integer> codePoint() {
        Arbitrary<Integer> ascii = Arbitraries.integers().between(0x20, 0x7e);
        Arbitrary<Integer> special = Arbitraries.of((int) '<', (int) '>', (int) '&', (int) '"', (int) '\'',
                (int) '+', (int) '%', (int) '=', (int) ' ', (int) '\n', (int) '\t', (int) '\r', 0xe9, 0x65e5,
                0x672c, 0x1f600, 0x1d11e, 0xfeff, 0x200d, 0xfffd, 0xffff, 0x10ffff, 0);
        Arbitrary<Integer> any = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        return Arbitraries.frequencyOf(List.of(Tuple.of(5, ascii), Tuple.of(3, special), Tuple.of(2, any)));
    }

    @Provide
    Arbitrary<String> validTwiml() {
        return codePoint().list().ofMinSize(0).ofMaxSize(300).map(FormEncoderPropertiesTest::fromCodePoints);
    }

    /** Any UTF-16 string at all, lone surrogates included. */
    @Provide
    Arbitrary<String> anyString() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                validTwiml(),
                Combinators.combine(validTwiml(), Arbitraries.strings().withCharRange('\uD800', '\uDFFF')
                        .ofMinLength(1).ofMaxLength(2), validTwiml()).as((a, s, b) -> a + s + b));
    }

    @Provide
    Arbitrary<String> validUrl() {
        Arbitrary<String> scheme = Arbitraries.of("http", "https", "HTTPS", "Http");
        Arbitrary<String> port = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.integers().between(1, 65535).map(p -> ":" + p));
        Arbitrary<String> path = segment().list().ofMaxSize(5)
                .map(segments -> segments.isEmpty() ? "" : "/" + String.join("/", segments));
        Arbitrary<String> query = Arbitraries.oneOf(Arbitraries.just(""),
                Combinators.combine(queryText(), queryText()).as((k, v) -> k + "=" + v).list().ofMinSize(1)
                        .ofMaxSize(4).map(pairs -> "?" + String.join("&", pairs)));
        Arbitrary<String> fragment = Arbitraries.oneOf(Arbitraries.just(""), queryText().map(f -> "#" + f));
        return Combinators.combine(scheme, host(), port, path, query, fragment)
                .as((s, h, p, pa, q, f) -> s + "://" + h + p + pa + q + f);
    }

    /** Mostly broken URLs: valid ones with a random character spliced in, prefixes with junk, junk. */
    @Provide
    Arbitrary<String> urlLike() {
        Arbitrary<String> junk = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> spliced = Combinators.combine(validUrl(), Arbitraries.strings().all().ofMinLength(1)
                        .ofMaxLength(3), Arbitraries.integers().between(0, 1000))
                .as((u, s, at) -> {
                    int i = at % (u.length() + 1);
                    return u.substring(0, i) + s + u.substring(i);
                });
        Arbitrary<String> asciiSpliced = Combinators.combine(validUrl(), Arbitraries.strings().ascii()
                        .ofMinLength(1).ofMaxLength(3), Arbitraries.integers().between(0, 1000))
                .as((u, s, at) -> {
                    int i = at % (u.length() + 1);
                    return u.substring(0, i) + s + u.substring(i);
                });
        return Arbitraries.oneOf(junk, junk.map(j -> "https://" + j), junk.map(j -> "http://example.com/" + j),
                spliced, asciiSpliced, validUrl());
    }

    @Provide
    Arbitrary<Optional<String>> maybeUrl() {
        return validUrl().optional(0.4);
    }

    @Provide
    Arbitrary<Optional<String>> maybeTwiml() {
        return validTwiml().filter(t -> !t.isBlank()).optional(0.3);
    }

    @Provide
    Arbitrary<Optional<CallbackMethod>> maybeMethod() {
        return Arbitraries.of(CallbackMethod.class).optional(0.3);
    }

    @Provide
    Arbitrary<Optional<UpdateStatus>> maybeStatus() {
        return Arbitraries.of(UpdateStatus.class).optional(0.3);
    }

    private static Arbitrary<String> host() {
        Arbitrary<String> alnum = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').ofLength(1);
        Arbitrary<String> inner = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars('-').ofMaxLength(20);
        Arbitrary<String> label = Arbitraries.oneOf(alnum,
                Combinators.combine(alnum, inner, alnum).as((a, m, z) -> a + m + z));
        Arbitrary<String> dns = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<String> ipv4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(l -> l.stream().map(String::valueOf).collect(Collectors.joining(".")));
        Arbitrary<List<String>> groups = Arbitraries.integers().between(0, 0xffff).map(Integer::toHexString)
                .list().ofMaxSize(3);
        Arbitrary<String> ipv6Full = Arbitraries.integers().between(0, 0xffff).map(Integer::toHexString)
                .list().ofSize(8).map(l -> "[" + String.join(":", l) + "]");
        Arbitrary<String> ipv6Short = Combinators.combine(groups, groups)
                .as((l, r) -> "[" + String.join(":", l) + "::" + String.join(":", r) + "]");
        return Arbitraries.frequencyOf(List.of(Tuple.of(6, dns), Tuple.of(2, ipv4), Tuple.of(1, ipv6Full),
                Tuple.of(1, ipv6Short)));
    }

    /** RFC 3986 pchar (unreserved, sub-delims, ':' and '@'), percent-encoded octets, and non-ASCII letters. */
    private static Arbitrary<String> segment() {
        Arbitrary<String> pchar = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars("-._~!$&'()*+,;=:@").ofLength(1);
        return token(pchar).list().ofMaxSize(10).map(l -> String.join("", l));
    }

    private static Arbitrary<String> queryText() {
        Arbitrary<String> qchar = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars("-._~!$'()*+,;:@/?").ofLength(1);
        return token(qchar).list().ofMaxSize(8).map(l -> String.join("", l));
    }

    private static Arbitrary<String> token(Arbitrary<String> plain) {
        Arbitrary<String> pct = Arbitraries.strings().withChars("0123456789ABCDEFabcdef").ofLength(2)
                .map(h -> "%" + h);
        Arbitrary<String> nonAscii = Arbitraries.of("\u00e9", "\u00fc", "\u00df", "\u65e5", "\u672c", "\u03a9",
                "\u0436", "\uD83D\uDE00", "\uD834\uDD1E");
        return Arbitraries.frequencyOf(List.of(Tuple.of(8, plain), Tuple.of(1, pct), Tuple.of(1, nonAscii)));
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder sb = new StringBuilder();
        codePoints.forEach(sb::appendCodePoint);
        return sb.toString();
    }
}
