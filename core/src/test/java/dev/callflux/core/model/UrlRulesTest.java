package dev.callflux.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The URL rules, applied alike to {@code Url}, {@code FallbackUrl} and {@code StatusCallback}. Twilio fetches
 * these URLs itself, so a bad one fails only later, during the call; and a URL ends up in headers and logs,
 * so it must not be able to split or disguise a line.
 */
class UrlRulesTest {

    /** A URL parameter: how to set it on a builder and how to read it back. */
    private record UrlField(UpdateCallParameter parameter,
                            BiFunction<UpdateCallRequest.Builder, String, UpdateCallRequest.Builder> setter,
                            Function<UpdateCallRequest, Optional<String>> getter) {
        UpdateCallRequest build(String url) {
            return setter.apply(UpdateCallRequest.builder(), url).build();
        }

        @Override
        public String toString() {
            return parameter.wireName();
        }
    }

    private static final List<UrlField> FIELDS = List.of(
            new UrlField(UpdateCallParameter.URL, UpdateCallRequest.Builder::url, UpdateCallRequest::url),
            new UrlField(UpdateCallParameter.FALLBACK_URL, UpdateCallRequest.Builder::fallbackUrl,
                    UpdateCallRequest::fallbackUrl),
            new UrlField(UpdateCallParameter.STATUS_CALLBACK, UpdateCallRequest.Builder::statusCallback,
                    UpdateCallRequest::statusCallback));

    private static final String NOT_ABSOLUTE = "must be an absolute URL with the http or https scheme";
    private static final String UNDERSCORE = "must have a valid host name (underscores are not permitted)";
    private static final String BAD_LABEL = "must have a valid host name (dot-separated labels of ASCII letters, "
            + "digits and inner hyphens; use punycode for international names)";
    private static final String USER_INFO = "must not contain user info (credentials in a URL end up in logs)";
    private static final String BAD_PORT = "must have a port between 1 and 65535";
    private static final String NO_HOST = "must have a host";
    private static final String BLANK = "must not be blank";

    static Stream<Arguments> validUrls() {
        return cross(List.of(
                "https://example.com",
                "http://example.com",
                "HTTPS://EXAMPLE.COM/Upper",
                "https://example.com/",
                "https://example.com/twiml/hold.xml",
                "https://sub-domain.example.co.uk/a/b/c",
                "https://example.com:8443/path",
                "https://example.com:1/",
                "https://example.com:65535/",
                "http://192.168.1.10/twiml",
                "http://127.0.0.1:8080/",
                "http://[::1]/twiml",
                "http://[2001:db8::1]:8080/twiml",
                "https://[2001:db8:0:0:0:0:0:1]/",
                "https://example.com/path?query=1&other=two",
                "https://example.com/path?q=a%20b&r=%26",
                "https://example.com/path#fragment",
                "https://example.com/path?q=1#frag",
                "https://example.com?only=query",
                "https://example.com#only-fragment",
                "https://example.com/caf\u00e9/\u65e5\u672c?name=J\u00fcrgen",   // non-ASCII path and query
                "https://example.com/\uD83D\uDE00",                               // emoji path
                "https://xn--bcher-kva.example/",                                 // punycode host
                "https://a.b.c.d.e.f.example.com/",
                "https://123.example.com/",
                "https://example.com/a;b=c/d,e!f$g'h(i)j*k+l~m@n:o",
                "https://example.com/path?redirect=https://other.example/x?y=z"));
    }

    /** URL field x invalid value x expected rule. */
    static Stream<Arguments> invalidUrls() {
        List<Object[]> cases = List.of(
                new Object[] {"", BLANK},
                new Object[] {"   ", BLANK},
                new Object[] {"ftp://example.com/twiml.xml", NOT_ABSOLUTE},
                new Object[] {"javascript:alert(1)", NOT_ABSOLUTE},
                new Object[] {"javascript://example.com/%0Aalert(1)", NOT_ABSOLUTE},
                new Object[] {"file:///etc/passwd", NOT_ABSOLUTE},
                new Object[] {"data:text/xml,<Response/>", NOT_ABSOLUTE},
                new Object[] {"/relative/path.xml", NOT_ABSOLUTE},
                new Object[] {"relative/path.xml", NOT_ABSOLUTE},
                new Object[] {"example.com/twiml.xml", NOT_ABSOLUTE},
                new Object[] {"//example.com/twiml.xml", NOT_ABSOLUTE},
                new Object[] {"http:example.com", NOT_ABSOLUTE},
                new Object[] {"http:/example.com", NOT_ABSOLUTE},
                new Object[] {"https//example.com", NOT_ABSOLUTE},
                new Object[] {"/x?next=http://example.com", NOT_ABSOLUTE},
                new Object[] {"https://my_host.example.com/", UNDERSCORE},
                new Object[] {"https://example_.com/", UNDERSCORE},
                new Object[] {"https://_dmarc.example.com/", UNDERSCORE},
                new Object[] {"https://example..com/", BAD_LABEL},
                new Object[] {"https://.example.com/", BAD_LABEL},
                new Object[] {"https://example.com./", BAD_LABEL},
                new Object[] {"https://-example.com/", BAD_LABEL},
                new Object[] {"https://example-.com/", BAD_LABEL},
                new Object[] {"https://example.-com/", BAD_LABEL},
                new Object[] {"https://b\u00fccher.example/", BAD_LABEL},
                new Object[] {"https://\u4f8b\u3048.jp/", BAD_LABEL},
                new Object[] {"https://ex%61mple.com/", BAD_LABEL},
                new Object[] {"https://exa!mple.com/", BAD_LABEL},
                new Object[] {"https://" + "a".repeat(64) + ".com/", BAD_LABEL},
                new Object[] {"https://" + ("a".repeat(60) + ".").repeat(5) + "com/",
                        "must have a host name of at most 253 characters"},
                new Object[] {"https:///path", NO_HOST},
                new Object[] {"https://", NO_HOST},
                new Object[] {"https://:8080/path", NO_HOST},
                new Object[] {"https://user:pass@example.com/", USER_INFO},
                new Object[] {"https://user@example.com/", USER_INFO},
                new Object[] {"https://@example.com/", USER_INFO},
                new Object[] {"https://evil.example@example.com/", USER_INFO},
                new Object[] {"https://example.com:0/", BAD_PORT},
                new Object[] {"https://example.com:65536/", BAD_PORT},
                new Object[] {"https://example.com:99999/", BAD_PORT},
                new Object[] {"https://example.com:/", BAD_PORT},
                new Object[] {"https://example.com:80a/", BAD_PORT},
                new Object[] {"https://example.com:-1/", BAD_PORT},
                new Object[] {"https://example.com:+80/", BAD_PORT},
                new Object[] {"http://[::1]:0/", BAD_PORT},
                new Object[] {"http://[::1/", "must have a valid host (unclosed IPv6 literal)"},
                new Object[] {"http://[]/", "must have a valid host (malformed IPv6 literal)"},
                new Object[] {"http://[127.0.0.1]/", "must have a valid host (malformed IPv6 literal)"},
                new Object[] {"http://[::g]/", "must have a valid host (malformed IPv6 literal)"},
                new Object[] {"http://[::1]x/", "must have a valid host (text after IPv6 literal)"});
        List<Arguments> args = new ArrayList<>();
        for (UrlField f : FIELDS) {
            for (Object[] c : cases) {
                args.add(Arguments.of(f, c[0], c[1]));
            }
        }
        return args.stream();
    }

