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
        String eta = total > 0 && s.ratePerSecond() > 0 && total > s.done()
                ? "ETA " + duration((long) ((total - s.done()) / s.ratePerSecond())) : null;
        // Long and short labels of each counter; the counters never go, only their labels and digits shrink.
        String[][] labels = {{"ok", "ok"}, {"already ended", "ended"}, {"failed", "fail"}, {"unknown", "unk"}, {"retries", "retry"}};
        long[] counts = {s.succeeded(), s.alreadyEnded(), s.failed(), s.unknown(), s.retries()};
        String line = "";
        for (int level = 0; level <= 4; level++) {
            boolean compact = level == 4;
            List<String> fields = new ArrayList<>();
            fields.add(total > 0
                    ? number(s.done(), compact) + "/" + number(Math.max(total, s.done()), compact)
                            + String.format(Locale.ROOT, " %.0f%%", Math.min(100.0, 100.0 * s.done() / total))
                    : number(s.done(), compact) + " done");
            fields.add(number(Math.round(s.ratePerSecond()), compact) + "/s");
            for (int i = 0; i < counts.length; i++) {
                fields.add(labels[i][level >= 2 ? 1 : 0] + " " + number(counts[i], compact));
            }
            if (level == 0) {
                fields.add("limit " + s.limit());
            }
            if (eta != null && level <= 2) {
                fields.add(eta);
            }
            line = String.join(compact ? "|" : " | ", fields);
            if (line.length() <= width) {
                break;
            }
        }
        return line;
    }

    /** {@code 12,345}, or when compact {@code 12.3k}, {@code 1.19M}. */
    private static String number(long n, boolean compact) {
        if (!compact || n < 10_000) {
            return String.format(Locale.ROOT, "%,d", n);
        }
        if (n < 1_000_000) {
            return n < 99_950 ? String.format(Locale.ROOT, "%.1fk", n / 1e3) : String.format(Locale.ROOT, "%.0fk", n / 1e3);
        }
        return String.format(Locale.ROOT, "%.2fM", n / 1e6);
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
