package dev.callflux.examples.cli;

import dev.callflux.core.model.CallSid;
import dev.callflux.reactor.bulk.BulkResult;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The per-SID report: a CSV, {@code sid,outcome,http_status,twilio_code,attempts,millis,message}, that ends
 * with one final row for every SID of the input, across runs. Rows are appended as results arrive (each
 * written to the operating system at once); an existing report with the same header is appended to, never
 * truncated, so a resumed run keeps the first run's rows. {@link #close()} then compacts the report to one
 * row per SID ({@link #compact(Path)}). A crash before that leaves several rows for some SIDs, the last real
 * one being the final one; the next run's compaction fixes it.
 *
 * <p>Messages never contain credentials (CallFlux's errors never do). All methods may be called from any
 * thread (skipped rows are written by the thread that reads the input, results by another).
 */
final class Report implements AutoCloseable {

    static final String HEADER = "sid,outcome,http_status,twilio_code,attempts,millis,message";
    /** The message of a row written by {@link #writeSkipped(String, String)}. */
    static final String SKIPPED_MESSAGE = "done in an earlier run (journal)";

    /** How many cells a row has. */
    private static final int CELLS = 7;
    /** Kinds of row, for compaction: a skipped row does not replace a real row that reached the goal. */
    private static final int OTHER = 0;
    private static final int DONE = 1;
    private static final int SKIPPED = 2;

    private final Path path;
    private final Writer out;
    private boolean closed;

    private Report(Path path, Writer out) {
        this.path = path;
        this.out = out;
    }

    /**
     * Opens the report at {@code path}: creates it with its header if it does not exist or is empty; appends
     * to it if it starts with {@link #HEADER}, first ending its last row (a row torn by a crash is closed:
     * its open quote, if any, then its line).
     *
     * @throws SidInput.InputException if the file has another header (nothing is changed), or cannot be
     *                                 created or read, e.g. {@code "cannot create the report /x/r.csv: no such directory"}
     */
    static Report open(Path path) throws IOException {
        IoMessages.requireWritable(path, "the report");
        boolean existed = Files.exists(path);
        Tail tail = existed ? tail(path) : new Tail();
        Writer w;
        try {
            w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND), StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new SidInput.InputException("cannot " + (existed ? "open" : "create") + " the report " + path + ": "
                    + IoMessages.reason(e));
        }
        try {
            if (tail.empty) {
                w.write(HEADER);
                w.write('\n');
            } else if (tail.openQuote) {
                w.write("\"\n");
            } else if (!tail.endsWithNewline) {
                w.write('\n');
            }
            w.flush();
        } catch (IOException e) {
            w.close();
            throw e;
        }
        return new Report(path, w);
    }

    /** Writes the row of {@code result}; the outcome is its name ({@code SUCCEEDED}, {@code ALREADY_ENDED}...). */
    void write(BulkResult<Long> result, String message) throws IOException {
        write(result.callSid(), result.outcome(), result.httpStatus(), result.twilioCode(), result.attempts(),
                Long.toString(result.elapsed().toMillis()), message);
    }

    /**
     * Writes one row.
     *
     * @param millis how long the command took, or an empty string where that is not known
     */
    synchronized void write(String sid, BulkResult.Outcome outcome, OptionalInt httpStatus, OptionalInt twilioCode,
                            int attempts, String millis, String message) throws IOException {
        ensureOpen();
        out.write(cell(sid));
        out.write(',');
        out.write(outcome.name());
        out.write(',');
        out.write(httpStatus.isPresent() ? Integer.toString(httpStatus.getAsInt()) : "");
        out.write(',');
        out.write(twilioCode.isPresent() ? Integer.toString(twilioCode.getAsInt()) : "");
        out.write(',');
        out.write(Integer.toString(attempts));
        out.write(',');
        out.write(millis);
        out.write(',');
        out.write(cell(message));
        out.write('\n');
        out.flush();
    }

    /**
     * Writes the row of a SID skipped because the journal says an earlier run did it:
     * {@code sid,OUTCOME,,,0,0,done in an earlier run (journal)}. At compaction such a row never replaces an
     * earlier row of the same SID whose outcome reached the goal ({@code SUCCEEDED}, {@code ALREADY_ENDED}).
     *
     * @param journalOutcome the outcome the journal recorded, e.g. {@code SUCCEEDED}
     */
    synchronized void writeSkipped(String sid, String journalOutcome) throws IOException {
        ensureOpen();
        out.write(cell(sid));
        out.write(',');
        out.write(cell(journalOutcome));
        out.write(",,,0,0,");
        out.write(SKIPPED_MESSAGE);
        out.write('\n');
        out.flush();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the report " + path + " is closed");
        }
    }

    /**
     * Closes the report (rows written after this throw an {@link IOException}), then
     * {@link #compact(Path) compacts} it to one row per SID. Call it at the end of every run that was not
     * killed, Ctrl-C included (try-with-resources does).
     */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            out.close();
        }
        compact(path);
    }

    /** What a compaction did. */
    record Compaction(long rowsBefore, long rowsAfter, boolean rewritten) {
    }

    /**
     * Rewrites the report so that it holds exactly one row per key (the first cell, whatever it is, so
     * lines that were not SIDs count too): the last row of each key, except that a row of a SID skipped
     * from the journal does not replace an earlier row that reached the goal. The header stays first; rows
     * keep the order of the final rows in the file (each where its final row was). Nothing is rewritten when
     * no key has more than one row. Otherwise the rows are written to a temporary file in the same directory
     * (same permissions), synced, and renamed over the report atomically (or, where that is not supported,
     * replacing it).
     *
     * <p>Memory stays bounded by the number of SIDs, not the size of their rows: a first pass maps each key
     * to the index of its final row (about 48 bytes per call SID, a {@code HashMap} for other keys); a
     * second pass copies the rows whose index is final.
     */
    static Compaction compact(Path path) throws IOException {
        Finals finals = new Finals();
        long rows = 0;
        long replaced = 0;
        try (InputStream in = Files.newInputStream(path)) {
            Records records = new Records(in);
            if (records.next() == null) {
                return new Compaction(0, 0, false);
            }
            for (String row = records.next(); row != null; row = records.next()) {
                rows++;
                List<String> cells = SidInput.csv(row);
                int kind = kind(cells);
                long current = finals.get(cells.get(0));
                if (current >= 0 && kind == SKIPPED && (current & 3) == DONE) {
                    replaced++; // the earlier real row stays
                    continue;
                }
                if (current >= 0) {
                    replaced++;
                }
                finals.put(cells.get(0), rows << 2 | kind);
            }
        }
        if (replaced == 0) {
            return new Compaction(rows, rows, false);
        }
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
        long kept = 0;
        try {
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(path));
            } catch (UnsupportedOperationException | IOException e) {
                // not a POSIX file system: the temporary file's permissions stay
            }
            try (InputStream in = Files.newInputStream(path);
                 FileOutputStream file = new FileOutputStream(tmp.toFile());
                 Writer w = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
                Records records = new Records(in);
                w.write(records.next());
                w.write('\n');
                long index = 0;
                for (String row = records.next(); row != null; row = records.next()) {
                    index++;
                    String key = SidInput.csv(row).get(0);
                    if (finals.get(key) >>> 2 == index) {
                        w.write(row);
                        w.write('\n');
                        kept++;
                    }
                }
                w.flush();
                file.getChannel().force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Compaction(rows, kept, true);
    }

    private static int kind(List<String> cells) {
        if (cells.size() != CELLS) {
            return OTHER; // torn by a crash, say
        }
        if (cells.get(6).equals(SKIPPED_MESSAGE) && cells.get(4).equals("0")) {
            return SKIPPED;
        }
        String outcome = cells.get(1);
        return outcome.equals(BulkResult.Outcome.SUCCEEDED.name()) || outcome.equals(BulkResult.Outcome.ALREADY_ENDED.name())
                ? DONE : OTHER;
    }

    /** Key → (index of its final row) &lt;&lt; 2 | kind: compact for call SIDs, a small map for anything else. */
    private static final class Finals {
        private final SidSet.LongMap sids = new SidSet.LongMap();
        private final Map<String, Long> others = new HashMap<>();

        long get(String key) {
            if (CallSid.isValid(key)) {
                return sids.get(key, -1);
            }
            Long v = others.get(key);
            return v == null ? -1 : v;
        }

        void put(String key, long value) {
            if (CallSid.isValid(key)) {
                sids.put(key, value);
            } else {
                others.put(key, value);
            }
        }
    }

    /** CSV records, one or more lines each (a quoted cell may hold line breaks). */
    private static final class Records {
        private final ByteLines lines;

        Records(InputStream in) {
            this.lines = new ByteLines(in, SidInput.MAX_LINE_BYTES);
        }

        String next() throws IOException {
            String line = lines.next();
            if (line == null) {
                return null;
            }
            if (quotes(line) % 2 == 0) {
                return line;
            }
            StringBuilder record = new StringBuilder(line);
            long quotes = quotes(line);
            while (quotes % 2 != 0 && (line = lines.next()) != null) {
                record.append('\n').append(line);
                quotes += quotes(line);
            }
            return record.toString();
        }

        private static long quotes(String s) {
            long n = 0;
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '"') {
                    n++;
                }
            }
            return n;
        }
    }

    /** What the end of an existing report needs before rows are appended. */
    private static final class Tail {
        boolean empty = true;
        boolean endsWithNewline = true;
        boolean openQuote;
    }

    /** Checks the header of an existing report and reads how it ends (a row torn by a crash?). */
    private static Tail tail(Path path) {
        Tail t = new Tail();
        try (InputStream in = Files.newInputStream(path)) {
            ByteLines lines = new ByteLines(in, 4096);
            String first = lines.next();
            if (first == null) {
                return t;
            }
            t.empty = false;
            if (!first.strip().equals(HEADER) || lines.lastTruncated()) {
                throw new SidInput.InputException("the report " + path + " does not start with the header " + HEADER
                        + " (its first line: " + shown(first) + "): use another --report file");
            }
            // A quote byte never occurs inside a multi-byte UTF-8 character: count them in the raw bytes.
            long quotes = 0;
            int last = lines.lastTerminated() ? '\n' : -1;
            InputStream rest = lines.remainder();
            byte[] buf = new byte[1 << 16];
            for (int n = rest.read(buf); n >= 0; n = rest.read(buf)) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '"') {
                        quotes++;
                    }
                }
                if (n > 0) {
                    last = buf[n - 1];
                }
            }
            t.endsWithNewline = last == '\n';
            t.openQuote = quotes % 2 != 0;
        } catch (IOException e) {
            throw new SidInput.InputException("cannot read the report " + path + ": " + IoMessages.reason(e));
        }
        return t;
    }

    /** A line shown in a message: at most 60 characters, in quotes, control characters escaped. */
    private static String shown(String line) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < line.length() && i < 60; i++) {
            char c = line.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append(line.length() > 60 ? "…\"" : "\"").toString();
    }

    /** A CSV cell: quoted when it holds a comma, quote or line break; quotes doubled. */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