    /** Characters that could split a header or a log line, or make a URL display as another. */
    static Stream<Arguments> injectedCharacters() {
        List<String> injected = List.of(" ", "\t", "\r", "\n", "\r\n", "\u0000", "\u0007", "\u001b", "\u007f",
                "\u0085", "\u009b", "\u00a0", "\u2028", "\u2029", "\u3000", "\u200b", "\u202e", "\ufeff",
                "\uDB40\uDC01", // U+E0001 LANGUAGE TAG, a format character outside the BMP
                "\uD800", "\uDC00", "\uDC00\uD800");
        List<Arguments> args = new ArrayList<>();
        for (UrlField f : FIELDS) {
            for (String s : injected) {
                args.add(Arguments.of(f, s));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("validUrls")
    void acceptsAbsoluteHttpUrls(UrlField field, String url) {
        UpdateCallRequest request = field.build(url);
        assertThat(field.getter().apply(request)).contains(url);
        assertThat(request.parameters()).containsExactly(Map.entry(field.parameter(), url));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("invalidUrls")
    void refusesInvalidUrlsNamingFieldAndRule(UrlField field, String url, String rule) {
        assertThatThrownBy(() -> field.build(url))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field.parameter().wireName());
                    assertThat(e.rule()).isEqualTo(rule);
                    assertThat(e.getMessage()).isEqualTo(field.parameter().wireName() + ": " + rule);
                });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("injectedCharacters")
    void refusesWhitespaceControlAndFormatCharactersAnywhere(UrlField field, String injected) {
        String prefix = "https://example.com/a";
        for (String url : List.of(prefix + injected + "b", prefix + "?q=" + injected,
                "https://exam" + injected + "ple.com/", prefix + "#" + injected)) {
            int index = url.indexOf(injected);
            assertThatThrownBy(() -> field.build(url))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.field()).isEqualTo(field.parameter().wireName());
                        assertThat(e.rule()).isEqualTo("must not contain whitespace, control characters, "
                                + "invisible formatting characters or broken Unicode (at index " + index + ")");
                        assertThat(e.getMessage()).doesNotContain("\r", "\n");
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void leadingOrTrailingWhitespaceIsRefusedNotTrimmed(UrlField field) {
        assertThatThrownBy(() -> field.build(" https://example.com/"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("at index 0");
        assertThatThrownBy(() -> field.build("https://example.com/\n"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("at index 20");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void otherUriSyntaxErrorsAreRefusedWithTheParserReason(UrlField field) {
        for (String url : List.of("https://example.com/%zz", "https://example.com/a\\b", "https://example.com/<x>",
                "https://example.com/a\"b", "https://example.com/a{b}", "https://example.com/a|b",
                "https://example.com/a^b", "https://example.com/a`b")) {
            assertThatThrownBy(() -> field.build(url))
                    .as(url)
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.field()).isEqualTo(field.parameter().wireName());
                        assertThat(e.rule()).startsWith("must be a valid URL (").contains(" at index ");
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void theRuleAppliesToEachFieldOnItsOwn(UrlField field) {
        // A valid Url does not excuse an invalid FallbackUrl, and the error names the broken one.
        UpdateCallRequest.Builder b = UpdateCallRequest.builder()
                .url("https://example.com/ok")
                .fallbackUrl("https://example.com/ok")
                .statusCallback("https://example.com/ok");
        field.setter().apply(b, "https://bad_host.example.com/");
        assertThatThrownBy(b::build)
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo(field.parameter().wireName()));
    }

    static Stream<UrlField> fields() {
        return FIELDS.stream();
    }

    private static Stream<Arguments> cross(List<String> urls) {
        List<Arguments> args = new ArrayList<>();
        for (UrlField f : FIELDS) {
            for (String u : urls) {
                args.add(Arguments.of(f, u));
            }
        }
        return args.stream();
    }
}
