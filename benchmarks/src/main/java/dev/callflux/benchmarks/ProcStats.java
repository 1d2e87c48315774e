package dev.callflux.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Reads Linux's {@code /proc}: thread count and peak RSS from {@code /proc/<pid>/status}, CPU time from
 * {@code /proc/<pid>/stat}. Everything answers "unknown" (empty, -1) where {@code /proc} is missing.
 */
public final class ProcStats {

    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    private ProcStats() {
    }

    /** A numeric field of {@code /proc/self/status}, e.g. {@code Threads} or {@code VmHWM} (in kB). */
    public static OptionalLong selfStatus(String field) {
        return status(Path.of("/proc/self/status"), field);
    }

    static OptionalLong status(Path file, String field) {
        try {
            return statusField(Files.readString(file, StandardCharsets.US_ASCII), field);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The number after {@code field:} in a status file's text ({@code "VmHWM:\t  123 kB"} gives 123). */
    static OptionalLong statusField(String statusText, String field) {
        String prefix = field + ":";
        for (String line : statusText.split("\n")) {
            if (line.startsWith(prefix)) {
                String rest = line.substring(prefix.length()).trim();
                int sp = rest.indexOf(' ');
                String number = sp < 0 ? rest : rest.substring(0, sp);
                try {
                    return OptionalLong.of(Long.parseLong(number.trim()));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** User plus system CPU time of process {@code pid} in nanoseconds, or -1 if unknown. */
    public static long processCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            long ticks = cpuTicks(stat);
            return ticks < 0 ? -1 : TimeUnit.SECONDS.toNanos(ticks) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in clock ticks. The command
     * name (field 2) is in parentheses and may hold spaces, so fields are counted after the last ')'.
     */
    static long cpuTicks(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] f = statLine.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state); utime is field 14 -> f[11], stime field 15 -> f[12].
        if (f.length < 13) {
            return -1;
        }
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** This JVM's CPU time (all threads, user + system) in nanoseconds. */
    public static long selfCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                long v = Long.parseLong(out);
                if (v > 0) {
                    return v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    /**
     * Samples {@code Threads:} of {@code /proc/self/status} every {@code periodMillis} on a daemon thread
     * (which is itself one of the threads counted, in both clients' runs alike) and keeps the peak.
     */
    public static final class ThreadSampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long peak = -1;
        private volatile long samples;

        public ThreadSampler(long periodMillis) {
            thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(periodMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "os-thread-sampler");
            thread.setDaemon(true);
            sample();
            thread.start();
        }

        private void sample() {
            OptionalLong t = selfStatus("Threads");
            if (t.isPresent() && t.getAsLong() > peak) {
                peak = t.getAsLong();
            }
            samples++;
        }

        /** The highest thread count seen, -1 if {@code /proc} is unavailable. */
        public long peak() {
            return peak;
        }

        public long samples() {
            return samples;
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sample();
        }
    }
}
