package dev.callflux.examples.cli;

import dev.callflux.reactor.bulk.BulkResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The per-SID report: a CSV with one row per SID, {@code sid,outcome,http_status,twilio_code,attempts,millis,message}.
 * Written as results arrive; messages never contain credentials (CallFlux's errors never do).
 */
final class Report implements AutoCloseable {

    static final String HEADER = "sid,outcome,http_status,twilio_code,attempts,millis,message";

    private final BufferedWriter out;

    private Report(BufferedWriter out) {
        this.out = out;
    }

    static Report create(Path path) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        w.write(HEADER);
        w.write('\n');
        return new Report(w);
    }

    void write(BulkResult<Long> result, String message) throws IOException {
        out.write(cell(result.callSid()));
        out.write(',');
        out.write(result.outcome().name());
        out.write(',');
        out.write(result.httpStatus().isPresent() ? Integer.toString(result.httpStatus().getAsInt()) : "");
        out.write(',');
        out.write(result.twilioCode().isPresent() ? Integer.toString(result.twilioCode().getAsInt()) : "");
        out.write(',');
        out.write(Integer.toString(result.attempts()));
        out.write(',');
        out.write(Long.toString(result.elapsed().toMillis()));
        out.write(',');
        out.write(cell(message));
        out.write('\n');
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

    @Override
    public void close() throws IOException {
        out.close();
    }
}
