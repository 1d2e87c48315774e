package dev.callflux.examples.cli;

import static dev.callflux.examples.cli.TestResults.failed;
import static dev.callflux.examples.cli.TestResults.sid;
import static dev.callflux.examples.cli.TestResults.succeeded;
import static dev.callflux.examples.cli.TestResults.unknown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.reactor.bulk.BulkResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static final String SKIPPED = ",,,0,0,done in an earlier run (journal)";

    @TempDir
    Path dir;

    private static BulkResult<Long> invalid(String line) {
        return BulkResult.failure(2L, line, new InvalidRequestException("CallSid", "must be 'CA' followed by 32 hexadecimal digits"),
                0, Duration.ZERO);
    }

    @Test
    void aNewReportHasTheHeaderAndOneRowPerResult() throws IOException {
        Path r = dir.resolve("r.csv");
        try (Report report = Report.open(r)) {
            report.write(succeeded(sid(1)), "");
            report.write(failed(sid(2)), "HTTP 404, a message with \"quotes\", commas\nand a line break");
        }
        List<String> lines = Files.readAllLines(r);
        assertThat(lines.get(0)).isEqualTo(Report.HEADER);
        assertThat(lines.get(1)).isEqualTo(sid(1) + ",SUCCEEDED,200,,1,12,");
        assertThat(lines.get(2)).isEqualTo(sid(2) + ",FAILED,404,20404,1,7,\"HTTP 404, a message with \"\"quotes\"\", commas");
        assertThat(lines).hasSize(4);
    }

    @Test
    void aResumedRunAppendsAndTheCompactionKeepsTheFinalRowOfEverySid() throws IOException {
        Path r = dir.resolve("r.csv");
        try (Report first = Report.open(r)) {
            first.write(failed(sid(1)), "HTTP 404");
            first.write(succeeded(sid(2)), "");
            first.write(unknown(sid(3)), "HTTP 503");
            first.write(invalid("nope"), "line 4: not a SID");
        }
        try (Report second = Report.open(r)) {
            second.write(succeeded(sid(1)), "");          // failed, then succeeded: succeeded
            second.writeSkipped(sid(2), "SUCCEEDED");      // succeeded, then skipped: the real row stays
            second.write(TestResults.alreadyEnded(sid(3)).get(0), "call had ended");
            second.writeSkipped(sid(4), "ALREADY_ENDED");  // only skipped: the skipped row
            second.write(invalid("nope"), "line 9: not a SID"); // not a SID: keyed by its text all the same
        }
        // In the order of the final rows.
        List<String> lines = Files.readAllLines(r);
        assertThat(lines).hasSize(6);
        assertThat(lines.get(3)).matches(sid(3) + ",ALREADY_ENDED,400,21220,1,\\d+,call had ended");
        lines.set(3, "(checked)");
        assertThat(lines).containsExactly(
                Report.HEADER,
                sid(2) + ",SUCCEEDED,200,,1,12,",
                sid(1) + ",SUCCEEDED,200,,1,12,",
                "(checked)",
                sid(4) + ",ALREADY_ENDED" + SKIPPED,
                "nope,FAILED,,,0,0,line 9: not a SID");
    }

    @Test
    void aSkippedRowReplacesAnEarlierRowThatDidNotReachTheGoal() throws IOException {
        // Run 1 failed it; run 2 hung it up and journaled it but crashed before its report row; run 3 skips it.
        Path r = dir.resolve("r.csv");
        Files.writeString(r, Report.HEADER + "\n" + sid(1) + ",FAILED,404,20404,1,7,HTTP 404\n");
        try (Report report = Report.open(r)) {
            report.writeSkipped(sid(1), "SUCCEEDED");
        }
        assertThat(Files.readAllLines(r)).containsExactly(Report.HEADER, sid(1) + ",SUCCEEDED" + SKIPPED);
    }

    @Test
    void aCrashLeavesSeveralRowsThatTheNextCleanRunCompacts() throws IOException {
        Path r = dir.resolve("r.csv");
        // What a crash leaves: rows appended, never compacted, the last one torn inside a quoted message.
        Files.writeString(r, Report.HEADER + "\n" + sid(1) + ",FAILED,404,20404,1,7,HTTP 404\n"
                + sid(1) + ",SUCCEEDED,200,,1,12,\n" + sid(2) + ",FAILED,404,20404,1,7,\"HTTP 404, not fou");
        try (Report report = Report.open(r)) {
            report.write(succeeded(sid(3)), "");
        }
        List<String> lines = Files.readAllLines(r);
        assertThat(lines).containsExactly(Report.HEADER, sid(1) + ",SUCCEEDED,200,,1,12,",
                sid(2) + ",FAILED,404,20404,1,7,\"HTTP 404, not fou\"", sid(3) + ",SUCCEEDED,200,,1,12,");
    }

    @Test
    void aReportWithoutANewlineAtTheEndGetsOneBeforeTheNextRow() throws IOException {
        Path r = dir.resolve("r.csv");
        Files.writeString(r, Report.HEADER + "\n" + sid(1) + ",SUCCEEDED,200,,1,12,");
        try (Report report = Report.open(r)) {
            report.write(failed(sid(2)), "HTTP 404");
        }
        assertThat(Files.readAllLines(r)).containsExactly(Report.HEADER, sid(1) + ",SUCCEEDED,200,,1,12,",
                sid(2) + ",FAILED,404,20404,1,7,HTTP 404");
    }

    @Test
    void aFileWithAnotherHeaderIsRefusedAndLeftUntouched() throws IOException {
        Path r = dir.resolve("r.csv");
        Files.writeString(r, "name,phone\nJo,+1555\n");
        byte[] before = Files.readAllBytes(r);
        assertThatThrownBy(() -> Report.open(r)).isInstanceOf(SidInput.InputException.class)
                .hasMessage("the report " + r + " does not start with the header " + Report.HEADER
                        + " (its first line: \"name,phone\"): use another --report file");
        assertThat(Files.readAllBytes(r)).isEqualTo(before);
    }

    @Test
    void anEmptyExistingFileIsANewReport() throws IOException {
        Path r = dir.resolve("r.csv");
        Files.createFile(r);
        Report.open(r).close();
        assertThat(Files.readAllLines(r)).containsExactly(Report.HEADER);
    }

    @Test
    void aReportThatCannotBeCreatedIsRefusedInTheUsersWords() {
        Path missing = dir.resolve("x").resolve("r.csv");
        assertThatThrownBy(() -> Report.open(missing)).isInstanceOf(SidInput.InputException.class)
                .hasMessage("cannot create the report " + missing + ": no such directory");
        assertThatThrownBy(() -> Report.open(dir)).isInstanceOf(SidInput.InputException.class)
                .hasMessage("cannot open the report " + dir + ": is a directory");
    }

    @Test
    void compactionKeepsThePermissionsAndRewritesNothingWhenEverySidHasOneRow() throws IOException {
        Path r = dir.resolve("r.csv");
        try (Report report = Report.open(r)) {
            report.write(succeeded(sid(1)), "");
        }
        Files.setPosixFilePermissions(r, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(Report.compact(r)).isEqualTo(new Report.Compaction(1, 1, false));
        try (Report report = Report.open(r)) {
            report.write(succeeded(sid(1)), "");
        }
        assertThat(Files.getPosixFilePermissions(r)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(Files.readAllLines(r)).hasSize(2);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(r); // no temporary file left
        }
    }

    @Test
    void aHundredThousandSidsAcrossTwoRunsCompactToOneRowEach() throws IOException {
        Path r = dir.resolve("r.csv");
        int n = 100_000;
        try (Report first = Report.open(r)) {
            for (int i = 0; i < n; i++) {
                first.write(i % 2 == 0 ? succeeded(sid(i)) : failed(sid(i)), i % 2 == 0 ? "" : "HTTP 404");
            }
        }
        try (Report second = Report.open(r)) {
            for (int i = 0; i < n; i++) {
                if (i % 2 == 0) {
                    second.writeSkipped(sid(i), "SUCCEEDED");
                } else {
                    second.write(succeeded(sid(i)), "");
                }
            }
        }
        List<String> lines = Files.readAllLines(r);
        assertThat(lines).hasSize(n + 1);
        assertThat(lines.get(0)).isEqualTo(Report.HEADER);
        List<String> rows = lines.subList(1, n + 1);
        assertThat(rows).allSatisfy(row -> assertThat(row).matches("CA[0-9a-f]{32},SUCCEEDED,200,,1,12,"));
        Set<String> sids = rows.stream().map(row -> row.substring(0, 34)).collect(Collectors.toCollection(HashSet::new));
        assertThat(sids).hasSize(n);
        // Final rows in file order: the even SIDs' first-run rows, then the odd SIDs' second-run rows.
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i += 2) {
            expected.add(sid(i));
        }
        for (int i = 1; i < n; i += 2) {
            expected.add(sid(i));
        }
        assertThat(rows.stream().map(row -> row.substring(0, 34)).collect(Collectors.toList())).isEqualTo(expected);
    }
}
