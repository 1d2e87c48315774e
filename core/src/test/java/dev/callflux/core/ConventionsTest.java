package dev.callflux.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.http.ApiEndpoint;
import dev.callflux.core.http.Credentials;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one convention for errors of values given to CallFlux:
 * <ul>
 *   <li><b>configuration</b> (endpoints, credentials, builders' settings, a SID used as a setting) throws
 *       {@link IllegalArgumentException} for a bad value and {@link NullPointerException} for a {@code null} where a
 *       value is required, never a {@link CallFluxException}; the message is the setting's name, a space and the
 *       rule ({@code "Region must be one of ..."}), so that a tool can put its own name for the setting in front;</li>
 *   <li><b>a request</b> Twilio would refuse (UpdateCallRequest fields, the call SID, the account SID of a request
 *       path) throws {@link InvalidRequestException}, {@code field()} and {@code rule()}, message
 *       {@code "<field>: <rule>"}.</li>
 * </ul>
 * The reactor adapter's builder follows the same convention (its CallFluxClientTest).
 */
class ConventionsTest {

    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String SID_RULE = "must be 'AC' followed by 32 hexadecimal digits (got 5 characters)";

    /** Each configuration mistake and the exact message it gives. */
    private static final Map<Runnable, String> BAD_SETTINGS = Map.of(
            () -> ApiEndpoint.of("xx9", null), "Region must be one of us1 (edge ashburn), us2 (edge umatilla), "
                    + "ie1 (edge dublin), de1 (edge frankfurt), au1 (edge sydney), jp1 (edge tokyo), sg1 (edge singapore), "
                    + "br1 (edge sao-paulo) (or give an edge too)",
            () -> ApiEndpoint.of("ie1", "dub.lin"), "Edge must be a Twilio location name such as 'ie1' or 'dublin'",
            () -> ApiEndpoint.baseUrl("http://example.com"), "BaseUrl must use https unless the host is a loopback "
                    + "address (use ApiEndpoint.insecureBaseUrl to send credentials over plain http anyway)",
            () -> ApiEndpoint.insecureBaseUrl("ftp://example.com"), "BaseUrl must be an absolute http or https URL",
            () -> Credentials.authToken(ACCOUNT, "a token"), "AuthToken must be printable ASCII without spaces",
            () -> Credentials.authToken(ACCOUNT, " "), "AuthToken is required",
            () -> Credentials.authToken("AC123", "token"), "AccountSid " + SID_RULE,
            () -> Credentials.apiKey("SK123", "secret"),
                    "ApiKeySid must be 'SK' followed by 32 hexadecimal digits (got 5 characters)",
            () -> Credentials.apiKey("SK0123456789abcdef0123456789abcdef", "s\u00e9cret"),
                    "ApiKeySecret must be printable ASCII without spaces");

    private static final Map<Runnable, String> MISSING_SETTINGS = Map.of(
            () -> ApiEndpoint.baseUrl(null), "BaseUrl is required",
            () -> Credentials.authToken(null, "token"), "AccountSid is required",
            () -> Credentials.authToken(ACCOUNT, null), "AuthToken is required",
            () -> Credentials.apiKey(null, "secret"), "ApiKeySid is required",
            () -> Credentials.apiKey("SK0123456789abcdef0123456789abcdef", null), "ApiKeySecret is required");

    @Test
    void aBadSettingIsAnIllegalArgumentNamingTheSettingFirst() {
        BAD_SETTINGS.forEach((mistake, message) -> assertThat(catchThrowable(mistake::run)).as(message)
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(message).hasNoCause());
    }

    @Test
    void aMissingSettingIsANullPointerNamingTheSettingFirst() {
        MISSING_SETTINGS.forEach((mistake, message) -> assertThat(catchThrowable(mistake::run)).as(message)
                .isExactlyInstanceOf(NullPointerException.class).hasMessage(message));
    }

    @Test
    void everyConfigurationMessageStartsWithTheSettingsNameAndARule() {
        for (String message : List.copyOf(BAD_SETTINGS.values())) {
            assertThat(message).matches("(Region|Edge|BaseUrl|AuthToken|AccountSid|ApiKeySid|ApiKeySecret) (is|must) .+");
        }
    }

    @Test
    void aRequestTwilioWouldRefuseIsAnInvalidRequest() {
        assertRequest(() -> UpdateCallRequest.builder().build(), "UpdateCallRequest", "must set at least one parameter");
        assertRequest(() -> UpdateCallRequest.redirect("ftp://example.com/next.xml"), "Url",
                "must be an absolute URL with the http or https scheme");
        assertRequest(() -> CallSid.of("CA123"), "CallSid",
                "must be 'CA' followed by 32 hexadecimal digits (got 5 characters)");
        // The account SID of a request path is part of the request.
        assertRequest(() -> AccountSid.of("AC123"), "AccountSid", SID_RULE);
    }

    @Test
    void theSameSidRuleReadsTheSameInBothShapes() {
        // As a setting (the credentials' account) and as part of a request (a request path): same words.
        assertThat(catchThrowable(() -> Credentials.authToken("AC123", "token"))).hasMessage("AccountSid " + SID_RULE);
        assertThat(catchThrowable(() -> AccountSid.of("AC123"))).hasMessage("AccountSid: " + SID_RULE);
    }

    private static void assertRequest(Runnable request, String field, String rule) {
        assertThat(catchThrowable(request::run)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.rule()).isEqualTo(rule);
            assertThat(e).hasMessage(field + ": " + rule);
        });
    }
}
