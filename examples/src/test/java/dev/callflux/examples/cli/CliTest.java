package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.model.CallStatus;
import dev.callflux.testkit.TwilioSimulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process, against the simulator over real HTTP. */
class CliTest {

    @TempDir
    Path dir;

    private TwilioSimulator sim;

    @BeforeEach
    void start() {
        sim = TwilioSimulator.builder().start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    private Map<String, String> env() {
        return Map.of("TWILIO_ACCOUNT_SID", sim.accountSid(), "TWILIO_AUTH_TOKEN", sim.authToken());
    }

    private Run run(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CallFluxCli.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) {
        return run(env(), "", args);
    }

    static String sid(int i) {
        return dev.callflux.testkit.TestSids.callSid(0xc11, i);
    }

    private Path sidsFile(List<String> lines) throws IOException {
        Path f = dir.resolve("sids.txt");
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void hangsUpEveryCallOfAFileWritesTheReportAndExitsZero() throws IOException {
        List<String> lines = new ArrayList<>(List.of("# calls of campaign 42", ""));
        IntStream.range(0, 200).mapToObj(CliTest::sid).forEach(lines::add);
        Path report = dir.resolve("report.csv");
        Run r = run("hangup", "--sids", sidsFile(lines).toString(), "--base-url", sim.baseUrl(), "--report", report.toString(), "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"total\":200", "\"succeeded\":200", "\"failed\":0");
        List<String> rows = Files.readAllLines(report);
        assertThat(rows.get(0)).isEqualTo("sid,outcome,http_status,twilio_code,attempts,millis,message");
        assertThat(rows).hasSize(201);
        assertThat(rows.subList(1, 201)).allSatisfy(row -> assertThat(row).matches("CA[0-9a-f]{32},SUCCEEDED,200,,1,\\d+,"));
        IntStream.range(0, 200).forEach(i -> assertThat(sim.ledger().call(sid(i)).hangupsApplied()).isEqualTo(1));
    }

    @Test
    void readsStandardInputAndACsvWithASidColumn() {
        String csv = "name,sid,region\n\"Smith, Jo\"," + sid(1) + ",eu\nLee," + sid(2) + ",us\n";
        Run r = run(env(), csv, "hangup", "--base-url", sim.baseUrl());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(sim.ledger().call(sid(1)).hangupsApplied()).isEqualTo(1);
        assertThat(sim.ledger().call(sid(2)).hangupsApplied()).isEqualTo(1);
        assertThat(r.err()).contains("finished 2 calls", "2 succeeded");
    }

    @Test
    void aCsvWithoutASidColumnIsAnInputErrorAndNothingIsSent() {
        Run r = run(env(), "name,phone\nJo,+1555\n", "hangup", "--base-url", sim.baseUrl());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'sid' column");
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void invalidLinesAreReportedByLineNumberNeverSentAndTheRestGoesOn() throws IOException {
        Path report = dir.resolve("report.csv");
        Path sids = sidsFile(List.of(sid(1), "CA-not-a-sid", "", sid(2), "../../Accounts/x"));
        Run r = run("hangup", "--sids", sids.toString(), "--base-url", sim.baseUrl(), "--report", report.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("line 2: not a call SID: \"CA-not-a-sid\"", "line 5: not a call SID");
        assertThat(sim.ledger().totalRequests()).isEqualTo(2);
        String csv = Files.readString(report);
        assertThat(csv).contains("CA-not-a-sid,FAILED,,,0,", "line 2: not a call SID (must be 'CA' followed by 32 hexadecimal digits");
        assertThat(r.err()).contains("failures by code {invalid=2}");
    }

    @Test
    void stopOnInvalidStopsAtTheFirstLineThatIsNotASidAndSendsNothingAfterIt() throws IOException {
        Path sids = sidsFile(List.of(sid(1), sid(2), "nope", sid(3)));
        Run r = run("hangup", "--sids", sids.toString(), "--base-url", sim.baseUrl(), "--stop-on-invalid");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("line 3: not a call SID: \"nope\"; stopped (--stop-on-invalid)");
        // The input is read once, as a stream: what came before the bad line was sent, nothing after it.
        assertThat(sim.ledger().requests(sid(3))).isZero();
        assertThat(sim.ledger().totalRequests()).isLessThanOrEqualTo(2);
    }

    @Test
    void dryRunPrintsWhatWouldBeSentAndSendsNothing() throws IOException {
        Path sids = sidsFile(List.of(sid(1), sid(2)));
        Run r = run("hangup", "--sids", sids.toString(), "--base-url", sim.baseUrl(), "--dry-run", "--status", "canceled");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().collect(Collectors.toList())).containsExactly(
                "POST " + sim.baseUrl() + "/2010-04-01/Accounts/" + sim.accountSid() + "/Calls/" + sid(1) + ".json Status=canceled",
                "POST " + sim.baseUrl() + "/2010-04-01/Accounts/" + sim.accountSid() + "/Calls/" + sid(2) + ".json Status=canceled");
        assertThat(r.err()).contains("2 requests would be sent, 0 skipped (done in an earlier run, says the journal), 0 duplicates, 0 invalid lines; nothing was sent");
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void aJournalSkipsWhatAlreadySucceeded() throws IOException {
        Path journal = dir.resolve("journal");
        String header = "# callflux journal v2 account=" + sim.accountSid() + " endpoint=" + sim.baseUrl() + " operation=Status=completed";
        Files.write(journal, List.of(header, sid(1) + ",SUCCEEDED", sid(2) + ",FAILED", sid(3) + ",SUCC"), StandardCharsets.UTF_8);
        Path sids = sidsFile(List.of(sid(1), sid(2), sid(3), sid(4)));
        Run r = run("hangup", "--sids", sids.toString(), "--base-url", sim.baseUrl(), "--journal", journal.toString(), "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"total\":3", "\"skipped\":1");
        assertThat(sim.ledger().requests(sid(1))).isZero();
        assertThat(sim.ledger().requests(sid(2))).isEqualTo(1);
        assertThat(sim.ledger().requests(sid(3))).isEqualTo(1); // a line cut short by a crash is no success
        assertThat(Files.readAllLines(journal)).contains(sid(2) + ",SUCCEEDED", sid(3) + ",SUCCEEDED", sid(4) + ",SUCCEEDED");
    }

    @Test
    void failuresExitOneAndAreCountedByTwilioCode() throws IOException {
        String ended = sid(7);
        try (TwilioSimulator strict = TwilioSimulator.builder().knownCallsOnly(true).call(ended, CallStatus.IN_PROGRESS).start()) {
            Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", strict.accountSid(), "TWILIO_AUTH_TOKEN", strict.authToken());
            Run r = run(env, ended + "\n" + sid(8) + "\n", "hangup", "--base-url", strict.baseUrl(), "--json");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains("\"succeeded\":1", "\"failed\":1", "\"failures_by_code\":{\"20404\":1}");
        }
    }

    @Test
    void missingCredentialsAreAUsageErrorThatNamesTheVariables() {
        Run r = run(Map.of(), sid(1) + "\n", "hangup", "--base-url", sim.baseUrl());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN");
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void theSecretNeverAppearsInAnythingTheToolWrites() throws IOException {
        String secret = "s3cr3t-token-that-must-never-show-up";
        Path report = dir.resolve("r.csv");
        Path journal = dir.resolve("j");
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", sim.accountSid(), "TWILIO_AUTH_TOKEN", secret);
        Run r = run(env, sid(1) + "\n", "hangup", "--base-url", sim.baseUrl(), "--report", report.toString(),
                "--journal", journal.toString(), "--json");
        assertThat(r.exit()).isEqualTo(1); // the simulator refuses the wrong token: 401
        assertThat(r.out() + r.err() + Files.readString(report) + Files.readString(journal)).doesNotContain(secret);
        assertThat(Files.readString(report)).contains(",FAILED,401,20003,1,");
    }

    @Test
    void updatePrintsTheReturnedCallAsJson() {
        Run r = run("update", "--sid", sid(9), "--url", "https://example.com/next.xml", "--method", "GET",
                "--time-limit", "60", "--base-url", sim.baseUrl());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"sid\" : \"" + sid(9) + "\"", "\"status\" : \"in-progress\"");
        assertThat(sim.ledger().call(sid(9)).appliedUpdates())
                .containsExactly(Map.of("Url", "https://example.com/next.xml", "Method", "GET", "TimeLimit", "60"));
    }

    @Test
    void updateRefusesBadInputBeforeSending() {
        Run r = run("update", "--sid", sid(9), "--url", "https://bad_host.example.com/x", "--base-url", sim.baseUrl());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--url must have a valid host name (underscores are not permitted)");
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void unknownFlagsAreUsageErrors() {
        Run r = run("hangup", "--frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void aUsageErrorIsTheErrorAndWhereTheHelpIsNotTheWholeHelp() {
        Run misspelt = run("hangup", "--sidz", sid(1));
        assertThat(misspelt.exit()).isEqualTo(2);
        assertThat(misspelt.err()).contains("callflux: Unknown options: '--sidz'", "Possible solutions: --sids, --sid",
                "Try 'callflux hangup --help' for more information.");
        assertThat(misspelt.err()).doesNotContain("Usage:", "--concurrency");
        assertThat(misspelt.err().lines().count()).as(misspelt.err()).isLessThanOrEqualTo(6);

        Run missing = run("update", "--status", "completed");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--sid=CA...'", "Try 'callflux update --help'")
                .doesNotContain("Usage:");
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void aNumberFlagThatIsNotANumberIsSaidInWordsNotJavaTypes() {
        assertThat(run("update", "--sid", sid(1), "--time-limit", "abc").err())
                .startsWith("callflux: Invalid value for option '--time-limit': 'abc' is not a whole number");
        assertThat(run("demo", "--calls", "1e3").err())
                .startsWith("callflux: Invalid value for option '--calls': '1e3' is not a whole number");
        assertThat(run("hangup", "--concurrency", "99999999999").err())
                .startsWith("callflux: Invalid value for option '--concurrency': '99999999999' is too large");
        Run rate = run("hangup", "--rate", "fast");
        assertThat(rate.exit()).isEqualTo(2);
        assertThat(rate.err()).startsWith("callflux: Invalid value for option '--rate': 'fast' is not a number")
                .doesNotContain("double", "int", "long");
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void aCallSidWithoutItsFlagGetsTheHint() {
        for (String command : new String[] {"hangup", "update"}) {
            Run r = run(command, sid(2));
            assertThat(r.exit()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).contains("A call SID goes after --sid: --sid CA...");
        }
        assertThat(run("hangup", sid(2)).err()).contains("or list many in --sids FILE");
        assertThat(run("update", sid(2)).err()).doesNotContain("--sids");
        assertThat(run("hangup", "not-a-sid").err()).doesNotContain("A call SID goes after");
        assertThat(run("hangup", "--sid", sid(2), "--frobnicate").err()).doesNotContain("A call SID goes after");
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void updateSaysInFlagWordsWhenThereIsNothingToChangeOrUrlAndTwimlClash() {
        Run nothing = run("update", "--sid", sid(3), "--base-url", sim.baseUrl());
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).contains("say what to change: --url URL, --twiml TWIML or --status completed|canceled")
                .doesNotContain("UpdateCallRequest");

        Run both = run("update", "--sid", sid(3), "--url", "https://example.com/a.xml", "--twiml", "<Response/>",
                "--base-url", sim.baseUrl());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--url and --twiml cannot be used together").doesNotContain("Url", "Twiml");
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void aCancelThatLeavesAnAnsweredCallLiveIsCountedAndReportedNotHiddenAsSuccess() throws IOException {
        try (TwilioSimulator s = TwilioSimulator.builder().call(sid(30), CallStatus.RINGING)
                .call(sid(31), CallStatus.QUEUED).call(sid(32), CallStatus.IN_PROGRESS).start()) {
            Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", s.accountSid(), "TWILIO_AUTH_TOKEN", s.authToken());
            String sids = sid(30) + "\n" + sid(31) + "\n" + sid(32) + "\n";
            Path report = dir.resolve("cancel.csv");
            Run r = run(env, sids, "hangup", "--status", "canceled", "--base-url", s.baseUrl(), "--report", report.toString());

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains("3 succeeded",
                    "1 of the succeeded still live (a cancel ends only queued or ringing calls; --status completed ends them)");
            assertThat(s.ledger().call(sid(32)).status()).isEqualTo(CallStatus.IN_PROGRESS);
            assertThat(s.ledger().call(sid(30)).status()).isEqualTo(CallStatus.CANCELED);
            List<String> rows = Files.readAllLines(report);
            assertThat(rows).filteredOn(row -> row.contains("not canceled")).singleElement().asString()
                    .startsWith(sid(32) + ",SUCCEEDED,200,")
                    .contains("not canceled: the call is in-progress (a cancel ends only queued or ringing calls;");

            Run json = run(env, sids, "hangup", "--status", "canceled", "--base-url", s.baseUrl(), "--json");
            assertThat(json.out()).contains("\"still_live\":1");

            Run update = run(env, "", "update", "--sid", sid(32), "--status", "canceled", "--base-url", s.baseUrl());
            assertThat(update.exit()).isZero();
            assertThat(update.out()).contains("\"status\" : \"in-progress\"");
            assertThat(update.err()).contains("callflux: not canceled: the call is in-progress");
        }
        Run hangup = run(env(), sid(33) + "\n", "hangup", "--base-url", sim.baseUrl(), "--json");
        assertThat(hangup.out()).contains("\"succeeded\":1", "\"still_live\":0");
        assertThat(hangup.err()).doesNotContain("still live");
    }

    @Test
    void theReportTheJournalAndTheSidsFileMustBeThreeFilesAndNoneIsTouchedOtherwise() throws IOException {
        Path sids = sidsFile(List.of(sid(40), sid(41)));
        String listed = Files.readString(sids);
        Path same = dir.resolve("same.csv");
        Run both = run("hangup", "--sids", sids.toString(), "--report", same.toString(), "--journal", same.toString(),
                "--base-url", sim.baseUrl());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("callflux: --report and --journal must be different files");
        assertThat(same).doesNotExist();

        Run report = run("hangup", "--sids", sids.toString(), "--report", dir.resolve("./sids.txt").toString(),
                "--base-url", sim.baseUrl());
        assertThat(report.err()).contains("callflux: --report must not be the --sids file");
        Run journal = run("hangup", "--sids", sids.toString(), "--journal", sids.toString(), "--base-url", sim.baseUrl());
        assertThat(journal.err()).contains("callflux: --journal must not be the --sids file");
        assertThat(Files.readString(sids)).isEqualTo(listed);
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void anEmptyInputSaysSoAndSendsNothing() {
        Run r = run(env(), "", "hangup", "--base-url", sim.baseUrl());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("callflux: standard input held no call SIDs: nothing was sent");
        assertThat(sim.ledger().totalRequests()).isZero();

        Run comments = run(env(), "# nothing today\n\n", "hangup", "--base-url", sim.baseUrl());
        assertThat(comments.err()).contains("held no call SIDs");

        Run oneSid = run(env(), sid(4) + "\n", "hangup", "--base-url", sim.baseUrl());
        assertThat(oneSid.err()).doesNotContain("held no call SIDs");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"hangup", "update", "demo"}) {
            Run r = run(command, "--help");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("Usage: callflux " + command);
        }
    }

    @Test
    void demoHangsUpGeneratedCallsOnItsOwnSimulator() {
        Run r = run(Map.of(), "", "demo", "--calls", "500", "--latency-ms", "1", "--limit", "20", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"total\":500", "\"failed\":0", "\"unknown\":0");
        // By default 2 % of the demo's calls end on their own before the hang-up: already ended, not failures.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"succeeded\":(\\d+),\"already_ended\":(\\d+)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2))).isEqualTo(500);
        assertThat(Long.parseLong(m.group(2))).isBetween(1L, 40L);
        assertThat(r.err()).contains("429 beyond 20 concurrent requests");
    }
}
