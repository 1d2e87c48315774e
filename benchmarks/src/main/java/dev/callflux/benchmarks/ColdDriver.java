package dev.callflux.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A whole process that hangs up the SIDs of a file and exits, as a user's batch program would: no warm-up and no
 * measurement inside (the {@link ColdComparison} times it from outside, JVM start included). Prints one line,
 * {@code COLD-RESULT ok=N failed=N failures=...}; exit status 0 when every call succeeded.
 *
 * <pre>
 * TWILIO_AUTH_TOKEN=... java -cp benchmarks.jar dev.callflux.benchmarks.ColdDriver --client twilio-java-threads|twilio-java-vt|jdk-http|callflux \
 *     --sids FILE --concurrency C --base-url URL --account-sid AC...
 * </pre>
 */
public final class ColdDriver {

    static final Set<String> FLAGS = Set.of("client", "sids", "concurrency", "base-url", "account-sid");

    private ColdDriver() {
    }

    public static void main(String[] args) throws Exception {
        Flags f = Flags.parse(args, FLAGS);
        String client = f.required("client");
        Path sidsFile = Path.of(f.required("sids"));
        int concurrency = f.integer("concurrency", 100);
        String baseUrl = f.required("base-url");
        String account = f.required("account-sid");
        String token = System.getenv("TWILIO_AUTH_TOKEN");
        if (token == null || token.isEmpty()) {
            System.err.println("TWILIO_AUTH_TOKEN is not set");
            System.exit(2);
        }
        Tally tally = new Tally();
        try (Stream<String> sids = Files.lines(sidsFile, StandardCharsets.US_ASCII).filter(s -> !s.isBlank())) {
            switch (client) {
                case "twilio-java-threads":
                    new TwilioJavaDriver(baseUrl, account, token, concurrency, TwilioJavaDriver.Mode.THREADS)
                            .hangupAll(sids, concurrency, tally);
                    break;
                case "twilio-java-vt":
                    new TwilioJavaDriver(baseUrl, account, token, concurrency, TwilioJavaDriver.Mode.VIRTUAL)
                            .hangupAll(sids, concurrency, tally);
                    break;
                case "jdk-http":
                    new JdkHttpDriver(baseUrl, account, token).hangupAll(sids, concurrency, tally);
                    break;
                case "callflux":
                case "callflux-prewarm":
                    try (CallFluxDriver d = new CallFluxDriver(baseUrl, account, token, concurrency, client.endsWith("-prewarm"))) {
                        d.hangupAll(sids, concurrency, tally);
                    }
                    break;
                default:
                    System.err.println("--client: twilio-java-threads, twilio-java-vt, jdk-http or callflux, got " + client);
                    System.exit(2);
            }
        }
        System.out.println("COLD-RESULT ok=" + tally.succeeded() + " failed=" + tally.failed() + " failures=" + tally.failuresText());
        System.out.flush();
        // twilio-java's threads are not daemons.
        System.exit(tally.failed() == 0 ? 0 : 1);
    }
}
