package dev.callflux.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dev.callflux.testkit.TwilioSimulatorMain} in its own JVM: started with a known account and token,
 * ready once it prints its "listening" line; stopped with SIGTERM, after which its ledger's totals (printed
 * by its shutdown hook to standard error) are read back.
 */
final class SimulatorProcess implements AutoCloseable {

    static final Pattern LISTENING = Pattern.compile("listening on (https?://\\S+) account=(AC[0-9a-fA-F]{32})");
    static final Pattern LEDGER_REQUESTS = Pattern.compile("Ledger\\{requests=(\\d+)");
    static final Pattern LEDGER_PEAK = Pattern.compile("peakConcurrency=(\\d+)");
    static final Pattern LEDGER_HANGUPS = Pattern.compile("hangupsApplied=(\\d+)");

    private final Process process;
    private final String baseUrl;
    private final String accountSid;
    private final Path stderrLog;
    private final BlockingQueue<String> lines;
    private String ledger;

    private SimulatorProcess(Process process, String baseUrl, String accountSid, Path stderrLog, BlockingQueue<String> lines) {
        this.process = process;
        this.lines = lines;
        this.baseUrl = baseUrl;
        this.accountSid = accountSid;
        this.stderrLog = stderrLog;
    }

    static SimulatorProcess start(String java, List<String> jvmFlags, String classpath, int latencyMs,
                                  String accountSid, String authToken, Path stderrLog) throws IOException {
        return start(java, jvmFlags, classpath, latencyMs, accountSid, authToken, stderrLog, List.of());
    }

    /** As above, with more flags for {@code TwilioSimulatorMain} ({@code --https true}). */
    static SimulatorProcess start(String java, List<String> jvmFlags, String classpath, int latencyMs,
                                  String accountSid, String authToken, Path stderrLog, List<String> simArgs)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", classpath, "dev.callflux.testkit.TwilioSimulatorMain",
                "--port", "0", "--latency-ms", Integer.toString(latencyMs), "--limit", "0",
                "--account-sid", accountSid, "--auth-token", authToken));
        cmd.addAll(simArgs);
        Files.createDirectories(stderrLog.getParent());
        Process p = new ProcessBuilder(cmd).redirectError(stderrLog.toFile()).start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.offer(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "simulator-stdout");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return new SimulatorProcess(p, m.group(1), m.group(2), stderrLog, lines);
                    }
                } else if (!p.isAlive()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        throw new IOException("the simulator did not start (exit " + (p.isAlive() ? "n/a" : p.exitValue())
                + "); see " + stderrLog);
    }

    String baseUrl() {
        return baseUrl;
    }

    String accountSid() {
        return accountSid;
    }

    long pid() {
        return process.pid();
    }

    /** The ledger line the simulator printed on shutdown, after {@link #close()}; null if none. */
    String ledger() {
        return ledger;
    }

    OptionalLong ledgerValue(Pattern p) {
        if (ledger == null) {
            return OptionalLong.empty();
        }
        Matcher m = p.matcher(ledger);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /**
     * The ledger's totals now, asked for on the simulator's standard input (it must run with
     * {@code --ledger-on-input true}); null if it does not answer within 10 s.
     */
    String ledgerNow() throws IOException, InterruptedException {
        lines.clear();
        process.getOutputStream().write('\n');
        process.getOutputStream().flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.contains("Ledger{")) {
                return line.trim();
            }
        }
        return null;
    }

    /** Stops the simulator with SIGTERM (its shutdown hook prints the ledger), then reads the ledger. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            for (String line : Files.readAllLines(stderrLog, StandardCharsets.UTF_8)) {
                if (line.contains("Ledger{")) {
                    ledger = line.trim();
                }
            }
        } catch (IOException e) {
            ledger = null;
        }
    }
}
