package dev.callflux.core.model;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.error.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The request's value rules (other than URLs, see {@link UrlRulesTest}), its shortcuts and its value semantics. */
class UpdateCallRequestTest {

    private static final String TWIML = "<Response><Say>Goodbye</Say><Hangup/></Response>";
    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 units

    /** Asserts that {@code build} fails with exactly this field and rule, and the message joining them. */
    private static void assertRefused(Runnable build, String field, String rule) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.rule()).isEqualTo(rule);
            assertThat(e.getMessage()).isEqualTo(field + ": " + rule);
        });
    }

    private static UpdateCallRequest allNine() {
        return UpdateCallRequest.builder()
                .timeLimit(600)
                .statusCallbackMethod(CallbackMethod.GET)
                .statusCallback("https://example.com/status")
                .fallbackMethod(CallbackMethod.GET)
                .fallbackUrl("https://example.com/fallback")
                .status(UpdateStatus.COMPLETED)
                .method(CallbackMethod.GET)
                .url("https://example.com/next.xml")
                .build();
    }

    @Nested
    class AtLeastOneParameter {
        @Test
        void anEmptyRequestIsRefused() {
            assertRefused(() -> UpdateCallRequest.builder().build(), "UpdateCallRequest",
                    "must set at least one parameter");
        }

        @Test
        void clearingTheOnlyValueLeavesAnEmptyRequest() {
            assertRefused(() -> UpdateCallRequest.builder().url("https://example.com").url(null).build(),
                    "UpdateCallRequest", "must set at least one parameter");
            assertRefused(() -> UpdateCallRequest.builder().status(UpdateStatus.CANCELED).status((UpdateStatus) null)
                    .method((CallbackMethod) null).timeLimit(null).build(),
                    "UpdateCallRequest", "must set at least one parameter");
        }

        @Test
        void anySingleParameterIsEnough() {
            assertThat(UpdateCallRequest.builder().timeLimit(1).build().parameters())
                    .containsExactly(entry(UpdateCallParameter.TIME_LIMIT, "1"));
            assertThat(UpdateCallRequest.builder().statusCallbackMethod("post").build().parameters())
                    .containsExactly(entry(UpdateCallParameter.STATUS_CALLBACK_METHOD, "POST"));
            assertThat(UpdateCallRequest.builder().fallbackUrl("https://example.com/f").build().parameters())
                    .containsExactly(entry(UpdateCallParameter.FALLBACK_URL, "https://example.com/f"));
        }
    }

    @Nested
    class UrlAndTwimlAreMutuallyExclusive {
        @Test
        void bothTogetherAreRefused() {
            assertRefused(() -> UpdateCallRequest.builder().url("https://example.com/a.xml").twiml(TWIML).build(),
                    "Twiml", "must not be set together with Url (Url and Twiml are mutually exclusive)");
        }

        @Test
        void eitherAloneIsFine() {
            assertThat(UpdateCallRequest.builder().url("https://example.com/a.xml").build().twiml()).isEmpty();
            assertThat(UpdateCallRequest.builder().twiml(TWIML).build().url()).isEmpty();
        }

        @Test
        void twimlWithFallbackAndCallbacksIsFine() {
            UpdateCallRequest r = UpdateCallRequest.builder().twiml(TWIML).fallbackUrl("https://example.com/f")
                    .statusCallback("https://example.com/s").build();
            assertThat(r.twiml()).contains(TWIML);
            assertThat(r.fallbackUrl()).contains("https://example.com/f");
        }
    }

    @Nested
    class Status {
        @ParameterizedTest
        @ValueSource(strings = {"completed", "COMPLETED", "Completed", " completed ", "\tcompleted\n"})
        void completedInAnyCase(String value) {
            UpdateCallRequest r = UpdateCallRequest.builder().status(value).build();
            assertThat(r.status()).contains(UpdateStatus.COMPLETED);
            assertThat(r.parameters()).containsExactly(entry(UpdateCallParameter.STATUS, "completed"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"canceled", "CANCELED", "Canceled"})
        void canceledInAnyCase(String value) {
            assertThat(UpdateCallRequest.builder().status(value).build().parameters())
                    .containsExactly(entry(UpdateCallParameter.STATUS, "canceled"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "cancelled", "complete", "in-progress", "queued", "ringing", "busy",
                "failed", "no-answer", "completed,canceled", "completed\r\nX: y"})
        void anythingElseIsRefused(String value) {
            assertRefused(() -> UpdateCallRequest.builder().status(value).build(), "Status",
                    "must be 'canceled' or 'completed'");
        }

        @Test
        void enumSpellsTwiliosValues() {
            assertThat(UpdateStatus.CANCELED.value()).isEqualTo("canceled");
            assertThat(UpdateStatus.COMPLETED).hasToString("completed");
            assertThat(UpdateStatus.parse("COMPLETED")).isSameAs(UpdateStatus.COMPLETED);
            assertRefused(() -> UpdateStatus.parse(null), "Status", "must be 'canceled' or 'completed'");
        }
    }

    @Nested
    class Methods {
        private static final String RULE = "must be one of HEAD, GET, POST, PATCH, PUT, DELETE";

        @ParameterizedTest
        @EnumSource(CallbackMethod.class)
        void everyMethodOfTheSchemaIsAcceptedInEachMethodParameter(CallbackMethod m) {
            for (String spelling : List.of(m.name(), m.name().toLowerCase(), " " + m.name() + " ")) {
                UpdateCallRequest r = UpdateCallRequest.builder().method(spelling).fallbackMethod(spelling)
                        .statusCallbackMethod(spelling).build();
                assertThat(r.method()).contains(m);
                assertThat(r.fallbackMethod()).contains(m);
                assertThat(r.statusCallbackMethod()).contains(m);
                assertThat(r.parameters()).containsExactly(entry(UpdateCallParameter.METHOD, m.name()),
                        entry(UpdateCallParameter.FALLBACK_METHOD, m.name()),
                        entry(UpdateCallParameter.STATUS_CALLBACK_METHOD, m.name()));
            }
        }

        @Test
        void theSchemaHasExactlySixMethods() {
            assertThat(CallbackMethod.values()).extracting(Enum::name)
                    .containsExactly("HEAD", "GET", "POST", "PATCH", "PUT", "DELETE");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "OPTIONS", "TRACE", "CONNECT", "G ET", "GETT", "POST\r\nX-Injected: 1"})
        void otherMethodsAreRefusedNamingTheParameter(String value) {
            assertRefused(() -> UpdateCallRequest.builder().method(value).build(), "Method", RULE);
            assertRefused(() -> UpdateCallRequest.builder().fallbackMethod(value).build(), "FallbackMethod", RULE);
            assertRefused(() -> UpdateCallRequest.builder().statusCallbackMethod(value).build(),
                    "StatusCallbackMethod", RULE);
        }

        @Test
        void parseRefusesNull() {
            assertRefused(() -> CallbackMethod.parse("Method", null), "Method", RULE);
        }

        @Test
        void settingAnEnumNullClearsTheValue() {
            UpdateCallRequest r = UpdateCallRequest.builder().status(UpdateStatus.COMPLETED)
                    .method(CallbackMethod.GET).method((CallbackMethod) null)
                    .fallbackMethod(CallbackMethod.GET).fallbackMethod((CallbackMethod) null)
                    .statusCallbackMethod(CallbackMethod.GET).statusCallbackMethod((CallbackMethod) null).build();
            assertThat(r.parameters()).containsExactly(entry(UpdateCallParameter.STATUS, "completed"));
        }
    }

    @Nested
    class TimeLimit {
        @ParameterizedTest
        @ValueSource(ints = {1, 60, 14400, Integer.MAX_VALUE})
        void positiveSecondsAreAccepted(int seconds) {
            UpdateCallRequest r = UpdateCallRequest.builder().timeLimit(seconds).build();
            assertThat(r.timeLimit()).hasValue(seconds);
            assertThat(r.parameters()).containsExactly(entry(UpdateCallParameter.TIME_LIMIT, Integer.toString(seconds)));
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, -600, Integer.MIN_VALUE})
        void zeroAndNegativeAreRefused(int seconds) {
            assertRefused(() -> UpdateCallRequest.builder().timeLimit(seconds).build(), "TimeLimit",
                    "must be a positive number of seconds (got " + seconds + ")");
        }

        @Test
        void absentWhenNotSet() {
            assertThat(UpdateCallRequest.hangup().timeLimit()).isEmpty();
        }
    }

    @Nested
    class Twiml {
        @Test
        void blankIsRefused() {
            for (String blank : List.of("", " ", "\n\t ", "\u2003")) {
                assertRefused(() -> UpdateCallRequest.replaceTwiml(blank), "Twiml", "must not be blank");
            }
        }

        @Test
        void fourThousandCharactersAreTheLimit() {
            assertThat(UpdateCallRequest.replaceTwiml("x".repeat(4000)).twiml()).hasValueSatisfying(
                    t -> assertThat(t).hasSize(4000));
            assertRefused(() -> UpdateCallRequest.replaceTwiml("x".repeat(4001)), "Twiml",
                    "must be at most 4000 characters (got 4001)");
        }

        @Test
        void charactersAreCountedInCodePointsNotUtf16Units() {
            // 4000 emoji are 8000 UTF-16 units, but 4000 characters: accepted.
            String fourThousandEmoji = EMOJI.repeat(4000);
            assertThat(UpdateCallRequest.replaceTwiml(fourThousandEmoji).twiml()).contains(fourThousandEmoji);
            assertRefused(() -> UpdateCallRequest.replaceTwiml(EMOJI.repeat(4001)), "Twiml",
                    "must be at most 4000 characters (got 4001)");
            assertRefused(() -> UpdateCallRequest.replaceTwiml(EMOJI.repeat(3999) + "ab"), "Twiml",
                    "must be at most 4000 characters (got 4001)");
        }

        @Test
        void unpairedSurrogatesAreRefused() {
            assertRefused(() -> UpdateCallRequest.replaceTwiml("<Say>\uD83D</Say>"), "Twiml",
                    "must be valid Unicode (unpaired surrogate at index 5)");
            assertRefused(() -> UpdateCallRequest.replaceTwiml("\uDE00<Say/>"), "Twiml",
                    "must be valid Unicode (unpaired surrogate at index 0)");
            assertRefused(() -> UpdateCallRequest.replaceTwiml("<Say/>\uD83D"), "Twiml",
                    "must be valid Unicode (unpaired surrogate at index 6)");
            assertRefused(() -> UpdateCallRequest.replaceTwiml("<Say>\uDE00\uD83D</Say>"), "Twiml",
                    "must be valid Unicode (unpaired surrogate at index 5)");
        }

        @Test
        void markupAndNonAsciiAreKeptExactly() {
            String twiml = "<Response><Say language=\"ja-JP\">\u65e5\u672c &amp; caf\u00e9 " + EMOJI
                    + "</Say>\n\t<Pause length='1'/></Response>";
            assertThat(UpdateCallRequest.replaceTwiml(twiml).parameters())
                    .containsExactly(entry(UpdateCallParameter.TWIML, twiml));
        }
    }

    @Nested
    class Shortcuts {
        @Test
        void hangupSetsStatusCompleted() {
            assertThat(UpdateCallRequest.hangup().parameters())
                    .containsExactly(entry(UpdateCallParameter.STATUS, "completed"));
            assertThat(UpdateCallRequest.hangup().status()).contains(UpdateStatus.COMPLETED);
            assertThat(UpdateCallRequest.hangup())
                    .isEqualTo(UpdateCallRequest.builder().status(UpdateStatus.COMPLETED).build());
        }

        @Test
        void cancelSetsStatusCanceled() {
            assertThat(UpdateCallRequest.cancel().parameters())
                    .containsExactly(entry(UpdateCallParameter.STATUS, "canceled"));
            assertThat(UpdateCallRequest.cancel()).isEqualTo(UpdateCallRequest.builder().status("canceled").build());
        }

        @Test
        void redirectSetsUrlAndOptionallyMethod() {
            assertThat(UpdateCallRequest.redirect("https://example.com/hold.xml").parameters())
                    .containsExactly(entry(UpdateCallParameter.URL, "https://example.com/hold.xml"));
            assertThat(UpdateCallRequest.redirect("https://example.com/hold.xml", CallbackMethod.GET).parameters())
                    .containsExactly(entry(UpdateCallParameter.URL, "https://example.com/hold.xml"),
                            entry(UpdateCallParameter.METHOD, "GET"));
        }

        @Test
        void redirectValidatesItsUrl() {
            assertThatThrownBy(() -> UpdateCallRequest.redirect("ftp://example.com/x"))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("Url"));
            assertThatThrownBy(() -> UpdateCallRequest.redirect(null))
                    .isInstanceOfSatisfying(InvalidRequestException.class,
                            e -> assertThat(e.rule()).isEqualTo("must set at least one parameter"));
        }

        @Test
        void replaceTwimlSetsTwiml() {
            assertThat(UpdateCallRequest.replaceTwiml(TWIML).parameters())
                    .containsExactly(entry(UpdateCallParameter.TWIML, TWIML));
        }
    }

    @Nested
    class ValueSemantics {
        @Test
        void parametersAreInWireOrderWhateverTheBuilderOrder() {
            assertThat(allNine().parameters()).extracting(Map.Entry::getKey).containsExactly(
                    UpdateCallParameter.URL, UpdateCallParameter.METHOD, UpdateCallParameter.STATUS,
                    UpdateCallParameter.FALLBACK_URL, UpdateCallParameter.FALLBACK_METHOD,
                    UpdateCallParameter.STATUS_CALLBACK, UpdateCallParameter.STATUS_CALLBACK_METHOD,
                    UpdateCallParameter.TIME_LIMIT);
            UpdateCallRequest withTwiml = allNine().mutate().url(null).twiml(TWIML).build();
            assertThat(withTwiml.parameters()).extracting(Map.Entry::getKey).containsExactly(
                    UpdateCallParameter.METHOD, UpdateCallParameter.STATUS, UpdateCallParameter.FALLBACK_URL,
                    UpdateCallParameter.FALLBACK_METHOD, UpdateCallParameter.STATUS_CALLBACK,
                    UpdateCallParameter.STATUS_CALLBACK_METHOD, UpdateCallParameter.TWIML,
                    UpdateCallParameter.TIME_LIMIT);
        }

        @Test
        void parametersCannotBeModified() {
            assertThatThrownBy(() -> UpdateCallRequest.hangup().parameters().clear())
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThat(UpdateCallRequest.hangup().parameters()).hasSize(1);
        }

        @Test
        void gettersReturnTheValidatedValues() {
            UpdateCallRequest r = allNine();
            assertThat(r.url()).contains("https://example.com/next.xml");
            assertThat(r.method()).contains(CallbackMethod.GET);
            assertThat(r.status()).contains(UpdateStatus.COMPLETED);
            assertThat(r.fallbackUrl()).contains("https://example.com/fallback");
            assertThat(r.fallbackMethod()).contains(CallbackMethod.GET);
            assertThat(r.statusCallback()).contains("https://example.com/status");
            assertThat(r.statusCallbackMethod()).contains(CallbackMethod.GET);
            assertThat(r.twiml()).isEmpty();
            assertThat(r.timeLimit()).hasValue(600);
        }

        @Test
        void mutateRoundTrips() {
            for (UpdateCallRequest r : List.of(allNine(), UpdateCallRequest.hangup(), UpdateCallRequest.cancel(),
                    UpdateCallRequest.replaceTwiml(TWIML),
                    allNine().mutate().url(null).twiml(TWIML).status((String) null).build(),
                    UpdateCallRequest.builder().method("get").fallbackMethod("Post").statusCallbackMethod("head")
                            .build())) {
                UpdateCallRequest copy = r.mutate().build();
                assertThat(copy).isEqualTo(r).hasSameHashCodeAs(r).isNotSameAs(r);
                assertThat(copy.parameters()).isEqualTo(r.parameters());
                assertThat(copy).hasToString(r.toString());
            }
        }

        @Test
        void mutateDerivesAChangedCopyAndLeavesTheOriginal() {
            UpdateCallRequest original = allNine();
            UpdateCallRequest changed = original.mutate().timeLimit(30).method("POST").build();
            assertThat(changed.timeLimit()).hasValue(30);
            assertThat(changed.method()).contains(CallbackMethod.POST);
            assertThat(original.timeLimit()).hasValue(600);
            assertThat(original.method()).contains(CallbackMethod.GET);
            assertThat(changed).isNotEqualTo(original);
        }

        @Test
        void mutateRevalidates() {
            assertRefused(() -> UpdateCallRequest.redirect("https://example.com/a").mutate().twiml(TWIML).build(),
                    "Twiml", "must not be set together with Url (Url and Twiml are mutually exclusive)");
        }

        @Test
        void equalsAndHashCodeFollowTheWireParameters() {
            UpdateCallRequest a = UpdateCallRequest.builder().method("get").url("https://example.com/x").build();
            UpdateCallRequest b = UpdateCallRequest.builder().url("https://example.com/x").method(CallbackMethod.GET)
                    .build();
            assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
            assertThat(a).isEqualTo(a);
            assertThat(a).isNotEqualTo(UpdateCallRequest.redirect("https://example.com/x"));
            assertThat(a).isNotEqualTo(UpdateCallRequest.builder().url("https://example.com/y")
                    .method(CallbackMethod.GET).build());
            assertThat(a).isNotEqualTo(null);
            assertThat(a).isNotEqualTo("Url=https://example.com/x&Method=GET");
            assertThat(UpdateCallRequest.hangup()).isNotEqualTo(UpdateCallRequest.cancel());
        }

        @Test
        void toStringShowsParametersButOnlyTheLengthOfTwiml() {
            String secret = "<Response><Say>Your PIN is 4711</Say></Response>";
            UpdateCallRequest r = UpdateCallRequest.builder().twiml(secret).timeLimit(60).build();
            assertThat(r.toString())
                    .isEqualTo("UpdateCallRequest{Twiml=<" + secret.length() + " chars>, TimeLimit=60}")
                    .doesNotContain("4711").doesNotContain("Say");
            assertThat(UpdateCallRequest.hangup()).hasToString("UpdateCallRequest{Status=completed}");
            assertThat(allNine().toString()).isEqualTo("UpdateCallRequest{Url=https://example.com/next.xml, "
                    + "Method=GET, Status=completed, FallbackUrl=https://example.com/fallback, FallbackMethod=GET, "
                    + "StatusCallback=https://example.com/status, StatusCallbackMethod=GET, TimeLimit=600}");
        }

        @Test
        void toStringCountsTwimlInCharactersLikeTheRule() {
            assertThat(UpdateCallRequest.replaceTwiml(EMOJI.repeat(3)))
                    .hasToString("UpdateCallRequest{Twiml=<3 chars>}");
        }
    }

    @Nested
    class Idempotence {
        @Test
        void updatesThatDoNotRedirectAreIdempotent() {
            assertThat(UpdateCallRequest.hangup().isIdempotent()).isTrue();
            assertThat(UpdateCallRequest.cancel().isIdempotent()).isTrue();
            assertThat(UpdateCallRequest.builder().timeLimit(60).build().isIdempotent()).isTrue();
            assertThat(UpdateCallRequest.builder().statusCallback("https://example.com/s")
                    .statusCallbackMethod(CallbackMethod.POST).build().isIdempotent()).isTrue();
            assertThat(UpdateCallRequest.builder().fallbackUrl("https://example.com/f").method(CallbackMethod.GET)
                    .status(UpdateStatus.COMPLETED).build().isIdempotent()).isTrue();
        }

        @Test
        void redirectsAreNot() {
            assertThat(UpdateCallRequest.redirect("https://example.com/x").isIdempotent()).isFalse();
            assertThat(UpdateCallRequest.replaceTwiml(TWIML).isIdempotent()).isFalse();
            assertThat(allNine().isIdempotent()).isFalse();
            assertThat(UpdateCallRequest.builder().twiml(TWIML).status(UpdateStatus.COMPLETED).build()
                    .isIdempotent()).isFalse();
        }
    }

    @Nested
    class LeftLive {
        private Call answer(CallStatus status) {
            return Call.builder().status(status).build();
        }

        @Test
        void aCancelAnsweredWithTheCallStillInProgressLeftItLive() {
            assertThat(UpdateCallRequest.cancel().leftLive(answer(CallStatus.IN_PROGRESS))).isTrue();
            assertThat(UpdateCallRequest.cancel().leftLive(answer(CallStatus.RINGING))).isTrue();
            assertThat(UpdateCallRequest.hangup().leftLive(answer(CallStatus.QUEUED))).isTrue();
        }

        @Test
        void anEndedCallAnUnknownStatusOrAnUpdateThatDoesNotEndTheCallDidNot() {
            assertThat(UpdateCallRequest.cancel().leftLive(answer(CallStatus.CANCELED))).isFalse();
            assertThat(UpdateCallRequest.hangup().leftLive(answer(CallStatus.COMPLETED))).isFalse();
            assertThat(UpdateCallRequest.cancel().leftLive(answer(CallStatus.UNKNOWN))).isFalse();
            assertThat(UpdateCallRequest.redirect("https://example.com/x").leftLive(answer(CallStatus.IN_PROGRESS))).isFalse();
            assertThat(UpdateCallRequest.builder().timeLimit(60).build().leftLive(answer(CallStatus.IN_PROGRESS))).isFalse();
            assertThat(UpdateCallRequest.builder().twiml(TWIML).status(UpdateStatus.COMPLETED).build()
                    .leftLive(answer(CallStatus.IN_PROGRESS))).isFalse();
        }
    }

    @Test
    void parameterNamesAreTwiliosInWireOrder() {
        assertThat(UpdateCallParameter.values()).extracting(UpdateCallParameter::wireName).containsExactly(
                "Url", "Method", "Status", "FallbackUrl", "FallbackMethod", "StatusCallback",
                "StatusCallbackMethod", "Twiml", "TimeLimit");
        assertThat(UpdateCallParameter.STATUS_CALLBACK_METHOD).hasToString("StatusCallbackMethod");
    }
}
