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
 * {@code --error-rate P}, {@code --reset-rate P}, {@code --reset-after-headers-rate P},
 * {@code --truncated-rate P}, {@code --non-json-rate P}, {@code --proxy-error-rate P}, {@code --hang-rate P}
 * (fractions between 0 and 1), {@code --slow-rate P} with {@code --slow-ms N} (a fraction of answers delayed
 * by N ms), {@code --faults-after-apply true|false}, {@code --already-ended-rate P} (the fraction of calls
 * that have ended on their own before their first update, answered 400, code 21220),
 * {@code --idle-timeout-ms N},
 * {@code --retry-after-s N},
 * {@code --seed N}, {@code --https true|false} (HTTPS with {@link TestCertificate}), {@code --ledger-on-input true}
 * (print the ledger's totals to standard output, one line, each time a line is read from standard input: for a
 * harness that wants the totals mid-run), {@code --account-sid AC...}, {@code --auth-token T}, {@code --help}. Prints one line,
 * {@code TwilioSimulator listening on http://127.0.0.1:PORT account=AC...} ({@code https://} with {@code --https true}), to standard output (and the auth
 * token to standard error when it was generated), then runs until the process is stopped; on shutdown it
 * prints the ledger's totals to standard error.
 */
public final class TwilioSimulatorMain {

    static final String USAGE = "Usage: TwilioSimulatorMain [--port N] [--latency-ms N] [--jitter-ms N] [--limit N]"
            + " [--rate-limited P] [--error-rate P] [--reset-rate P] [--reset-after-headers-rate P] [--truncated-rate P]"
            + " [--non-json-rate P] [--proxy-error-rate P] [--hang-rate P] [--slow-rate P --slow-ms N]"
            + " [--faults-after-apply true|false] [--already-ended-rate P]"
            + " [--idle-timeout-ms N] [--retry-after-s N] [--seed N] [--https true|false] [--ledger-on-input true|false]"
            + " [--account-sid AC...] [--auth-token TOKEN]";

    private TwilioSimulatorMain() {
    }

    /**
     * Starts the simulator and waits until the process is stopped; exits with status 2 on bad flags.
     *
     * @param args the flags listed above
     * @throws InterruptedException if the main thread is interrupted while it waits
     */
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
     * @param args the flags listed above
     * @param out  receives the "listening" line, or the usage after {@code --help}
     * @param err  receives the auth token when it was generated
     * @return the started simulator (the caller closes it), or {@code null} after {@code --help}
     * @throws IllegalArgumentException for an unknown flag, a missing or malformed value, or invalid settings
     */
    public static TwilioSimulator start(String[] args, PrintStream out, PrintStream err) {
        TwilioSimulator.Builder b = TwilioSimulator.builder();
        String accountSid = null;
        String authToken = null;
        double slowRate = 0;
        long slowMs = 0;
        boolean ledgerOnInput = false;
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
                case "--error-rate": b.fault(Fault.SERVER_ERROR, doubleValue(flag, v)); break;
                case "--reset-rate": b.fault(Fault.RESET, doubleValue(flag, v)); break;
                case "--reset-after-headers-rate": b.fault(Fault.RESET_AFTER_HEADERS, doubleValue(flag, v)); break;
                case "--truncated-rate": b.fault(Fault.TRUNCATED_BODY, doubleValue(flag, v)); break;
                case "--non-json-rate": b.fault(Fault.NON_JSON_BODY, doubleValue(flag, v)); break;
                case "--proxy-error-rate": b.fault(Fault.PROXY_ERROR, doubleValue(flag, v)); break;
                case "--hang-rate": b.fault(Fault.HANG, doubleValue(flag, v)); break;
                case "--slow-rate": slowRate = doubleValue(flag, v); break;
                case "--slow-ms": slowMs = longValue(flag, v); break;
                case "--faults-after-apply": b.faultsAfterApply(booleanValue(flag, v)); break;
                case "--already-ended-rate": b.alreadyEndedFraction(doubleValue(flag, v)); break;
                case "--idle-timeout-ms": b.idleTimeout(Duration.ofMillis(longValue(flag, v))); break;
                case "--retry-after-s": b.retryAfter(Duration.ofSeconds(longValue(flag, v))); break;
                case "--seed": b.seed(longValue(flag, v)); break;
                case "--https": b.https(booleanValue(flag, v)); break;
                case "--ledger-on-input": ledgerOnInput = booleanValue(flag, v); break;
                case "--account-sid": accountSid = v; break;
                case "--auth-token": authToken = v; break;
                default: throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (slowRate != 0 || slowMs != 0) {
            b.slowResponses(slowRate, Duration.ofMillis(slowMs));
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
        if (ledgerOnInput) {
            Thread t = new Thread(() -> {
                try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                        java.nio.charset.StandardCharsets.UTF_8))) {
                    while (in.readLine() != null) {
                        out.println("TwilioSimulator " + sim.ledger());
                        out.flush();
                    }
                } catch (java.io.IOException e) {
                    // standard input closed: nothing more to answer
                }
            }, "twilio-sim-ledger");
            t.setDaemon(true);
            t.start();
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

    private static boolean booleanValue(String flag, String v) {
        String t = v.trim();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new IllegalArgumentException(flag + " needs true or false, got '" + v + "'");
    }

    private static double doubleValue(String flag, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + v + "'");
        }
    }
}
