package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.reactor.bulk.BulkProgress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress line: a separator between every field, every counter visible at 80 columns. */
class ProgressDisplayTest {

    private static BulkProgress.Snapshot big() {
        return new BulkProgress.Snapshot(1_000_000, 987_654, 12_345, 99_999, 88_888, 77_777, 100, 100,
                Duration.ofSeconds(500), false);
    }

    @Test
    void everyCounterStaysVisibleAt80Columns() {
        String line = ProgressDisplay.line(big(), 2_000_000, 79);
        assertThat(line.length()).as(line).isLessThanOrEqualTo(79);
        assertThat(line).contains("ok 988k", "ended 12.3k", "fail 100k", "unk 88.9k", "retry 77.8k");
        assertThat(line.split("\\s*\\|\\s*")).hasSize(7);
    }

    @Test
    void usualCountsKeepTheirDigitsAndLabelsAt80Columns() {
        BulkProgress.Snapshot s = new BulkProgress.Snapshot(5_000, 4_800, 90, 7, 3, 120, 60, 64, Duration.ofSeconds(10), false);
        String line = ProgressDisplay.line(s, 10_000, 79);
        assertThat(line.length()).as(line).isLessThanOrEqualTo(79);
        assertThat(line).startsWith("4,900/10,000 49% | 490/s | ok 4,800 | ");
        assertThat(line).contains(" 90 | ", " 7 | ", " 3 | ", " 120");
    }

    @Test
    void aWideTerminalShowsLongLabelsTheLimitAndTheEta() {
        String line = ProgressDisplay.line(big(), 2_000_000, 200);
        assertThat(line).contains("already ended 12,345", "failed 99,999", "unknown 88,888", "retries 77,777", "limit 100", "ETA ");
        assertThat(line).startsWith("1,188,886/2,000,000 59% | 2,378/s");
    }

    @Test
    void withoutATotalThereIsNoPercentage() {
        String line = ProgressDisplay.line(big(), -1, 200);
        assertThat(line).startsWith("1,188,886 done | ").doesNotContain("%", "ETA");
    }

    @Test
    void theRateIsTheSummarysRate() {
        BulkProgress.Snapshot s = big();
        assertThat(ProgressDisplay.line(s, -1, 200)).contains(String.format(java.util.Locale.ROOT, "%,.0f/s", s.done() / 500.0));
    }

    @Test
    void theWidthComesFromColumns() {
        assertThat(ProgressDisplay.width(Map.of("COLUMNS", "132"))).isEqualTo(132);
        assertThat(ProgressDisplay.width(Map.of("COLUMNS", "junk"))).isEqualTo(80);
        assertThat(ProgressDisplay.width(Map.of())).isEqualTo(80);
    }
}
