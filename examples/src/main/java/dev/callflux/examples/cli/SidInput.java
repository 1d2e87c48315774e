package dev.callflux.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Call SIDs from a file or standard input: one per line, blank lines and {@code #} comments skipped; or a
 * CSV whose header has a {@code sid} column (recognised by a comma in the first line that is not a comment).
 * Lines keep their numbers so that bad ones can be reported by number.
 */
final class SidInput {

    /** One SID-bearing line: its number in the input (from 1) and its text, trimmed. Not yet validated. */
    record Line(long number, String text) {
    }

    /** The input cannot be read as SIDs at all (no {@code sid} column, say): a usage error. */
    static final class InputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InputException(String message) {
            super(message);
        }
    }

    private final Supplier<InputStream> open;
    private final String name;

    private SidInput(Supplier<InputStream> open, String name) {
        this.open = open;
        this.name = name;
    }

    static SidInput file(Path path) {
        return new SidInput(() -> {
            try {
                return Files.newInputStream(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, path.toString());
    }

    static SidInput stream(InputStream in, String name) {
        return new SidInput(() -> in, name);
    }

    String name() {
        return name;
    }

    /** The lines, read lazily; close the stream to close the input. */
    Stream<Line> lines() {
        BufferedReader reader = new BufferedReader(new InputStreamReader(open.get(), StandardCharsets.UTF_8), 1 << 16);
        LineParser parser = new LineParser();
        long[] number = {0};
        return reader.lines()
                .map(text -> parser.parse(++number[0], text))
                .filter(line -> line != null)
                .onClose(() -> {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Decides plain list or CSV on the first meaningful line, then yields one {@link Line} per SID. */
    private static final class LineParser {
        private boolean decided;
        private int sidColumn = -1;

        Line parse(long number, String raw) {
            String text = raw.strip();
            if (number == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1); // a byte-order mark from a spreadsheet export
            }
            if (text.isEmpty() || text.startsWith("#")) {
                return null;
            }
            if (!decided) {
                decided = true;
                if (text.indexOf(',') >= 0) {
                    List<String> header = csv(text);
                    for (int i = 0; i < header.size(); i++) {
                        if (header.get(i).strip().toLowerCase(Locale.ROOT).equals("sid")) {
                            sidColumn = i;
                        }
                    }
                    if (sidColumn < 0) {
                        throw new InputException("line " + number + ": a CSV header needs a 'sid' column (got: " + header + ")");
                    }
                    return null;
                }
            }
            if (sidColumn >= 0) {
                List<String> cells = csv(text);
                return new Line(number, sidColumn < cells.size() ? cells.get(sidColumn).strip() : "");
            }
            return new Line(number, text);
        }
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
