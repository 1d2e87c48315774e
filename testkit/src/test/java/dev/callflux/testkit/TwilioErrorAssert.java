package dev.callflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the shape every error answer of the simulator has. */
final class TwilioErrorAssert {

    private TwilioErrorAssert() {
    }

    static void assertTwilioError(SimHttp.Response r, int status, int code) {
        assertThat(r.status).as("status of %s", r).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.header("Twilio-Request-Id")).matches("RQ[0-9a-f]{32}");
        assertThat(r.json().keySet()).containsExactly("code", "message", "more_info", "status");
        assertThat(r.code()).isEqualTo((long) code);
        assertThat(r.message()).isNotBlank();
        assertThat(r.json().get("more_info")).isEqualTo("https://www.twilio.com/docs/errors/" + code);
        assertThat(r.json().get("status")).isEqualTo((long) status);
    }
}
