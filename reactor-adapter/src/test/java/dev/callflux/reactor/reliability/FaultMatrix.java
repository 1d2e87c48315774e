package dev.callflux.reactor.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The suite's figures: one Markdown table row per scenario, appended to
 * {@code target/reliability/fault-matrix.md} (under the module), under a heading per test JVM. A row is
 * written whether its checks passed or not, with the verdict in the last column.
 */
final class FaultMatrix {

    static final Path FILE = Path.of("target", "reliability", "fault-matrix.md");

    static final String HEADER = "| fault | update | commands | succeeded | already ended | failed | unknown | retries"
            + " | requests seen | injected | duplicates | lost | applied twice | ledger checks | time |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|\n";

    private static boolean started;

    private FaultMatrix() {
    }

    /** Appends one row (cells already formatted); the first row of a JVM also writes a heading and the header. */
    static synchronized void record(String... cells) {
        StringBuilder sb = new StringBuilder();
        if (!started) {
            started = true;
            sb.append("\n## Run of ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("\n\n").append(HEADER);
        }
        sb.append('|');
        for (String c : cells) {
            sb.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        sb.append('\n');
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
