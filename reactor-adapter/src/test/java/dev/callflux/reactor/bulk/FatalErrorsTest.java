package dev.callflux.reactor.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.CallFluxTransportException.Kind;
import dev.callflux.core.error.TwilioApiException;
import org.junit.jupiter.api.Test;

/** The counting of the fatal-error rule, attempt by attempt. */
class FatalErrorsTest {

    private static final Throwable REFUSED = api(401);
    private static final Throwable FORBIDDEN = api(403);
    private static final Throwable NOT_FOUND = api(404);
    private static final Throwable UNREACHABLE = new CallFluxTransportException(Kind.CONNECT, false, "connection refused", null);
    private static final Throwable TIMEOUT = new CallFluxTransportException(Kind.RESPONSE_TIMEOUT, true, "no answer", null);

    private static TwilioApiException api(int status) {
        return new TwilioApiException(status, status == 401 ? 20003 : 20404, "m", null, null, null, null, null);
    }

    @Test
    void tripsOnTheThresholdthRefusalInARow() {
        FatalErrors rule = new FatalErrors(3);
        assertThat(rule.failed(REFUSED)).isNull();
        assertThat(rule.failed(FORBIDDEN)).isNull();
        assertThat(rule.failed(REFUSED)).isSameAs(REFUSED);
        assertThat(rule.failed(REFUSED)).as("trips once").isNull();
    }

    @Test
    void anyOtherAnswerInBetweenStartsTheCountAgain() {
        FatalErrors rule = new FatalErrors(2);
        assertThat(rule.failed(REFUSED)).isNull();
        assertThat(rule.failed(NOT_FOUND)).isNull();
        assertThat(rule.failed(REFUSED)).isNull();
        rule.answered();
        assertThat(rule.failed(REFUSED)).isNull();
        assertThat(rule.failed(REFUSED)).isSameAs(REFUSED);
    }

    @Test
    void unreachableCountsOnlyBeforeTheEndpointFirstAnswered() {
        FatalErrors before = new FatalErrors(2);
        assertThat(before.failed(UNREACHABLE)).isNull();
        assertThat(before.failed(TIMEOUT)).isNull();
        assertThat(before.failed(UNREACHABLE)).isSameAs(UNREACHABLE);

        FatalErrors after = new FatalErrors(2);
        after.answered();
        for (int i = 0; i < 10; i++) {
            assertThat(after.failed(UNREACHABLE)).as("an outage after answers is ridden out").isNull();
        }
    }

    @Test
    void zeroTurnsTheRuleOff() {
        FatalErrors off = new FatalErrors(0);
        for (int i = 0; i < 10; i++) {
            assertThat(off.failed(REFUSED)).isNull();
            assertThat(off.failed(UNREACHABLE)).isNull();
        }
    }
}
