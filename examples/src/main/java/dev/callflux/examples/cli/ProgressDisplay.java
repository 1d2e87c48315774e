package dev.callflux.examples.cli;

import dev.callflux.reactor.bulk.BulkProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A run's progress on standard error: one line redrawn in place on a terminal, a plain line every few
 * seconds otherwise (a log file, CI), or nothing ({@code --quiet}, {@code --no-progress}). Fields are
 * separated by {@code |}; at the terminal's width (80 columns unless {@code COLUMNS} says otherwise) every
 * counter stays visible: the least useful fields go first, then the labels get shorter. Escape codes are
 * written only in {@link Mode#TERMINAL}.
 */
final class ProgressDisplay implements AutoCloseable {

    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);
    static final Duration REDRAW_INTERVAL = Duration.ofMillis(200);

    /** How progress is shown. */
    enum Mode { TERMINAL, LINES, NONE }

    private final BulkProgress progress;
    private final LongSupplier total;
    private final Mode mode;
    private final PrintStream err;
    private final int width;
    private final BooleanSupplier mayDraw;
    private final ScheduledExecutorService ticker;
    private boolean drawn;

    /**
     * @param total   the number of SIDs (or an estimate), -1 when unknown
     * @param mayDraw false while drawing would get in the way (the user is still typing SIDs at the terminal)
     */
    ProgressDisplay(BulkProgress progress, LongSupplier total, Mode mode, PrintStream err, Duration interval,
                    int width, BooleanSupplier mayDraw) {
        this.progress = progress;
        this.total = total;
        this.mode = mode;
        this.err = err;
        this.width = width;
        this.mayDraw = mayDraw;
        if (mode == Mode.NONE) {
            ticker = null;
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callflux-progress");
            t.setDaemon(true);
            return t;
        });
        long ms = (mode == Mode.TERMINAL ? REDRAW_INTERVAL : interval).toMillis();
        ticker.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** The terminal's width: {@code COLUMNS} when it is a number of at least 40, else 80. */
    static int width(java.util.Map<String, String> env) {
        try {
            int c = Integer.parseInt(env.getOrDefault("COLUMNS", "80").strip());
            return c >= 40 ? c : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    private synchronized void tick() {
        if (!mayDraw.getAsBoolean()) {
            return;
        }
        String line = line(progress.snapshot(), total.getAsLong(), mode == Mode.TERMINAL ? width - 1 : Integer.MAX_VALUE);
        if (mode == Mode.TERMINAL) {
            err.print("\r" + line + "\u001b[K");
            err.flush();
            drawn = true;
        } else {
            err.println("progress: " + line);
        }
    }

    /** One line of progress, at most {@code width} characters when that is possible at all. */
    static String line(BulkProgress.Snapshot s, long total, int width) {
        String done = total > 0
                ? String.format(Locale.ROOT, "%,d/%,d %.0f%%", s.done(), Math.max(total, s.done()), Math.min(100.0, 100.0 * s.done() / total))
                : String.format(Locale.ROOT, "%,d done", s.done());
        String rate = String.format(Locale.ROOT, "%,.0f/s", s.ratePerSecond());
        String eta = total > 0 && s.ratePerSecond() > 0 && total > s.done()
                ? "ETA " + duration((long) ((total - s.done()) / s.ratePerSecond())) : null;
        // Long and short labels of each counter; the counters never go.
        String[][] counters = {
                {"ok", "ok", Long.toString(s.succeeded())},
                {"already ended", "ended", Long.toString(s.alreadyEnded())},
                {"failed", "fail", Long.toString(s.failed())},
                {"unknown", "unk", Long.toString(s.unknown())},
                {"retries", "retry", Long.toString(s.retries())}};
        String limit = "limit " + s.limit();
        for (int attempt = 0; attempt < 4; attempt++) {
            List<String> fields = new ArrayList<>();
            fields.add(done);
            fields.add(rate);
            boolean shortLabels = attempt >= 2;
            for (String[] c : counters) {
                fields.add((shortLabels ? c[1] : c[0]) + " " + String.format(Locale.ROOT, "%,d", Long.parseLong(c[2])));
            }
            if (attempt < 1) {
                fields.add(limit);
            }
            if (eta != null && attempt < 3) {
                fields.add(eta);
            }
            String line = String.join(" | ", fields);
            if (line.length() <= width || attempt == 3) {
                return line;
            }
        }
        throw new AssertionError("unreachable");
    }

    private static String duration(long seconds) {
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }

    @Override
    public synchronized void close() {
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        if (mode == Mode.TERMINAL && drawn) {
            tick();
            err.println();
        }
    }
}
