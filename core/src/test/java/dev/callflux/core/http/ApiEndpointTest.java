package dev.callflux.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.CallSid;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Where requests go, and that credentials never go anywhere in clear text by accident. */
class ApiEndpointTest {

    private static final AccountSid ACCOUNT = AccountSid.of("AC0123456789abcdef0123456789abcdef");
    private static final CallSid CALL = CallSid.of("CAfedcba9876543210fedcba9876543210");
    private static final String PATH = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef"
            + "/Calls/CAfedcba9876543210fedcba9876543210.json";

    /** A bad setting: an IllegalArgumentException whose message is the setting's name, a space and the rule. */
    private static void assertRefused(Runnable r, String setting, String rule) {
        assertThatThrownBy(r::run).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(setting + " " + rule)
                .hasNoCause();
    }

    @Test
    void defaultIsTwiliosGlobalHost() {
        assertThat(ApiEndpoint.DEFAULT.baseUrl()).isEqualTo("https://api.twilio.com");
        assertThat(ApiEndpoint.DEFAULT).hasToString("https://api.twilio.com");
        assertThat(ApiEndpoint.DEFAULT.isSecure()).isTrue();
        assertThat(ApiEndpoint.DEFAULT.updateCallUrl(ACCOUNT, CALL)).isEqualTo("https://api.twilio.com" + PATH);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "ie1,  dublin,    https://api.dublin.ie1.twilio.com",
        "au1,  sydney,    https://api.sydney.au1.twilio.com",
        "us1,  ashburn,   https://api.ashburn.us1.twilio.com",
        "null, dublin,    https://api.dublin.us1.twilio.com",
        "'',   sydney,    https://api.sydney.us1.twilio.com",
        "ie1,  null,      https://api.dublin.ie1.twilio.com",
        "ie1,  '  ',      https://api.dublin.ie1.twilio.com",
        "ie1,  tokyo,     https://api.tokyo.ie1.twilio.com",
        "' IE1 ', null,   https://api.dublin.ie1.twilio.com",
        "' Sg1  ', '',    https://api.singapore.sg1.twilio.com",
        "null, ' Tokyo ', https://api.tokyo.us1.twilio.com",
        "IE1,  Dublin,    https://api.dublin.ie1.twilio.com",
        "' ie1 ', ' dublin ', https://api.dublin.ie1.twilio.com",
        "us2-x, edge-2,   https://api.edge-2.us2-x.twilio.com",
        "null, null,      https://api.twilio.com",
        "'',   '',        https://api.twilio.com"
    })
    void regionAndEdge(String region, String edge, String expected) {
        ApiEndpoint e = ApiEndpoint.of(region, edge);
        assertThat(e.baseUrl()).isEqualTo(expected);
        assertThat(e.isSecure()).isTrue();
    }

    @Test
    void neitherRegionNorEdgeIsTheDefault() {
        assertThat(ApiEndpoint.of(null, null)).isSameAs(ApiEndpoint.DEFAULT);
        assertThat(ApiEndpoint.DEFAULT_REGION).isEqualTo("us1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ie1.evil.com", "ie1/..", "ie_1", "-ie1", "ie1-", "ie--1", "ie 1", "ie1:443", "ie1@x",
            "\u00e9u1", "ie\r\n1", "i\u0000e1"})
    void invalidLocationNamesAreRefused(String name) {
        String rule = "must be a Twilio location name such as 'ie1' or 'dublin'";
        assertRefused(() -> ApiEndpoint.of(name, null), "Region", rule);
        assertRefused(() -> ApiEndpoint.of("ie1", name), "Edge", rule);
    }

    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.1,              http://127.0.0.1",
        "http://127.0.0.1:8080,         http://127.0.0.1:8080",
        "http://127.1.2.3:8080/,        http://127.1.2.3:8080",
        "http://localhost:8080/,        http://localhost:8080",
        "http://LOCALHOST:8080,         http://LOCALHOST:8080",
        "http://[::1]:8080,             http://[::1]:8080",
        "http://[0:0:0:0:0:0:0:1]/,     http://[0:0:0:0:0:0:0:1]",
        "https://example.com,           https://example.com",
        "https://example.com/,          https://example.com",
        "https://example.com///,        https://example.com",
        "https://proxy.example.com/twilio/, https://proxy.example.com/twilio",
        "https://10.0.0.1:8443/a/b,     https://10.0.0.1:8443/a/b",
        "HTTPS://API.TWILIO.COM,        HTTPS://API.TWILIO.COM",
        "' https://example.com ',       https://example.com"
    })
    void baseUrlAcceptsHttpsAnywhereAndHttpOnLoopback(String url, String expected) {
        ApiEndpoint e = ApiEndpoint.baseUrl(url);
        assertThat(e.baseUrl()).isEqualTo(expected);
        assertThat(e.updateCallUrl(ACCOUNT, CALL)).isEqualTo(expected + PATH);
        assertThat(e.isSecure()).isEqualTo(expected.toLowerCase().startsWith("https:"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "http://api.twilio.com/", "http://10.0.0.1:8080",
            "http://128.0.0.1", "http://0.0.0.0", "http://[::2]", "http://localhost.example.com",
            "http://cafe", "http://dead.beef", "http://127.0.0.1.example.com", "http://[::ffff:10.0.0.1]"})
    void plainHttpElsewhereIsRefusedPointingAtInsecureBaseUrl(String url) {
        assertThatThrownBy(() -> ApiEndpoint.baseUrl(url))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("BaseUrl must use https unless the host is a loopback address")
                .message().contains("https").contains("loopback").contains("insecureBaseUrl");
        ApiEndpoint insecure = ApiEndpoint.insecureBaseUrl(url);
        assertThat(insecure.isSecure()).isFalse();
        assertThat(insecure.baseUrl()).isEqualTo(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    @Test
    void insecureBaseUrlStillChecksTheUrl() {
        assertRefused(() -> ApiEndpoint.insecureBaseUrl("http://user:pw@example.com"), "BaseUrl",
                "must not contain user info (pass credentials separately)");
        assertRefused(() -> ApiEndpoint.insecureBaseUrl("ftp://example.com"), "BaseUrl",
                "must be an absolute http or https URL");
        assertThat(ApiEndpoint.insecureBaseUrl("https://example.com/").baseUrl()).isEqualTo("https://example.com");
    }

    @Test
    void userInfoIsRefusedWithoutEchoingIt() {
        for (String url : new String[] {"https://AC123:s3cr3tTOKEN@api.twilio.com", "http://user:s3cr3tTOKEN@127.0.0.1"}) {
            assertThatThrownBy(() -> ApiEndpoint.baseUrl(url))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("BaseUrl must not contain user info (pass credentials separately)")
                    .message().doesNotContain("s3cr3tTOKEN");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com?x=1", "https://example.com/?x=1", "https://example.com#frag",
            "https://example.com/a?"})
    void queryAndFragmentAreRefused(String url) {
        assertRefused(() -> ApiEndpoint.baseUrl(url), "BaseUrl", "must not have a query or fragment");
    }

    @Test
    void otherInvalidBaseUrlsAreRefused() {
        assertThatThrownBy(() -> ApiEndpoint.baseUrl(null)).isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("BaseUrl is required");
        assertThatThrownBy(() -> ApiEndpoint.insecureBaseUrl(null)).isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("BaseUrl is required");
        assertRefused(() -> ApiEndpoint.baseUrl("  "), "BaseUrl", "is required");
        assertRefused(() -> ApiEndpoint.baseUrl("api.twilio.com"), "BaseUrl", "must be an absolute http or https URL");
        assertRefused(() -> ApiEndpoint.baseUrl("ws://example.com"), "BaseUrl", "must be an absolute http or https URL");
        assertRefused(() -> ApiEndpoint.baseUrl("https:///path"), "BaseUrl", "must have a valid host name");
        assertRefused(() -> ApiEndpoint.baseUrl("https://bad_host.example.com"), "BaseUrl",
                "must have a valid host name");
        assertThatThrownBy(() -> ApiEndpoint.baseUrl("https://example.com/a b"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("BaseUrl must be a valid URL (Illegal character in path)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com:0", "https://example.com:65536", "https://example.com:99999/x",
            "http://127.0.0.1:70000"})
    void impossiblePortsAreRefused(String url) {
        assertRefused(() -> ApiEndpoint.baseUrl(url), "BaseUrl", "must have a port between 1 and 65535");
    }

    @Test
    void possiblePortsAreKept() {
        assertThat(ApiEndpoint.baseUrl("https://example.com:1").baseUrl()).isEqualTo("https://example.com:1");
        assertThat(ApiEndpoint.baseUrl("https://example.com:65535/").baseUrl()).isEqualTo("https://example.com:65535");
    }

    @Test
    void updateCallPathFollowsTheOperation() {
        assertThat(ApiEndpoint.updateCallPath(ACCOUNT, CALL)).isEqualTo(PATH);
    }

    @Test
    void equalityFollowsTheBaseUrl() {
        assertThat(ApiEndpoint.baseUrl("https://api.twilio.com/")).isEqualTo(ApiEndpoint.DEFAULT)
                .hasSameHashCodeAs(ApiEndpoint.DEFAULT);
        assertThat(ApiEndpoint.of("ie1", null)).isNotEqualTo(ApiEndpoint.DEFAULT)
                .isEqualTo(ApiEndpoint.of("ie1", "dublin"))
                .isNotEqualTo(ApiEndpoint.baseUrl("https://api.ie1.twilio.com"));
    }

    @ParameterizedTest
    @CsvSource({
        "us1, ashburn,   https://api.ashburn.us1.twilio.com",
        "us2, umatilla,  https://api.umatilla.us2.twilio.com",
        "ie1, dublin,    https://api.dublin.ie1.twilio.com",
        "de1, frankfurt, https://api.frankfurt.de1.twilio.com",
        "au1, sydney,    https://api.sydney.au1.twilio.com",
        "jp1, tokyo,     https://api.tokyo.jp1.twilio.com",
        "sg1, singapore, https://api.singapore.sg1.twilio.com",
        "br1, sao-paulo, https://api.sao-paulo.br1.twilio.com"
    })
    void aRegionAloneGoesThroughItsDefaultEdge(String region, String edge, String expected) {
        assertThat(ApiEndpoint.DEFAULT_EDGES).containsEntry(region, edge);
        assertThat(ApiEndpoint.of(region, null).baseUrl()).isEqualTo(expected);
        assertThat(ApiEndpoint.of(region, "").baseUrl()).isEqualTo(expected);
        assertThat(ApiEndpoint.of(region.toUpperCase(), null).baseUrl()).isEqualTo(expected);
        assertThat(ApiEndpoint.of(region, null)).isEqualTo(ApiEndpoint.of(region, edge));
    }

    @Test
    void theDefaultEdgeTableIsExactlyTwiliosAndReadOnly() {
        assertThat(ApiEndpoint.DEFAULT_EDGES).containsExactly(
                Map.entry("us1", "ashburn"), Map.entry("us2", "umatilla"), Map.entry("ie1", "dublin"),
                Map.entry("de1", "frankfurt"), Map.entry("au1", "sydney"), Map.entry("jp1", "tokyo"),
                Map.entry("sg1", "singapore"), Map.entry("br1", "sao-paulo"));
        assertThat(ApiEndpoint.DEFAULT_EDGES).containsKey(ApiEndpoint.DEFAULT_REGION);
        assertThatThrownBy(() -> ApiEndpoint.DEFAULT_EDGES.put("eu1", "paris"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ApiEndpoint.DEFAULT_EDGES.remove("ie1"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anEdgeAloneMeansRegionUs1() {
        for (String edge : new String[] {"ashburn", "dublin", "sydney", "sao-paulo", "new-edge-9"}) {
            assertThat(ApiEndpoint.of(null, edge).baseUrl()).isEqualTo("https://api." + edge + ".us1.twilio.com");
            assertThat(ApiEndpoint.of("  ", edge)).isEqualTo(ApiEndpoint.of(ApiEndpoint.DEFAULT_REGION, edge));
        }
    }

    @Test
    void aRegionAndAnEdgeAreBothKeptEvenIfNotInTheTable() {
        assertThat(ApiEndpoint.of("au1", "dublin").baseUrl()).isEqualTo("https://api.dublin.au1.twilio.com");
        assertThat(ApiEndpoint.of("us1", "umatilla").baseUrl()).isEqualTo("https://api.umatilla.us1.twilio.com");
        assertThat(ApiEndpoint.of("xx9", "new-edge").baseUrl()).isEqualTo("https://api.new-edge.xx9.twilio.com");
        assertThat(ApiEndpoint.of(" XX9 ", " New-Edge ").baseUrl()).isEqualTo("https://api.new-edge.xx9.twilio.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"eu1", "us3", "xx9", "ie2", "dublin", "US3", " eu1 ", "us1-x"})
    void anUnknownRegionWithoutAnEdgeIsRefusedListingTheKnownOnes(String region) {
        String rule = "must be one of us1 (edge ashburn), us2 (edge umatilla), ie1 (edge dublin), de1 (edge frankfurt), "
                + "au1 (edge sydney), jp1 (edge tokyo), sg1 (edge singapore), br1 (edge sao-paulo) (or give an edge too)";
        assertRefused(() -> ApiEndpoint.of(region, null), "Region", rule);
        assertRefused(() -> ApiEndpoint.of(region, " "), "Region", rule);
        assertThatThrownBy(() -> ApiEndpoint.of(region, null)).hasMessage("Region " + rule);
        // With an edge the same region is accepted: Twilio adds regions and edges.
        assertThat(ApiEndpoint.of(region, "dublin").baseUrl())
                .isEqualTo("https://api.dublin." + region.trim().toLowerCase() + ".twilio.com");
    }

    @Test
    void namesAreTrimmedAndLowerCasedBeforeTheTableIsRead() {
        assertThat(ApiEndpoint.of("\tSG1\n", null).baseUrl()).isEqualTo("https://api.singapore.sg1.twilio.com");
        assertThat(ApiEndpoint.of(" Br1 ", "\t").baseUrl()).isEqualTo("https://api.sao-paulo.br1.twilio.com");
        assertThat(ApiEndpoint.of("\nUS2 ", " UMATILLA\r\n").baseUrl()).isEqualTo("https://api.umatilla.us2.twilio.com");
        assertThat(ApiEndpoint.of(null, "\tFrankfurt ").baseUrl()).isEqualTo("https://api.frankfurt.us1.twilio.com");
    }

    @Test
    void noRegionEverYieldsARegionOnlyHost() {
        for (String region : ApiEndpoint.DEFAULT_EDGES.keySet()) {
            for (String edge : new String[] {null, "", "  ", "dublin"}) {
                String url = ApiEndpoint.of(region, edge).baseUrl();
                assertThat(url).isNotEqualTo("https://api." + region + ".twilio.com")
                        .matches("https://api\\.[a-z0-9-]+\\." + region + "\\.twilio\\.com");
            }
        }
        for (String region : new String[] {"ie1", "au1", "br1", "de1", "jp1", "sg1", "us2", "us1"}) {
            assertThat(ApiEndpoint.of(region, null).baseUrl()).doesNotStartWith("https://api." + region + ".");
        }
    }
}
