package dev.callflux.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.constant.EnumConstants;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import dev.callflux.benchmarks.profile.Category;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The harness's parsing and formatting; nothing here starts a process or opens a socket. */
class HarnessParsingTest {

    @Test
    void resultLineRoundTripsAnyValue() {
        ResultLine line = ResultLine.builder()
                .put("client", "callflux")
                .put("calls", 50_000)
                .put("failures", "TwilioApiException(429):3;ApiException:1")
                .put("jvmFlags", "-Xmx1g -XX:+UseG1GC -Dx=a=b")
                .build();
        String text = line.format();
        assertThat(text).startsWith("LOAD-RESULT ").doesNotContain("\n");
        assertThat(text.split(" ")).hasSize(5);

        ResultLine back = ResultLine.find("some log line\n" + text + "\nanother line\n").orElseThrow();
        assertThat(back.fields()).isEqualTo(line.fields());
        assertThat(back.longValue("calls")).isEqualTo(50_000);
        assertThat(back.string("jvmFlags")).isEqualTo("-Xmx1g -XX:+UseG1GC -Dx=a=b");
    }

    @Test
    void noResultLineIsEmpty() {
        assertThat(ResultLine.find("Exception in thread main\n")).isEmpty();
        assertThatThrownBy(() -> ResultLine.parse("LOAD-RESULT novalue")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flagsParseBothSpellingsAndRefuseUnknownOnes() {
        Flags f = Flags.parse(new String[] {"--calls", "50_000", "--scale=0.1", "--case.2.warmup", "1,000",
                "--clients", "callflux, twilio-java"}, Set.of("calls", "scale", "case.*", "clients"));
        assertThat(f.integer("calls", 1)).isEqualTo(50_000);
        assertThat(f.decimal("scale", 1)).isEqualTo(0.1);
        assertThat(f.integer("case.2.warmup", 0)).isEqualTo(1_000);
        assertThat(f.list("clients", List.of())).containsExactly("callflux", "twilio-java");
        assertThat(f.integer("absent", 7)).isEqualTo(7);

        assertThatThrownBy(() -> Flags.parse(new String[] {"--cals", "1"}, Set.of("calls")))
                .hasMessageContaining("unknown flag --cals");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--calls"}, Set.of("calls")))
                .hasMessageContaining("missing value");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--calls", "x"}, Set.of("calls")).integer("calls", 0))
                .hasMessageContaining("needs an integer");
    }

    @Test
    void casesHaveTheBriefsDefaultsAndTakeOverrides() {
        List<LoadCase> all = LoadCase.select(Flags.parse(new String[0], LoadComparison.FLAGS));
        assertThat(all).extracting(LoadCase::calls, LoadCase::concurrency, LoadCase::latencyMs, LoadCase::warmup)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(10_000, 1_000, 20, 0),
                        org.assertj.core.groups.Tuple.tuple(50_000, 64, 0, 20_000),
                        org.assertj.core.groups.Tuple.tuple(50_000, 1_000, 20, 20_000),
                        org.assertj.core.groups.Tuple.tuple(50_000, 100, 20, 20_000));
        assertThat(all.get(3).boundCallsPerSecond()).isEqualTo(5_000.0);
        assertThat(all.get(1).boundCallsPerSecond()).isInfinite();

        List<LoadCase> some = LoadCase.select(Flags.parse(new String[] {"--cases", "1,4", "--warmup", "5000",
                "--case.4.concurrency", "50", "--scale", "0.1"}, LoadComparison.FLAGS));
        assertThat(some).extracting(LoadCase::id).containsExactly("1", "4");
        assertThat(some.get(0).warmup()).as("the cold case stays cold").isZero();
        assertThat(some.get(0).calls()).isEqualTo(1_000);
        assertThat(some.get(1).warmup()).isEqualTo(500);
        assertThat(some.get(1).concurrency()).isEqualTo(50);

        assertThatThrownBy(() -> LoadCase.select(Flags.parse(new String[] {"--cases", "5"}, LoadComparison.FLAGS)))
                .hasMessageContaining("unknown case");
    }

    @Test
    void procFilesAreParsed() {
        String status = "Name:\tjava\nThreads:\t23\nVmHWM:\t  204800 kB\nVmRSS:\t  1000 kB\n";
        assertThat(ProcStats.statusField(status, "Threads")).isEqualTo(OptionalLong.of(23));
        assertThat(ProcStats.statusField(status, "VmHWM")).isEqualTo(OptionalLong.of(204_800));
        assertThat(ProcStats.statusField(status, "VmSwap")).isEmpty();

        // The command name may hold spaces and parentheses; utime and stime are fields 14 and 15.
        String stat = "4242 (java (sim) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 1000 0";
        assertThat(ProcStats.cpuTicks(stat)).isEqualTo(1234 + 567);
        assertThat(ProcStats.cpuTicks("garbage")).isEqualTo(-1);
    }

    @Test
    void thisProcessCanBeMeasured() {
        // On Linux (where the comparison runs) /proc answers; elsewhere the values are "unknown".
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/status"))) {
            assertThat(ProcStats.selfStatus("Threads")).isPresent();
            assertThat(ProcStats.processCpuNanos(ProcessHandle.current().pid())).isPositive();
        }
        assertThat(ProcStats.selfCpuNanos()).isPositive();
    }

