package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SidInputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    static String sid(int i) {
        return dev.callflux.testkit.TestSids.callSid(0xabc, i);
    }

    private static SidInput stdin(String text) {
        return SidInput.open(null, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), false);
    }

    private static List<SidInput.Line> read(SidInput input) {
        try (Stream<SidInput.Line> lines = input.lines()) {
            return lines.collect(Collectors.toList());
        }
    }

    private static List<SidInput.Line> read(String text) {
        return read(stdin(text));
    }

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void plainOneSidPerLineSkipsBlankLinesAndCommentsAndKeepsLineNumbers() {
        SidInput input = stdin("# campaign 42\n\n" + sid(1) + "\n  " + sid(2) + "  \n# done\nnope\n");
        assertThat(read(input)).containsExactly(new SidInput.Line(3, sid(1)), new SidInput.Line(4, sid(2)),
                new SidInput.Line(6, "nope"));
        assertThat(input.format()).isEqualTo(SidInput.Format.PLAIN);
        assertThat(input.reachedEnd()).isTrue();
        assertThat(input.estimatedTotal()).isEqualTo(3);
    }

    @Test
    void csvWithASidColumnInAnyCaseAndQuotedCells() {
        String csv = "name,SID,region\n\"Smith, Jo\"," + sid(1) + ",eu\n\n# a comment\nLee,\"" + sid(2) + "\",us\nShort\n";
        SidInput input = stdin(csv);
        assertThat(read(input)).containsExactly(new SidInput.Line(2, sid(1)), new SidInput.Line(5, sid(2)),
                new SidInput.Line(6, ""));
        assertThat(input.format()).isEqualTo(SidInput.Format.CSV);
    }

    @Test
    void aCsvHeaderWithoutASidColumnIsRefusedNamingWhatWasExpected() {
        assertThatThrownBy(() -> read("name,phone\nJo,+1555\n"))
                .isInstanceOf(SidInput.InputException.class)
                .hasMessage("line 1: a CSV header needs a 'sid' column (got: [name, phone])");
    }

    @Test
    void aCompressedOrBinaryFileIsRefusedWithoutEchoingItsBytes() throws IOException {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write((sid(1) + "\n" + sid(2) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path f = dir.resolve("sids.txt.gz");
        Files.write(f, gz.toByteArray());
        assertThatThrownBy(() -> read(SidInput.open(f.toString(), InputStream.nullInputStream(), false)))
                .isInstanceOf(SidInput.InputException.class)
                .hasMessage("line 1: not text (a compressed or binary file?): give one call SID per line,"
                        + " e.g. zcat FILE.gz | callflux hangup");
        assertThatThrownBy(() -> read("\u0000\u0001ELF\n")).hasMessageContaining("not text");
        assertThat(SidInput.isText("sid\tfrom\u00e9")).isTrue();
    }

    @Test
    void carriageReturnLineEndsAreRefusedWithTheFix() {
        assertThatThrownBy(() -> read("sid\r" + sid(1) + "\r" + sid(2) + "\r"))
                .isInstanceOf(SidInput.InputException.class)
                .hasMessage("line 1: lines end with a carriage return only (Excel's 'CSV (Macintosh)' writes them):"
                        + " save it with other line ends, or: tr '\\r' '\\n' < FILE | callflux hangup");
        assertThat(read(sid(1) + "\r\n" + sid(2) + "\r\n")).hasSize(2);
    }

    @Test
    void aHeaderWithoutASidColumnIsShownAtMost80Characters() {
        String wide = IntStream.range(0, 60).mapToObj(i -> "column" + i).collect(Collectors.joining(","));
        assertThatThrownBy(() -> read(wide + "\n"))
                .hasMessageStartingWith("line 1: a CSV header needs a 'sid' column (got: [column0, column1,")
                .hasMessageEndingWith("…)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(140));
    }

    @Test
    void aHeaderOfOneSidColumnIsSkipped() {
        assertThat(read("sid\n" + sid(1) + "\n")).containsExactly(new SidInput.Line(2, sid(1)));
        assertThat(read("SID\n" + sid(1) + "\n")).containsExactly(new SidInput.Line(2, sid(1)));
    }

    @Test
    void twilioCliDefaultColumnsYieldTheWordUnderTheSidHeader() {
        String out = ""
                + "SID                                 From          To            Status       Start Time\n"
                + sid(1) + "  +15005550006  +15005550001  in-progress  Jul 01 2024 10:00:00 GMT+0000\n"
                + sid(2) + "                +15005550002  queued\n"
                + "\n";
        SidInput input = stdin(out);
        assertThat(read(input)).containsExactly(new SidInput.Line(2, sid(1)), new SidInput.Line(3, sid(2)));
        assertThat(input.format()).isEqualTo(SidInput.Format.COLUMNS);
    }

    @Test
    void columnsNarrowerThanTheirSidsStillYieldWholeSids() {
        assertThat(read("SID  From\n" + sid(1) + "  +1\n" + sid(2) + "\n")).extracting(SidInput.Line::text)
                .containsExactly(sid(1), sid(2));
    }

    @Test
    void twilioCliColumnsWithTheSidColumnElsewhere() {
        String out = ""
                + "From          SID                                 Status\n"
                + "+15005550006  " + sid(1) + "  completed\n"
                + "              " + sid(2) + "  queued\n";
        assertThat(read(out)).extracting(SidInput.Line::text).containsExactly(sid(1), sid(2));
    }

    @Test
    void aHeaderOfColumnsWithoutASidColumnIsRefused() {
        assertThatThrownBy(() -> read("From          To            Status\n+1  +2  queued\n"))
                .isInstanceOf(SidInput.InputException.class)
                .hasMessage("line 1: a header of columns (as twilio-cli prints) needs a 'SID' column (got: [From, To, Status])");
    }

    @Test
    void tabSeparatedAsTwilioCliPrintsWithOutputTsv() {
        String tsv = "sid\tfrom\tto\tstatus\tstart_time\n" + sid(1) + "\t+1\t+2\tcompleted\t2024\n"
                + sid(2) + "\t\t+3\tqueued\t\n";
        SidInput input = stdin(tsv);
        assertThat(read(input)).containsExactly(new SidInput.Line(2, sid(1)), new SidInput.Line(3, sid(2)));
        assertThat(input.format()).isEqualTo(SidInput.Format.TSV);
        assertThatThrownBy(() -> read("from\tto\n+1\t+2\n")).isInstanceOf(SidInput.InputException.class)
                .hasMessage("line 1: a tab-separated header needs a 'sid' column (got: [from, to])");
    }

    @Test
    void aPrettyPrintedJsonArrayAsTwilioCliPrintsWithOutputJsonNumbersEachElementByItsFirstLine() {
        String json = "[\n"
                + "  {\n"
                + "    \"accountSid\": \"AC00000000000000000000000000000000\",\n"
                + "    \"subresourceUris\": {\"notifications\": \"/x\", \"list\": [1, 2, {\"sid\": \"nested\"}]},\n"
                + "    \"sid\": \"" + sid(1) + "\",\n"
                + "    \"status\": \"completed\"\n"
                + "  },\n"
                + "  {\n"
                + "    \"sid\": \"" + sid(2) + "\"\n"
                + "  }\n"
                + "]\n";
        SidInput input = stdin(json);
        assertThat(read(input)).containsExactly(new SidInput.Line(2, sid(1)), new SidInput.Line(8, sid(2)));
        assertThat(input.format()).isEqualTo(SidInput.Format.JSON);
        assertThat(input.reachedEnd()).isTrue();
    }

    @Test
    void jsonElementsWithoutAStringSidYieldWhatWasThereForValidationToReport() {
        String json = "# from twilio-cli\n[{\"name\": \"x\", \"to\": \"+1\"},\n {\"sid\": 12345},\n {\"Sid\": null},\n \""
                + sid(3) + "\",\n 7,\n [\"a\"],\n {\"sid\": \"" + sid(4) + "\"}]";
        List<SidInput.Line> lines = read(json);
        assertThat(lines).containsExactly(
                new SidInput.Line(2, "{\"name\":\"x\",\"to\":\"+1\"}"),
                new SidInput.Line(3, "12345"),
                new SidInput.Line(4, "null"),
                new SidInput.Line(5, sid(3)),
                new SidInput.Line(6, "7"),
                new SidInput.Line(7, "[\"a\"]"),
                new SidInput.Line(8, sid(4)));
    }

    @Test
    void aLongJsonElementWithoutSidIsCut() {
        String big = "{\"notes\": \"" + "x".repeat(10_000) + "\", \"more\": 1}";
        List<SidInput.Line> lines = read("[" + big + ", {\"sid\": \"" + sid(1) + "\"}]");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).text()).hasSizeLessThanOrEqualTo(SidInput.MAX_JSON_TEXT + 1).startsWith("{\"notes\":\"xxx").endsWith("…");
        assertThat(lines.get(1).text()).isEqualTo(sid(1));
    }

    @Test
    void jsonCutShortOrMalformedIsAnInputErrorAfterTheElementsBefore() {
        Iterator<SidInput.Line> it = stdin("[\n{\"sid\": \"" + sid(1) + "\"},\n{\"sid\": \"").lines().iterator();
        assertThat(it.next()).isEqualTo(new SidInput.Line(2, sid(1)));
        assertThatThrownBy(it::hasNext).isInstanceOf(SidInput.InputException.class)
                .hasMessageStartingWith("line 3: the JSON array ends early")
                .hasMessageNotContaining("Exception").hasMessageNotContaining("Source");
        assertThatThrownBy(() -> read("[\n{\"sid\": x}]")).isInstanceOf(SidInput.InputException.class)
                .hasMessageStartingWith("line 2: not valid JSON: ").hasMessageNotContaining("Source");
    }

    @Test
    void aByteOrderMarkAndCrlfLineEndsAreHandled() {
        assertThat(read("\uFEFF" + sid(1) + "\r\n" + sid(2) + "\r\n"))
                .containsExactly(new SidInput.Line(1, sid(1)), new SidInput.Line(2, sid(2)));
        assertThat(read("\uFEFFname,sid\r\nJo," + sid(1) + "\r\n")).containsExactly(new SidInput.Line(2, sid(1)));
        assertThat(read("\uFEFF[{\"sid\": \"" + sid(1) + "\"}]\r\n")).containsExactly(new SidInput.Line(1, sid(1)));
    }

    @Test
    void standardInputCanBeReadOnlyOnce() {
        SidInput input = SidInput.open("-", new ByteArrayInputStream((sid(1) + "\n").getBytes(StandardCharsets.UTF_8)), false);
        assertThat(input.name()).isEqualTo("standard input");
        assertThat(input.isRegularFile()).isFalse();
        assertThat(input.sizeBytes()).isEmpty();
        assertThat(read(input)).hasSize(1);
        assertThatThrownBy(input::lines).isInstanceOf(IllegalStateException.class)
                .hasMessage("standard input can be read only once");
        assertThat(SidInput.open("/dev/stdin", InputStream.nullInputStream(), false).name()).isEqualTo("standard input");
    }

    @Test
    void theFirstEndOfStandardInputIsFinalNothingIsReadAfterIt() {
        // A terminal answers -1 for Ctrl-D, then goes on answering what is typed next.
        AtomicInteger readsAfterEnd = new AtomicInteger();
        InputStream terminal = new InputStream() {
            private final byte[] typed = (sid(1) + "\n" + sid(2)).getBytes(StandardCharsets.UTF_8);
            private int pos;
            private boolean ended;

            @Override
            public int read() {
                throw new AssertionError("read byte by byte");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (ended) {
                    readsAfterEnd.incrementAndGet();
                    b[off] = 'x';
                    return 1;
                }
                if (pos == typed.length) {
                    ended = true;
                    return -1;
                }
                int n = Math.min(len, 10); // a terminal hands out what was typed, a little at a time
                n = Math.min(n, typed.length - pos);
                System.arraycopy(typed, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        SidInput input = SidInput.open(null, terminal, true);
        assertThat(input.fromTerminal()).isTrue();
        assertThat(read(input)).extracting(SidInput.Line::text).containsExactly(sid(1), sid(2));
        assertThat(readsAfterEnd).hasValue(0);
    }

    @Test
    @Timeout(30)
    void theFirstSidIsHandedOutBeforeTheRestOfTheInputExists() throws IOException {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream pipe = new PipedInputStream(writer, 1 << 16);
        SidInput input = SidInput.open(null, pipe, false);
        writer.write(("sid\n" + sid(1) + "\n").getBytes(StandardCharsets.UTF_8));
        writer.flush();
        try (Stream<SidInput.Line> lines = input.lines()) {
            Iterator<SidInput.Line> it = lines.iterator();
            SidInput.Line first = it.next(); // were the input read ahead, this would wait for ever (see @Timeout)
            assertThat(first).isEqualTo(new SidInput.Line(2, sid(1)));
            writer.write((sid(2) + "\n").getBytes(StandardCharsets.UTF_8));
            writer.close();
            assertThat(it.next()).isEqualTo(new SidInput.Line(3, sid(2)));
            assertThat(it.hasNext()).isFalse();
        }
    }

    @Test
    void aFifoIsReadOnceAndEveryLineArrives() throws Exception {
        Path fifo = dir.resolve("sids.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeThat(false).as("mkfifo is not available").isTrue();
            return;
        }
        assertThat(mkfifo.waitFor()).isZero();
        int n = 20_000;
        SidInput input = SidInput.open(fifo.toString(), InputStream.nullInputStream(), true);
        assertThat(input.isRegularFile()).isFalse();
        assertThat(input.fromTerminal()).isFalse();
        assertThat(input.sizeBytes()).isEmpty();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                for (int i = 0; i < n; i++) {
                    out.write((sid(i) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        List<SidInput.Line> lines = new ArrayList<>();
        assertTimeoutPreemptively(TIMEOUT, () -> {
            try (Stream<SidInput.Line> s = input.lines()) {
                s.forEach(line -> {
                    if (lines.size() == n / 2) {
                        assertThat(input.estimatedTotal()).isEqualTo(-1); // a pipe: unknown until its end
                    }
                    lines.add(line);
                });
            }
            writer.join();
        });
        assertThat(lines).hasSize(n);
        assertThat(lines).extracting(SidInput.Line::text)
                .containsExactlyElementsOf(IntStream.range(0, n).mapToObj(SidInputTest::sid).collect(Collectors.toList()));
        assertThat(input.estimatedTotal()).isEqualTo(n);
        assertThatThrownBy(input::lines).isInstanceOf(IllegalStateException.class)
                .hasMessage(fifo + " can be read only once");
    }

    @Test
    void theEstimateForARegularFileIsCloseMidwayAndExactAtTheEnd() throws IOException {
        int n = 100_000;
        StringBuilder sb = new StringBuilder("# exported\nname,sid\n");
        for (int i = 0; i < n; i++) {
            sb.append("caller number ").append(i % 977).append(',').append(sid(i)).append('\n');
        }
        Path f = file("sids.csv", sb.toString());
        SidInput input = SidInput.open(f.toString(), InputStream.nullInputStream());
        assertThat(input.isRegularFile()).isTrue();
        assertThat(input.sizeBytes()).hasValue(Files.size(f));
        assertThat(input.estimatedTotal()).isEqualTo(-1);
        long[] midway = {-1, -1};
        try (Stream<SidInput.Line> lines = input.lines()) {
            lines.forEach(line -> {
                if (input.linesRead() == n / 10) {
                    midway[0] = input.estimatedTotal();
                }
                if (input.linesRead() == n / 2) {
                    midway[1] = input.estimatedTotal();
                }
            });
        }
        assertThat(midway[0]).isBetween((long) (n * 0.97), (long) (n * 1.03));
        assertThat(midway[1]).isBetween((long) (n * 0.97), (long) (n * 1.03));
        assertThat(input.reachedEnd()).isTrue();
        assertThat(input.estimatedTotal()).isEqualTo(n);
        // A regular file may be read again.
        assertThat(read(input)).hasSize(n);
    }

    @Test
    void aMissingFileOrADirectoryIsRefusedInTheUsersWords() {
        assertThatThrownBy(() -> SidInput.open("nosuch.txt", InputStream.nullInputStream()))
                .isInstanceOf(SidInput.InputException.class).hasMessage("cannot read --sids nosuch.txt: no such file");
        assertThatThrownBy(() -> SidInput.open(dir.toString(), InputStream.nullInputStream()))
                .isInstanceOf(SidInput.InputException.class).hasMessage("cannot read --sids " + dir + ": is a directory");
        assertThatThrownBy(() -> SidInput.open(dir.resolve("nosuch").resolve("x.txt").toString(), InputStream.nullInputStream()))
                .isInstanceOf(SidInput.InputException.class).hasMessageEndingWith(": no such file");
    }

    @Test
    void anUnreadableFileIsRefusedInTheUsersWords() throws IOException {
        Path written = file("secret.txt", sid(1) + "\n");
        Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("-w-------"));
        // Root (as in CI) reads a file whatever its mode, but not the kernel's write-only settings.
        Path f = Stream.of(written, Path.of("/proc/sys/vm/drop_caches"), Path.of("/proc/sys/vm/compact_memory"))
                .filter(p -> Files.exists(p) && !Files.isReadable(p)).findFirst().orElse(null);
        assumeThat(f).as("no file this user cannot read").isNotNull();
        assertThatThrownBy(() -> SidInput.open(f.toString(), InputStream.nullInputStream()))
                .isInstanceOf(SidInput.InputException.class).hasMessage("cannot read --sids " + f + ": permission denied");
    }

    @Test
    void fileErrorsAreDescribedInTheUsersWordsNeverJavas() {
        assertThat(IoMessages.reason(new NoSuchFileException("x"))).isEqualTo("no such file");
        assertThat(IoMessages.reason(new AccessDeniedException("x"))).isEqualTo("permission denied");
        assertThat(IoMessages.reason(new FileSystemException("x", null, "Is a directory"))).isEqualTo("is a directory");
        assertThat(IoMessages.reason(new FileNotFoundException("x (Permission denied)"))).isEqualTo("permission denied");
        assertThat(IoMessages.reason(new FileNotFoundException("x (No such file or directory)"))).isEqualTo("no such file");
        assertThat(IoMessages.reason(new IOException("No space left on device"))).isEqualTo("no space left on device");
        assertThat(IoMessages.reason(new IOException("I/O error"))).isEqualTo("I/O error");
        assertThat(IoMessages.reason(new IOException("java.lang.IllegalStateException: x"))).isEqualTo("input/output error");
    }

    @Test
    void aLineLongerThanTheLimitIsRefused() {
        assertThatThrownBy(() -> read("x".repeat(SidInput.MAX_LINE_BYTES + 10) + "\n"))
                .isInstanceOf(SidInput.InputException.class).hasMessage("line 1 is longer than 1 MiB: not a list of call SIDs");
    }
}
