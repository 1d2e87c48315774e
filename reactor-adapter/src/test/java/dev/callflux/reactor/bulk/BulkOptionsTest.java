package dev.callflux.reactor.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.callflux.core.model.UpdateCallRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bulk settings follow the client builder's convention: the setting's name, a space and the rule. */
class BulkOptionsTest {

    @Test
    void aBadSettingIsAnIllegalArgumentNamingTheSettingFirst() {
        Map<Runnable, String> bad = new LinkedHashMap<>();
        bad.put(() -> BulkOptions.builder().maxInFlight(0), "MaxInFlight must be at least 1 (got 0)");
        bad.put(() -> BulkOptions.fixed(-2), "MaxInFlight must be at least 1 (got -2)");
        bad.put(() -> BulkOptions.builder().initialLimit(0), "InitialLimit must be at least 1 (got 0)");
        bad.put(() -> BulkOptions.builder().ratePerSecond(-1), "RatePerSecond must be 0 (none) or a positive finite number (got -1.0)");
        bad.put(() -> BulkOptions.builder().ratePerSecond(Double.NaN), "RatePerSecond must be 0 (none) or a positive finite number (got NaN)");
        bad.put(() -> BulkOptions.builder().ratePerSecond(Double.POSITIVE_INFINITY),
                "RatePerSecond must be 0 (none) or a positive finite number (got Infinity)");
        bad.put(() -> BulkOptions.builder().fatalErrorThreshold(-1), "FatalErrorThreshold must be 0 (off) or positive (got -1)");
        bad.forEach((mistake, message) -> assertThat(catchThrowable(mistake::run)).as(message)
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(message));
    }

    @Test
    void aMissingSettingIsANullPointerNamingTheSettingFirst() {
        Map<Runnable, String> missing = new LinkedHashMap<>();
        missing.put(() -> BulkOptions.builder().retryPolicy(null), "RetryPolicy is required");
        missing.put(() -> BulkOptions.builder().stopWhen(null), "StopWhen is required");
        missing.put(() -> BulkOptions.builder().listener(null), "BulkListener is required");
        missing.put(() -> BulkCommand.of("CA0123456789abcdef0123456789abcdef", null, "x"), "UpdateCallRequest is required");
        missing.put(() -> BulkCommand.of("CA0123456789abcdef0123456789abcdef", UpdateCallRequest.hangup(), "x").inAccount(null),
                "AccountSid is required");
        missing.forEach((mistake, message) -> assertThat(catchThrowable(mistake::run)).as(message)
                .isExactlyInstanceOf(NullPointerException.class).hasMessage(message));
    }
}
