package dev.callflux.examples.cli;

import dev.callflux.reactor.bulk.BulkProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run's progress on standard error: a progress bar (done/total, rate, ETA, failures, current
 * concurrency) on a terminal, plain lines every few seconds otherwise (a log file, CI).
 */
abstract class ProgressDisplay implements AutoCloseable {

    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

    /** @param total the number of SIDs, or -1 when unknown (standard input) */
    static ProgressDisplay start(BulkProgress progress, long total, boolean terminal, PrintStream err, Duration interval) {
        return terminal ? new Bar(progress, total) : new Lines(progress, total, err, interval);
    }

    static String extra(BulkProgress.Snapshot s) {
        return String.format(Locale.ROOT, "failed %,d · unknown %,d · retries %,d · concurrency %d",
                s.failed(), s.unknown(), s.retries(), s.limit());
    }

    /** A progress bar redrawn in place (the progressbar library, on a terminal). */
    private static final class Bar extends ProgressDisplay {
        private final ProgressBar bar;
        private final BulkProgress progress;
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callflux-progress");
            t.setDaemon(true);
            return t;
        });

        Bar(BulkProgress progress, long total) {
            this.progress = progress;
            this.bar = new ProgressBarBuilder().setTaskName("hangup").setInitialMax(total)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).showSpeed().setUnit(" calls", 1)
                    .setUpdateIntervalMillis(200).build();
            ticker.scheduleAtFixedRate(this::refresh, 200, 200, TimeUnit.MILLISECONDS);
        }

        private void refresh() {
            BulkProgress.Snapshot s = progress.snapshot();
            bar.stepTo(s.done());
            bar.setExtraMessage(extra(s));
        }

        @Override
        public void close() {
            ticker.shutdownNow();
            refresh();
            bar.close();
        }
    }

    /** A line every few seconds, for output that is not a terminal. */
    private static final class Lines extends ProgressDisplay {
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callflux-progress");
            t.setDaemon(true);
            return t;
        });

        Lines(BulkProgress progress, long total, PrintStream err, Duration interval) {
            long ms = interval.toMillis();
            ticker.scheduleAtFixedRate(() -> {
                BulkProgress.Snapshot s = progress.snapshot();
                String of = total >= 0 ? String.format(Locale.ROOT, "%,d/%,d (%.0f %%)", s.done(), total,
                        total == 0 ? 100.0 : 100.0 * s.done() / total) : String.format(Locale.ROOT, "%,d", s.done());
                String eta = total > 0 && s.ratePerSecond() > 0
                        ? String.format(Locale.ROOT, ", ETA %ds", (long) ((total - s.done()) / s.ratePerSecond())) : "";
                err.printf(Locale.ROOT, "progress: %s, %,.0f calls/s%s, %s%n", of, s.ratePerSecond(), eta, extra(s));
            }, ms, ms, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            ticker.shutdownNow();
        }
    }

    @Override
    public abstract void close();
}
