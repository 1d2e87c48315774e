package dev.callflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TwilioSimulatorMainTest {

    static final Pattern LINE = Pattern.compile("TwilioSimulator listening on http://127\\.0\\.0\\.1:(\\d+) account=(AC[0-9a-f]{32})\\R");

    @Test
    void startsWithFlagsAndPrintsOneLine() {
        String account = "AC" + "f".repeat(32);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TwilioSimulator sim = TwilioSimulatorMain.start(new String[] {
                "--port", "0", "--latency-ms", "1", "--jitter-ms", "1", "--limit", "5", "--rate-limited", "0",
                "--error-rate", "0", "--reset-rate", "0", "--retry-after-s", "1", "--seed", "9",
                "--account-sid", account, "--auth-token", "main-token"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            Matcher m = LINE.matcher(printed);
            assertThat(m.matches()).as(printed).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(sim.port());
            assertThat(m.group(2)).isEqualTo(account);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(sim.seed()).isEqualTo(9);
            assertThat(sim.authToken()).isEqualTo("main-token");
            assertThat(SimHttp.update(sim, SimHttp.newCallSid(), "Status=completed").status).isEqualTo(200);
        }
    }

    @Test
    void withoutCredentialsItGeneratesThemAndPrintsTheTokenToStandardError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TwilioSimulator sim = TwilioSimulatorMain.start(new String[0],
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))) {
            assertThat(LINE.matcher(out.toString(StandardCharsets.UTF_8)).matches()).isTrue();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains(sim.authToken());
        }
    }

    @Test
    void badFlagsAreRefused() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TwilioSimulatorMain.start(new String[] {"--bogus", "1"}, sink, sink))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> TwilioSimulatorMain.start(new String[] {"--port"}, sink, sink))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing value");
        assertThatThrownBy(() -> TwilioSimulatorMain.start(new String[] {"--limit", "x"}, sink, sink))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--limit");
        assertThatThrownBy(() -> TwilioSimulatorMain.start(new String[] {"--error-rate", "2"}, sink, sink))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioSimulatorMain.start(new String[] {"--auth-token", "t"}, sink, sink))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--account-sid");
    }

    @Test
    void theFaultFlagsReachTheSimulator() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (TwilioSimulator sim = TwilioSimulatorMain.start(new String[] {"--non-json-rate", "1",
                "--faults-after-apply", "false", "--idle-timeout-ms", "5000", "--reset-after-headers-rate", "0",
                "--truncated-rate", "0", "--proxy-error-rate", "0", "--hang-rate", "0"}, sink, sink)) {
            String sid = SimHttp.newCallSid();
            SimHttp.Response r = SimHttp.update(sim, sid, "Status=completed");
            assertThat(r.status).isEqualTo(200);
            assertThat(r.body).startsWith("<!DOCTYPE html>");
            assertThat(sim.ledger().call(sid).updatesApplied()).isZero();
        }
        assertThatThrownBy(() -> TwilioSimulatorMain.start(new String[] {"--faults-after-apply", "maybe"}, sink, sink))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> TwilioSimulatorMain.start(new String[] {"--hang-rate", "0.6", "--truncated-rate", "0.6"},
                sink, sink)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1");
    }

    @Test
    void helpPrintsUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(TwilioSimulatorMain.start(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage:");
    }
}
