package dev.callflux.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Header names and the User-Agent every exchange sends. */
class TwilioHttpTest {

    @Test
    void userAgentNamesLibraryVersionAndJava() {
        assertThat(TwilioHttp.USER_AGENT)
                .startsWith("callflux-java/" + TwilioHttp.VERSION + " (")
                .contains("Java " + System.getProperty("java.version"))
                .endsWith(")")
                .doesNotContain("\r", "\n");
    }

    @Test
    void versionComesFromTheMavenBuild() {
        assertThat(TwilioHttp.VERSION).isNotEqualTo("unknown").doesNotContain("${").isNotBlank()
                .matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void headerNamesAreTwilios() {
        assertThat(TwilioHttp.REQUEST_ID).isEqualTo("Twilio-Request-Id");
        assertThat(TwilioHttp.CONCURRENT_REQUESTS).isEqualTo("Twilio-Concurrent-Requests");
        assertThat(TwilioHttp.RETRY_AFTER).isEqualTo("Retry-After");
    }
}
