package dev.callflux.testkit;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link TwilioSimulator} in its own process, e.g. for the demo or a benchmark client in another JVM:
 *
 * <pre>
 * java -cp ... dev.callflux.testkit.TwilioSimulatorMain --port 8080 --latency-ms 20 --error-rate 0.05
 * </pre>
 *
 * Flags: {@code --port N} (default 0: a free port), {@code --latency-ms N}, {@code --jitter-ms N},
 * {@code --limit N} (concurrency limit per account, 0 = none), {@code --rate-limited P},
 * {@code --error-rate P}, {@code --reset-rate P} (fractions between 0 and 1), {@code --retry-after-s N},
 * {@code --seed N}, {@code --account-sid AC...}, {@code --auth-token T}, {@code --help}. Prints one line,
 * {@code TwilioSimulator listening on http://127.0.0.1:PORT account=AC...}, to standard output (and the auth
 * token to standard error when it was generated), then runs until the process is stopped; on shutdown it
 * prints the ledger's totals to standard error.
 */
public final class TwilioSimulatorMain {

    static final String USAGE = "Usage: TwilioSimulatorMain [--port N] [--latency-ms N] [--jitter-ms N] [--limit N]"
            + " [--rate-limited P] [--error-rate P] [--reset-rate P] [--retry-after-s N] [--seed N]"
            + " [--account-sid AC...] [--auth-token TOKEN]";

    private TwilioSimulatorMain() {
    }

    /** Starts the simulator and waits until the process is stopped; exits with status 2 on bad flags. */
    public static void main(String[] args) throws InterruptedException {
        TwilioSimulator sim;
        try {
            sim = start(args, System.out, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (sim == null) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            System.err.println("TwilioSimulator " + sim.ledger());
        }, "twilio-sim-shutdown"));
        new CountDownLatch(1).await();
    }

    /**
     * Parses the flags, starts a simulator and prints the "listening" line to {@code out}.
     *
     * @return the started simulator (the caller closes it), or {@code null} after {@code --help}
     * @throws IllegalArgumentException for an unknown flag, a missing or malformed value, or invalid settings
     */
    public static TwilioSimulator start(String[] args, PrintStream out, PrintStream err) {
        TwilioSimulator.Builder b = TwilioSimulator.builder();
        String accountSid = null;
        String authToken = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                out.println(USAGE);
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + flag);
            }
            String v = args[++i];
            switch (flag) {
                case "--port": b.port(intValue(flag, v)); break;
                case "--latency-ms": b.latency(Duration.ofMillis(longValue(flag, v))); break;
                case "--jitter-ms": b.latencyJitter(Duration.ofMillis(longValue(flag, v))); break;
                case "--limit": b.concurrencyLimit(intValue(flag, v)); break;
                case "--rate-limited": b.rateLimitedFraction(doubleValue(flag, v)); break;
                case "--error-rate": b.serverErrorFraction(doubleValue(flag, v)); break;
                case "--reset-rate": b.resetFraction(doubleValue(flag, v)); break;
                case "--retry-after-s": b.retryAfter(Duration.ofSeconds(longValue(flag, v))); break;
                case "--seed": b.seed(longValue(flag, v)); break;
                case "--account-sid": accountSid = v; break;
                case "--auth-token": authToken = v; break;
                default: throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        boolean generatedToken = false;
        if (accountSid != null || authToken != null) {
            if (accountSid == null) {
                throw new IllegalArgumentException("--auth-token needs --account-sid");
            }
            if (authToken == null) {
                authToken = java.util.UUID.randomUUID().toString().replace("-", "");
                generatedToken = true;
            }
            b.account(accountSid, authToken);
        } else {
            generatedToken = true;
        }
        TwilioSimulator sim = b.start();
        out.println("TwilioSimulator listening on " + sim.baseUrl() + " account=" + sim.accountSid());
        out.flush();
        if (generatedToken) {
            err.println("TwilioSimulator auth token (generated): " + sim.authToken());
        }
        return sim;
    }

    private static int intValue(String flag, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got '" + v + "'");
        }
    }

    private static long longValue(String flag, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got '" + v + "'");
        }
    }

    private static double doubleValue(String flag, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + v + "'");
        }
    }
}
