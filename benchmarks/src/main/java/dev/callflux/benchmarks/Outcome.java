package dev.callflux.benchmarks;

import java.util.OptionalLong;

/**
 * What one client run produced: its result line (absent if the process failed, then {@code error} says
 * why), the simulator's ledger totals, and the machine's load average just before the run.
 */
public record Outcome(String client, ResultLine result, String error, OptionalLong simRequests,
                      OptionalLong simPeakConcurrency, String loadAverageBefore, String simLedger) {

    public Outcome(String client, ResultLine result, String error, OptionalLong simRequests,
                   OptionalLong simPeakConcurrency, String loadAverageBefore) {
        this(client, result, error, simRequests, simPeakConcurrency, loadAverageBefore, null);
    }

    /** A number of the simulator's ledger line ({@code tlsHandshakes}, {@code tlsResumed}, ...), if it printed one. */
    public OptionalLong simLedgerValue(String key) {
        if (simLedger == null) {
            return OptionalLong.empty();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + key + "=(\\d+)").matcher(simLedger);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** Time from the phase's start to its first completed call, in milliseconds; NaN when not measured. */
    public double firstResultMillis() {
        long v = result.get("firstResultNanos").map(Long::parseLong).orElse(-1L);
        return v < 0 ? Double.NaN : v / 1e6;
    }

    public boolean completed() {
        return result != null;
    }

    /** Whether some calls failed or the run did not complete. */
    public boolean hasFailures() {
        return result == null || result.longValue("failed") > 0 || result.longValue("warmupFailed") > 0;
    }

    public double seconds() {
        return result.longValue("wallNanos") / 1e9;
    }

    public double callsPerSecond() {
        return result.longValue("ok") / Math.max(seconds(), 1e-9);
    }

    /** Client CPU time per call in microseconds (over every call of the phase, failed ones included). */
    public double cpuMicrosPerCall() {
        return microsPerCall("cpuNanos");
    }

    public double cpuCores() {
        return coresBusy("cpuNanos");
    }

    public double simCpuMicrosPerCall() {
        return microsPerCall("simCpuNanos");
    }

    public double simCpuCores() {
        return coresBusy("simCpuNanos");
    }

    /** A CPU time of the phase per call, in microseconds; NaN when it was not measured (negative). */
    private double microsPerCall(String cpuNanosKey) {
        long cpu = result.longValue(cpuNanosKey);
        return cpu < 0 ? Double.NaN : cpu / 1e3 / result.longValue("calls");
    }

    /** A CPU time of the phase over its wall time: how many cores were busy; NaN when not measured. */
    private double coresBusy(String cpuNanosKey) {
        long cpu = result.longValue(cpuNanosKey);
        return cpu < 0 ? Double.NaN : cpu / (double) result.longValue("wallNanos");
    }

    public double peakRssMiB() {
        long kb = result.longValue("vmHwmKb");
        return kb < 0 ? Double.NaN : kb / 1024.0;
    }
}
