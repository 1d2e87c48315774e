package dev.callflux.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three SID types share one rule (prefix + 32 hex digits) because a SID goes into a request path or an
 * Authorization header: a malformed one must never get that far, and the error must not echo it (a
 * mixed-up argument may well be a secret).
 */
class SidTest {

    private static final String HEX32 = "0123456789abcdefABCDEF0123456789";

    /** One SID type: its field name in errors, prefix, constructor, factory and validity check. */
    private record Kind(String field, String prefix, Function<String, Object> constructor,
                        Function<String, Object> factory, Predicate<String> isValid) {
        @Override
        public String toString() {
            return field;
        }
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("AccountSid", "AC", AccountSid::new, AccountSid::of, AccountSid::isValid),
            new Kind("CallSid", "CA", CallSid::new, CallSid::of, CallSid::isValid),
            new Kind("ApiKeySid", "SK", ApiKeySid::new, ApiKeySid::of, ApiKeySid::isValid));

    static Stream<Kind> kinds() {
        return KINDS.stream();
    }

    /** Every SID type crossed with a value that must be refused, and what the error says is wrong with it. */
    static Stream<Arguments> invalidValues() {
        List<Arguments> args = new ArrayList<>();
        for (Kind k : KINDS) {
            String p = k.prefix();
            String otherPrefix = p.equals("CA") ? "AC" : "CA";
            String prefixProblem = "it does not start with '" + p + "'";
            Object[][] cases = {
                {"", "got 0 characters"},
                {p, "got 2 characters"},
                {otherPrefix + HEX32, prefixProblem},                                 // wrong prefix
                {p.toLowerCase() + HEX32, prefixProblem},                             // prefix is case-sensitive
                {" " + p + HEX32.substring(1), prefixProblem},                        // leading space
                {p + HEX32.substring(1), "got 33 characters"},                        // 31 digits
                {p + HEX32 + "0", "got 35 characters"},                               // 33 digits
                {p + "../../..", "got 10 characters"},                                // path traversal
                {p + "%2F..%2F..%2F..%2F..%2F..%2F..%2F..", "got 37 characters"},      // encoded traversal
                {p + HEX32.substring(1) + "g", "the character at index 33 is not a hexadecimal digit"},
                {p + HEX32.substring(1) + " ", "the character at index 33 is not a hexadecimal digit"},
                {p + "../../../../../../../../../../..", "the character at index 2 is not a hexadecimal digit"},
                {p + HEX32.substring(2) + "\r\n", "the character at index 32 is not a hexadecimal digit"},
                {p + "0123456789" + "\u0660" + HEX32.substring(11),                  // Arabic-Indic zero: a digit,
                        "the character at index 12 is not a hexadecimal digit"},       // but not a hex digit
                {p + HEX32.substring(1) + "\uFF41", "the character at index 33 is not a hexadecimal digit"}};
            for (Object[] c : cases) {
                args.add(Arguments.of(k, c[0], c[1]));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void acceptsPrefixAnd32HexDigitsInEitherCase(Kind kind) {
        for (String hex : List.of(HEX32, HEX32.toLowerCase(), HEX32.toUpperCase())) {
            String value = kind.prefix() + hex;
            assertThat(kind.constructor().apply(value)).hasToString(value);
            assertThat(kind.factory().apply(value)).isEqualTo(kind.constructor().apply(value));
            assertThat(kind.isValid().test(value)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidValues")
    void refusesMalformedValuesWithoutEchoingThem(Kind kind, String bad, String problem) {
        assertThat(kind.isValid().test(bad)).isFalse();
        for (Function<String, Object> make : List.of(kind.constructor(), kind.factory())) {
            assertThatThrownBy(() -> make.apply(bad))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.field()).isEqualTo(kind.field());
                        assertThat(e.rule()).isEqualTo("must be '" + kind.prefix()
                                + "' followed by 32 hexadecimal digits (" + problem + ")");
                        assertThat(e.getMessage()).isEqualTo(kind.field() + ": " + e.rule());
                        if (bad.length() > 2) {
                            assertThat(e.getMessage()).doesNotContain(bad);
                        }
                        assertThat(e.getMessage()).doesNotContain("\r", "\n", "..", "%2F");
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void refusesNull(Kind kind) {
        assertThat(kind.isValid().test(null)).isFalse();
        assertThatThrownBy(() -> kind.constructor().apply(null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(kind.field());
                    assertThat(e.rule()).isEqualTo("is required");
                    assertThat(e.getMessage()).isEqualTo(kind.field() + ": is required");
                });
    }

    @Test
    void aSecretPassedAsASidIsNotEchoed() {
        String token = "s3cr3t-auth-token-do-not-log-0000";
        assertThatThrownBy(() -> AccountSid.of(token))
                .isInstanceOf(InvalidRequestException.class)
                .message().doesNotContain(token).doesNotContain("s3cr3t");
    }

    @Test
    void equalityAndOrderFollowTheValue() {
        CallSid a = CallSid.of("CA" + "0".repeat(32));
        CallSid b = CallSid.of("CA" + "1".repeat(32));
        assertThat(a).isEqualTo(CallSid.of("CA" + "0".repeat(32))).isNotEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(CallSid.of("CA" + "0".repeat(32)).hashCode());
        assertThat(a.compareTo(b)).isNegative();
        assertThat(b.compareTo(a)).isPositive();
        assertThat(AccountSid.of("AC" + "0".repeat(32)).compareTo(AccountSid.of("AC" + "f".repeat(32)))).isNegative();
        assertThat(ApiKeySid.of("SK" + "f".repeat(32)).compareTo(ApiKeySid.of("SK" + "0".repeat(32)))).isPositive();
        assertThat(a.value()).isEqualTo("CA" + "0".repeat(32));
    }

    @Test
    void prefixesAreTwiliosPrefixes() {
        assertThat(AccountSid.PREFIX).isEqualTo("AC");
        assertThat(CallSid.PREFIX).isEqualTo("CA");
        assertThat(ApiKeySid.PREFIX).isEqualTo("SK");
    }
}