    @Test
    void ratiosAreFormatted() {
        assertThat(Report.ratio(1, 4)).isEqualTo("0.25×");
        assertThat(Report.ratio(3, 2)).isEqualTo("1.50×");
        assertThat(Report.ratio(120, 4)).isEqualTo("30×");
        assertThat(Report.ratio(1, 0)).isEmpty();
        assertThat(Report.ratio(Double.NaN, 1)).isEmpty();
    }

    @Test
    void reportShowsBothClientsTheRatioAndFailures() {
        LoadCase c = new LoadCase("4", "warm", 1_000, 100, 20, 500);
        Outcome cf = outcome("callflux", 1_000, 0, "none", 250_000_000L, 100_000_000L);
        Outcome tj = outcome("twilio-java", 990, 10, "ApiException(500):10", 1_000_000_000L, 400_000_000L);
        String md = Report.render("# header\n", List.of(c), Map.of(c, Report.ordered(Map.of("twilio-java", tj, "callflux", cf))));
        assertThat(md).contains("| case | metric | CallFlux | twilio-java | CallFlux / twilio-java |");
        assertThat(md).contains("| throughput (calls/s) | 4,000 | 990 | 4.04× |");
        assertThat(md).contains("| client CPU per call (µs) | 100.0 | 400.0 | 0.25× |");
        assertThat(md).contains("FAILED calls").contains("ApiException(500):10");
        assertThat(md).contains("CallFlux reached 80 % of C/L").contains("**NOT met**");
    }

    private static Outcome outcome(String client, long ok, long failed, String failures, long wallNanos, long cpuNanos) {
        ResultLine r = ResultLine.builder().put("client", client).put("calls", ok + failed).put("ok", ok)
                .put("failed", failed).put("failures", failures).put("warmupFailed", 0).put("wallNanos", wallNanos)
                .put("cpuNanos", cpuNanos).put("simCpuNanos", cpuNanos / 2).put("peakThreadsJvm", 20)
                .put("peakThreadsOs", 30).put("vmHwmKb", 204_800).put("gcCount", 1).put("gcMillis", 5).build();
        return new Outcome(client, r, null, OptionalLong.of(ok + failed), OptionalLong.of(100), "1.00");
    }

    @Test
    void twilioRequestsAreCopiedOntoTheSimulator() {
        // What twilio-java's CallUpdater builds for a hang-up.
        Request original = new Request(HttpMethod.POST, "api", "/2010-04-01/Accounts/AC1/Calls/CA2.json");
        original.setContentType(EnumConstants.ContentType.FORM_URLENCODED);
        original.setAuth("AC1", "secret");
        original.addPostParam("Status", "completed");
        original.addHeaderParam("X-Custom", "1");

        Request copy = SimulatorHttpClient.redirect(original, "http://127.0.0.1:4567");
        assertThat(copy.constructURL().toString()).isEqualTo("http://127.0.0.1:4567/2010-04-01/Accounts/AC1/Calls/CA2.json");
        assertThat(copy.getMethod()).isEqualTo(HttpMethod.POST);
        assertThat(copy.getAuthString()).isEqualTo(original.getAuthString());
        assertThat(copy.getPostParams()).isEqualTo(Map.of("Status", List.of("completed")));
        assertThat(copy.getHeaderParams()).isEqualTo(original.getHeaderParams());
        assertThat(copy.getContentType()).isEqualTo(EnumConstants.ContentType.FORM_URLENCODED);

        assertThatThrownBy(() -> SimulatorHttpClient.redirect(new Request(HttpMethod.GET, "https://example.com/x"), "http://h"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void framesAreCategorised() {
        assertThat(Category.of("dev.callflux.core.encoding.CallJson")).isEqualTo(Category.CALLFLUX_JSON);
        assertThat(Category.of("dev.callflux.core.model.Call$Builder")).isEqualTo(Category.CALLFLUX_CORE);
        assertThat(Category.of("io.netty.handler.codec.http.DefaultHttpHeaders")).isEqualTo(Category.NETTY_HEADERS);
        assertThat(Category.of("io.netty.handler.codec.http.HttpObjectEncoder")).isEqualTo(Category.NETTY_HTTP_CODEC);
        assertThat(Category.of("io.netty.channel.epoll.EpollEventLoop")).isEqualTo(Category.NETTY_TRANSPORT);
        assertThat(Category.of("io.netty.channel.DefaultChannelPipeline")).isEqualTo(Category.NETTY_PIPELINE);
        assertThat(Category.of("reactor.netty.http.client.HttpClientOperations")).isEqualTo(Category.REACTOR_NETTY_CLIENT);
        assertThat(Category.of("reactor.netty.resources.PooledConnectionProvider")).isEqualTo(Category.REACTOR_NETTY_POOL);
        assertThat(Category.of("reactor.core.publisher.FluxFlatMap$FlatMapMain")).isEqualTo(Category.REACTOR_CORE);
        assertThat(Category.of("java.time.format.DateTimeFormatter")).isEqualTo(Category.JAVA_TIME);
        assertThat(Category.of("java.util.HashMap")).isEqualTo(Category.JDK_OTHER);
        assertThat(Category.of("org.example.Foo")).isEqualTo(Category.OTHER);
    }
}
