package dev.callflux.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallStatus;
import dev.callflux.core.model.CallbackMethod;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.testkit.TestSids;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The public record formats: what {@link CommandRecords} writes, the worker reads back as the same update. */
class CommandRecordsTest {

    private static final String CALL = TestSids.callSid(1, 1);
    private static final String ACCOUNT = TestSids.newAccountSid();

    private static ParsedCommand roundTrip(byte[] value) {
        return CommandCodec.parse("t", 0, 7, null, value);
    }

    @Test
    void everyParameterOfAnUpdateComesBackTheSame() {
        UpdateCallRequest update = UpdateCallRequest.builder().url("https://example.com/next").method(CallbackMethod.GET)
                .fallbackUrl("https://example.com/fallback").fallbackMethod(CallbackMethod.POST)
                .statusCallback("https://example.com/status").statusCallbackMethod(CallbackMethod.GET).timeLimit(60).build();
        ParsedCommand c = roundTrip(CommandRecords.value("c-1", CALL, ACCOUNT, update, true));
        assertThat(c.isValid()).as("%s %s", c.field(), c.rule()).isTrue();
        assertThat(c.request()).isEqualTo(update);
        assertThat(c.at().commandId()).isEqualTo("c-1");
        assertThat(c.account().value()).isEqualTo(ACCOUNT);
        assertThat(c.resendAllowed()).isTrue();
        assertThat(c.isRedirect()).isTrue();

        ParsedCommand hangup = roundTrip(CommandRecords.value("c-2", CALL, UpdateCallRequest.hangup()));
        assertThat(hangup.request()).isEqualTo(UpdateCallRequest.hangup());
        assertThat(hangup.account()).isNull();
        assertThat(new String(CommandRecords.value("c-2", CALL, UpdateCallRequest.hangup()), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"c-2\",\"callSid\":\"" + CALL + "\",\"status\":\"completed\"}");
        assertThat(roundTrip(CommandRecords.value("c-3", CALL, UpdateCallRequest.replaceTwiml("<Response><Hangup/></Response>")))
                .request().twiml()).contains("<Response><Hangup/></Response>");
    }

    @Test
    void aBadIdOrSidIsRefusedNamingTheField() {
        assertThatThrownBy(() -> CommandRecords.value(" ", CALL, UpdateCallRequest.hangup()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("commandId must be a non-empty string");
        assertThatThrownBy(() -> CommandRecords.value("c", "CA12", UpdateCallRequest.hangup()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("callSid must be CA followed by 32 hex digits");
        assertThatThrownBy(() -> CommandRecords.value("c", CALL, "AC1", UpdateCallRequest.hangup(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("accountSid must be AC followed by 32 hex digits");
    }

    @Test
    void aCancelThatFoundTheCallAnsweredIsRecordedAsStillLive() {
        ResultRecord answered = succeeded(UpdateCallRequest.cancel(), CallStatus.IN_PROGRESS);
        assertThat(answered.outcome()).isEqualTo(BulkResult.Outcome.SUCCEEDED);
        assertThat(answered.callStatus()).contains("in-progress");
        assertThat(answered.stillLive()).isTrue();

        assertThat(succeeded(UpdateCallRequest.cancel(), CallStatus.CANCELED).stillLive()).isFalse();
        assertThat(succeeded(UpdateCallRequest.hangup(), CallStatus.COMPLETED).stillLive()).isFalse();
        assertThat(succeeded(UpdateCallRequest.redirect("https://example.com/x"), CallStatus.IN_PROGRESS).stillLive()).isFalse();
    }

    private static ResultRecord succeeded(UpdateCallRequest request, CallStatus answer) {
        ParsedCommand c = roundTrip(CommandRecords.value("s", CALL, request));
        Call call = Call.builder().sid(CALL).status(answer).build();
        return ResultRecord.parse(CommandCodec.result(BulkResult.success(c.at(), CALL, call, 1, Duration.ZERO)));
    }

    @Test
    void resultRecordsReadBack() {
        ParsedCommand bad = CommandCodec.parse("t", 3, 9, null, "{\"id\":\"x\",\"callSid\":\"CA1\"}".getBytes(StandardCharsets.UTF_8));
        ResultRecord refused = ResultRecord.parse(CommandCodec.refused(bad));
        assertThat(refused.commandId()).isEqualTo("x");
        assertThat(refused.outcome()).isEqualTo(BulkResult.Outcome.FAILED);
        assertThat(refused.field()).contains("callSid");
        assertThat(refused.attempts()).isZero();
        assertThat(refused.httpStatus()).isEmpty();
        assertThat(refused.partition()).isEqualTo(3);
        assertThat(refused.offset()).isEqualTo(9);

        ResultRecord unknown = ResultRecord.parse(CommandCodec.inDoubt(roundTrip(
                CommandRecords.value("r", CALL, UpdateCallRequest.redirect("https://example.com/x")))));
        assertThat(unknown.outcome()).isEqualTo(BulkResult.Outcome.UNKNOWN);
        assertThat(unknown.error().orElseThrow()).startsWith("may have been applied");

        assertThat(unknown.stillLive()).isFalse();

        assertThatThrownBy(() -> ResultRecord.parse("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id and outcome are required");
        assertThatThrownBy(() -> ResultRecord.parse("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unreadable JSON");
    }
}
