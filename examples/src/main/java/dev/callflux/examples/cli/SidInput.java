package dev.callflux.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Call SIDs from {@code --sids FILE} or standard input, read once, lazily, line by line: nothing is counted
 * or read ahead, so the first SID is handed out as soon as its line is read, whatever the size of the input.
 *
 * <p>The source: a regular file; standard input (no {@code --sids}, {@code -}, {@code /dev/stdin} or
 * {@code /dev/fd/0}); or anything else that can be read once: a pipe, a FIFO, a process substitution path
 * such as {@code /dev/fd/63}. Standard input is read with {@link ByteLines}, which never reads again after
 * the first end of input, so one Ctrl-D ends what is typed at a terminal.
 *
 * <p>The format is decided on the first meaningful line (blank lines and {@code #} comments are skipped in
 * all formats but JSON); see {@link Format}. Every {@link Line} keeps a number the user can find: its line
 * number in the input (for JSON, the line where the element starts). Text is UTF-8; a leading byte-order
 * mark is skipped and {@code \r\n} line ends are handled.
 *
 * <p>{@link #sizeBytes()}, {@link #linesRead()}, {@link #estimatedTotal()} and {@link #reachedEnd()} may be
 * called from any thread (the progress display reads them while another thread reads the input).
 */
final class SidInput {

    /** One SID-bearing line: its number in the input (from 1) and its text, trimmed. Not yet validated. */
    record Line(long number, String text) {
    }

    /**
     * The input cannot be read as SIDs at all (no such file, no {@code sid} column...): a usage error. The
     * message is for a CLI user, never a Java class name. Messages from {@link #open} are whole sentences
     * ({@code "cannot read --sids x.txt: no such file"}); messages thrown while {@link #lines()} are read are
     * about the input ({@code "line 1: a CSV header needs a 'sid' column (got: [name, phone])"}), to be
     * prefixed with {@link #name()}.
     */
    static class InputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InputException(String message) {
            super(message);
        }
    }

    /** How the input was read, decided on its first meaningful line. */
    enum Format {
        /** One SID per line. */
        PLAIN,
        /** Comma-separated with a header that has a {@code sid} column (any case), cells optionally quoted. */
        CSV,
        /** Tab-separated with a header that has a {@code sid} column, as {@code twilio ... -o tsv} prints. */
        TSV,
        /**
         * Columns separated by two or more spaces under a header with a {@code SID} column, as twilio-cli
         * prints by default ({@code SID   From   To   Status   Start Time}); a row's SID is the word that
         * starts where the header's {@code SID} starts.
         */
        COLUMNS,
        /**
         * A JSON array, as {@code twilio ... -o json} prints (first meaningful character {@code [}): each
         * element an object with a string {@code sid} field (any case), or a string. Parsed as a stream.
         */
        JSON
    }

    /** Names of standard input for {@code --sids}. */
    static final Set<String> STANDARD_INPUT_NAMES = Set.of("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0");
    /** The longest line read whole; a longer one is refused (no list of SIDs has one). */
    static final int MAX_LINE_BYTES = 1 << 20;
    /** The most characters of a JSON element (without a string {@code sid}) kept as the text of its line. */
    static final int MAX_JSON_TEXT = 120;

    private static final JsonFactory JSON = new JsonFactory();

    private final String name;
    private final Path path;
    private final InputStream stdin;
    private final boolean regular;
    private final long size;
    private final boolean terminal;
    private final AtomicBoolean opened = new AtomicBoolean();

    // Written by the reading thread, read by any.
    private volatile long linesRead;
    private volatile long consumed;
    private volatile long dataStart = -1;
    private volatile boolean ended;
    private volatile Format format;

    private SidInput(String name, Path path, InputStream stdin, boolean regular, long size, boolean terminal) {
        this.name = name;
        this.path = path;
        this.stdin = stdin;
        this.regular = regular;
        this.size = size;
        this.terminal = terminal;
    }

    /**
     * The input named by {@code --sids}, or standard input.
     *
     * <p>Standard input counts as a terminal when {@code stdin} is {@link System#in} and
     * {@link #stdinIsTerminal()} says so.
     *
     * @param sidsArgument the {@code --sids} value as typed; {@code null} (absent), {@code -},
     *                     {@code /dev/stdin} or {@code /dev/fd/0} for standard input
     * @param stdin        standard input
     * @throws InputException if the path does not exist, is a directory or cannot be read, e.g.
     *                        {@code "cannot read --sids nosuch.txt: no such file"}
     */
    static SidInput open(String sidsArgument, InputStream stdin) {
        return open(sidsArgument, stdin, stdin == System.in && stdinIsTerminal());
    }

    /**
     * Same as {@link #open(String, InputStream)}, saying whether standard input is a terminal (for tests).
     *
     * @param stdinIsTerminal what {@link #fromTerminal()} answers when the input is standard input
     */
    static SidInput open(String sidsArgument, InputStream stdin, boolean stdinIsTerminal) {
        if (sidsArgument == null || STANDARD_INPUT_NAMES.contains(sidsArgument)) {
            return new SidInput("standard input", null, stdin, false, -1, stdinIsTerminal);
        }
        String cannot = "cannot read --sids " + sidsArgument + ": ";
        if (sidsArgument.isBlank()) {
            throw new InputException("--sids needs a file name (or - for standard input)");
        }
        Path path;
        try {
            path = Path.of(sidsArgument);
        } catch (InvalidPathException e) {
            throw new InputException(cannot + "not a valid file name");
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new InputException(cannot + IoMessages.reason(e));
        }
        if (attributes.isDirectory()) {
            throw new InputException(cannot + "is a directory");
        }
        if (attributes.isRegularFile()) {
            try {
                Files.newByteChannel(path).close(); // can it be opened? lines() opens it again to read it
            } catch (IOException e) {
                throw new InputException(cannot + IoMessages.reason(e));
            }
            return new SidInput(sidsArgument, path, null, true, attributes.size(), false);
        }
        // A FIFO blocks on open until its writer comes: it is opened when it is read.
        if (!Files.isReadable(path)) {
            throw new InputException(cannot + "permission denied");
        }
        return new SidInput(sidsArgument, path, null, false, -1, false);
    }

    /**
     * Whether this process's standard input is a terminal. Linux: {@code /proc/self/fd/0} links to
     * {@code /dev/pts/*}, {@code /dev/tty*} or {@code /dev/console}; elsewhere {@code System.console() != null}.
     */
    static boolean stdinIsTerminal() {
        return Terminal.isTerminal(0);
    }

    /** {@code "standard input"}, or the {@code --sids} argument as given. */
    String name() {
        return name;
    }

    /** Whether this input is standard input and that is a terminal (someone types the SIDs; Ctrl-D ends). */
    boolean fromTerminal() {
        return path == null && terminal;
    }

    /** Whether the input is a regular file (which {@link #lines()} may read again). */
    boolean isRegularFile() {
        return regular;
    }

    /** The size of a regular file when it was opened; empty for anything else. */
    OptionalLong sizeBytes() {
        return regular ? OptionalLong.of(size) : OptionalLong.empty();
    }

    /** The format, once the first meaningful line was read; {@code null} before. */
    Format format() {
        return format;
    }

    /** SID lines handed out so far by the current {@link #lines()} (blank, comment and header lines not counted). */
    long linesRead() {
        return linesRead;
    }

    /** Whether the current {@link #lines()} reached the end of the input. */
    boolean reachedEnd() {
        return ended;
    }

    /**
     * How many SID lines the input holds, without a second pass: exactly {@link #linesRead()} once the end
     * was reached; for a regular file, {@code linesRead × dataBytes / dataBytesConsumed} (the bytes of the
     * lines handed out, from the first of them, not the reader's buffer position), never less than
     * {@link #linesRead()}; otherwise -1 (a pipe, standard input, or nothing read yet).
     */
    long estimatedTotal() {
        long lines = linesRead;
        if (ended) {
            return lines;
        }
        long start = dataStart;
        long through = consumed;
        if (!regular || lines == 0 || start < 0 || through <= start) {
            return -1;
        }
        double estimate = (double) lines * (size - start) / (through - start);
        return Math.max(lines, Math.round(estimate));
    }

    /**
     * The SID lines, read lazily as the stream is consumed; closing the stream closes the input. A regular
     * file may be read again (each call opens it anew and restarts the counters); any other input only once.
     *
     * @throws IllegalStateException if this input is not a regular file and was already read
     * @throws InputException        (from the stream) if the input cannot be read as SIDs
     */
    Stream<Line> lines() {
        if (!opened.compareAndSet(false, true) && !regular) {
            throw new IllegalStateException(name + " can be read only once");
        }
        InputStream in = path == null ? stdin : openFile();
        linesRead = 0;
        consumed = 0;
        dataStart = -1;
        ended = false;
        format = null;
        LineReader reader = new LineReader(new ByteLines(in, MAX_LINE_BYTES));
        Spliterator<Line> lines = new Spliterators.AbstractSpliterator<Line>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super Line> action) {
                Line line = reader.next();
                if (line == null) {
                    return false;
                }
                action.accept(line);
                return true;
            }
        };
        return StreamSupport.stream(lines, false).onClose(() -> {
            try {
                reader.close();
            } finally {
                try {
                    in.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    private InputStream openFile() {
        try {
            return new FileInputStream(path.toFile()); // not interruptible: a cancelled reader cannot close it
        } catch (IOException e) {
            throw new InputException("cannot read --sids " + name + ": " + IoMessages.reason(e));
        }
    }

    /** No control characters but tabs, and nothing that was not UTF-8 (decoded as U+FFFD). */
    static boolean isText(String text) {
        return text.chars().noneMatch(c -> c == '\uFFFD' || c == 0x7f || c < ' ' && c != '\t');
    }

    /** A header's cells as the error shows them: at most 80 characters. */
    private static String shown(List<String> cells) {
        String all = cells.toString();
        return all.length() <= 80 ? all : all.substring(0, 80) + "…";
    }

    /** Decides the format on the first meaningful line, then yields one {@link Line} per SID. */
    private final class LineReader {
        private final ByteLines in;
        private Json json;
        private int sidColumn = -1; // the index of the SID cell; for COLUMNS, the position where it starts

        LineReader(ByteLines in) {
            this.in = in;
        }

        Line next() {
            try {
                if (json != null) {
                    return json.next();
                }
                while (true) {
                    if (format == null && in.peekFirstNonBlank() == '[') {
                        format = Format.JSON;
                        json = new Json(in.lineNumber() + 1, in.offset(), in.remainder());
                        return json.next();
                    }
                    long before = in.offset();
                    String raw = in.next();
                    if (raw == null) {
                        ended = true;
                        return null;
                    }
                    long number = in.lineNumber();
                    if (in.lastTruncated()) {
                        throw new InputException("line " + number + " is longer than " + (MAX_LINE_BYTES >> 20)
                                + " MiB: not a list of call SIDs");
                    }
                    String text = raw.strip();
                    if (text.isEmpty() || text.startsWith("#")) {
                        continue;
                    }
                    if (format == null && header(number, raw, text)) {
                        continue;
                    }
                    Line line = new Line(number, cell(raw, text));
                    if (dataStart < 0) {
                        dataStart = before;
                    }
                    consumed = in.offset();
                    linesRead++;
                    return line;
                }
            } catch (IOException e) {
                throw new InputException("read failed after line " + in.lineNumber() + ": " + IoMessages.reason(e));
            }
        }

        /** Decides the format on the first meaningful line; whether that line was a header. */
        private boolean header(long number, String raw, String text) {
            if (text.indexOf('\r') >= 0) {
                throw new InputException("line " + number + ": lines end with a carriage return only (Excel's 'CSV"
                        + " (Macintosh)' writes them): save it with other line ends, or: tr '\\r' '\\n' < FILE | callflux hangup");
            }
            if (!isText(text)) {
                // A gzip or other binary file: its bytes would otherwise be echoed as a "header" onto the terminal.
                throw new InputException("line " + number + ": not text (a compressed or binary file?): give one call"
                        + " SID per line, e.g. zcat FILE.gz | callflux hangup");
            }
            if (text.indexOf('\t') >= 0) {
                format = Format.TSV;
                sidColumn = sidIn(tsv(text));
                if (sidColumn < 0) {
                    throw new InputException("line " + number + ": a tab-separated header needs a 'sid' column (got: "
                            + shown(tsv(text)) + ")");
                }
                return true;
            }
            if (text.indexOf(',') >= 0) {
                format = Format.CSV;
                List<String> header = csv(text);
                sidColumn = sidIn(header);
                if (sidColumn < 0) {
                    throw new InputException("line " + number + ": a CSV header needs a 'sid' column (got: " + shown(header) + ")");
                }
                return true;
            }
            if (text.contains("  ")) {
                format = Format.COLUMNS;
                List<int[]> spans = columns(raw);
                List<String> names = new ArrayList<>();
                for (int[] span : spans) {
                    names.add(raw.substring(span[0], span[1]));
                }
                int i = sidIn(names);
                if (i < 0) {
                    throw new InputException("line " + number + ": a header of columns (as twilio-cli prints) needs a"
                            + " 'SID' column (got: " + shown(names) + ")");
                }
                sidColumn = spans.get(i)[0];
                return true;
            }
            if (sidIn(csv(text)) == 0) {
                format = Format.CSV; // a header of one column: "sid" or twilio-cli's "SID"
                sidColumn = 0;
                return true;
            }
            format = Format.PLAIN;
            return false;
        }

        private String cell(String raw, String text) {
            switch (format) {
                case CSV:
                    List<String> cells = csv(text);
                    return sidColumn < cells.size() ? cells.get(sidColumn).strip() : "";
                case TSV:
                    List<String> tabbed = tsv(text);
                    return sidColumn < tabbed.size() ? tabbed.get(sidColumn) : "";
                case COLUMNS:
                    // The word that starts where the header's SID starts (a SID has no blank): nothing if blank there.
                    int end = sidColumn;
                    while (end < raw.length() && !Character.isWhitespace(raw.charAt(end))) {
                        end++;
                    }
                    return end <= sidColumn ? "" : raw.substring(sidColumn, end);
                default:
                    return text;
            }
        }

        void close() {
            if (json != null) {
                json.close();
            }
        }
    }

    /** A JSON array read as a stream of tokens: one element at a time in memory, at most. */
    private final class Json {
        private final long lineBase;
        private final long byteBase;
        private final JsonParser parser;
        private boolean started;
        private boolean finished;

        /**
         * @param firstLine the line number where the JSON starts
         * @param byteBase  the bytes consumed before it
         */
        Json(long firstLine, long byteBase, InputStream rest) throws IOException {
            this.lineBase = firstLine - 1;
            this.byteBase = byteBase;
            this.parser = JSON.createParser(rest);
        }

        Line next() {
            if (finished) {
                return null;
            }
            try {
                if (!started) {
                    started = true;
                    if (parser.nextToken() != JsonToken.START_ARRAY) {
                        throw new InputException("line " + line(parser.currentTokenLocation())
                                + ": JSON input must be an array of objects with a \"sid\"");
                    }
                }
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    if (parser.nextToken() != null) {
                        throw new InputException("line " + line(parser.currentTokenLocation())
                                + ": unexpected content after the JSON array");
                    }
                    finished = true;
                    ended = true;
                    return null;
                }
                if (token == null) {
                    throw new InputException("line " + line(parser.currentLocation())
                            + ": the JSON array ends early (was the input cut short?)");
                }
                JsonLocation start = parser.currentTokenLocation();
                String text = element(token);
                if (dataStart < 0) {
                    dataStart = byteBase + Math.max(0, start.getByteOffset());
                }
                consumed = byteBase + Math.max(0, parser.currentLocation().getByteOffset());
                linesRead++;
                return new Line(line(start), text);
            } catch (JsonEOFException e) {
                throw new InputException("line " + line(e.getLocation()) + ": the JSON array ends early (was the input cut short?)");
            } catch (JsonProcessingException e) {
                throw new InputException("line " + line(e.getLocation()) + ": not valid JSON: " + clean(e.getOriginalMessage()));
            } catch (IOException e) {
                throw new InputException("read failed in the JSON array: " + IoMessages.reason(e));
            }
        }

        /**
         * The text of the element at {@code token}: the string {@code sid} of an object, a string element
         * itself; else what is there (the non-string {@code sid} value, or the element), cut to
         * {@link #MAX_JSON_TEXT}, so that validation reports it.
         */
        private String element(JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_STRING) {
                return parser.getText().strip();
            }
            if (token != JsonToken.START_OBJECT) {
                return render();
            }
            String sid = null;
            String badSid = null;
            Capped shown = new Capped();
            try (JsonGenerator g = JSON.createGenerator(shown)) {
                g.writeStartObject();
                for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (sid == null && badSid == null && field.equalsIgnoreCase("sid")) {
                        if (value == JsonToken.VALUE_STRING) {
                            sid = parser.getText().strip();
                        } else {
                            badSid = render();
                        }
                        continue;
                    }
                    if (sid != null || badSid != null || shown.full()) {
                        parser.skipChildren(); // the text is decided, or long enough
                    } else {
                        g.writeFieldName(field);
                        g.copyCurrentStructure(parser);
                        g.flush();
                    }
                }
                if (!shown.full()) {
                    g.writeEndObject();
                }
                g.flush();
            }
            return sid != null ? sid : badSid != null ? badSid : shown.text();
        }

        /** The current value as compact JSON, cut to {@link #MAX_JSON_TEXT}. */
        private String render() throws IOException {
            Capped shown = new Capped();
            try (JsonGenerator g = JSON.createGenerator(shown)) {
                g.copyCurrentStructure(parser);
            }
            return shown.text();
        }

        private long line(JsonLocation location) {
            return location == null || location.getLineNr() < 1 ? lineBase + 1 : lineBase + location.getLineNr();
        }

        void close() {
            try {
                parser.close();
            } catch (IOException e) {
                // the input itself is closed by the stream
            }
        }
    }

    /** Jackson's message without its source location (which names Java features). */
    private static String clean(String message) {
        if (message == null) {
            return "unexpected content";
        }
        String m = message;
        for (String cut : new String[] {"\n", " at [Source", "[Source", " (start marker"}) {
            int i = m.indexOf(cut);
            if (i >= 0) {
                m = m.substring(0, i);
            }
        }
        return m.strip();
    }

    /** A writer that keeps the first {@link #MAX_JSON_TEXT} characters and drops the rest. */
    private static final class Capped extends Writer {
        private final StringBuilder sb = new StringBuilder();
        private boolean cut;

        @Override
        public void write(char[] chars, int off, int len) {
            int room = MAX_JSON_TEXT - sb.length();
            if (len > room) {
                cut = true;
            }
            sb.append(chars, off, Math.max(0, Math.min(len, room)));
        }

        boolean full() {
            return sb.length() >= MAX_JSON_TEXT;
        }

        String text() {
            return cut ? sb + "…" : sb.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** The index of the cell that says {@code sid} (any case, quotes and spaces around ignored), or -1. */
    private static int sidIn(List<String> header) {
        for (int i = 0; i < header.size(); i++) {
            String cell = header.get(i).strip();
            if (cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")) {
                cell = cell.substring(1, cell.length() - 1).strip();
            }
            if (cell.toLowerCase(Locale.ROOT).equals("sid")) {
                return i;
            }
        }
        return -1;
    }

    /** The [start, end) of each column name of a header whose columns are separated by two or more spaces. */
    private static List<int[]> columns(String header) {
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        int n = header.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(header.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            int end = i;
            // A name runs until two blanks in a row (twilio-cli's "Start Time" has one).
            while (i < n && !(Character.isWhitespace(header.charAt(i))
                    && (i + 1 >= n || Character.isWhitespace(header.charAt(i + 1))))) {
                i++;
                end = i;
            }
            spans.add(new int[] {start, end});
        }
        return spans;
    }

    /** One tab-separated record, cells trimmed. */
    static List<String> tsv(String line) {
        List<String> cells = new ArrayList<>();
        int from = 0;
        for (int tab = line.indexOf('\t'); tab >= 0; tab = line.indexOf('\t', from)) {
            cells.add(line.substring(from, tab).strip());
            from = tab + 1;
        }
        cells.add(line.substring(from).strip());
        return cells;
    }

    /** One CSV record: comma-separated, fields optionally in double quotes with {@code ""} for a quote. */
    static List<String> csv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
