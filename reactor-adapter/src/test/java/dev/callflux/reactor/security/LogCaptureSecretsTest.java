package dev.callflux.reactor.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.CallFluxClientBuilder;
import dev.callflux.reactor.bulk.BulkOptions;
import dev.callflux.reactor.bulk.BulkResult;
import dev.callflux.testkit.Fault;
import dev.callflux.testkit.ScriptedServer;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import io.netty.handler.logging.LogLevel;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.logging.AdvancedByteBufFormat;
import reactor.util.Loggers;

/**
 * Neither the auth token, nor the API key secret, nor the Base64 of {@code sid:secret} appears in any log
 * record at any level, nor in any exception or result CallFlux hands back, across successes, 401, 404, 429
 * and 500 answers, timeouts, resets, refused connections, a bulk run with retries, a proxy that echoes the
 * Authorization header, and a Reactor Netty client given with a textual wire log.
 *
 * <p>The adapter has no SLF4J binding, so Netty and Reactor log through {@code java.util.logging}: for this
 * class the root logger is set to {@link Level#ALL} and its handlers are replaced by one that keeps every
 * record in memory (the console handler would write to stderr from event-loop threads, which BlockHound
 * rightly refuses, and drown the build log). Everything is restored afterwards.
 */
class LogCaptureSecretsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String ACCOUNT = "AC00000000000000000000000000005ec2";
    private static final String API_KEY = "SK00000000000000000000000000005ec2";
    private static final String TOKEN = "AuthTokenSecret0123456789abcdef";
    private static final String API_SECRET = "ApiKeySecretValue9876543210fedcba";
    private static final String WRONG_TOKEN = "WrongTokenSecret0123456789abcdef";

    /** Every text that would betray a secret. */
    private static final List<String> SECRETS = List.of(TOKEN, API_SECRET, WRONG_TOKEN,
            basic(ACCOUNT, TOKEN), basic(API_KEY, API_SECRET), basic(ACCOUNT, WRONG_TOKEN));

    private static final Queue<LogRecord> RECORDS = new ConcurrentLinkedQueue<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            RECORDS.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    /** What went to stderr meanwhile: Reactor's console loggers. */
    private static final ByteArrayOutputStream STDERR = new ByteArrayOutputStream();
    private static PrintStream savedErr;
    private static Level savedLevel;
    private static Handler[] savedHandlers;

    /** Every text CallFlux handed back in this test: results, exceptions, toString of clients. */
    private final List<String> returned = new ArrayList<>();

    @BeforeAll
    static void captureEverything() {
        Logger root = LogManager.getLogManager().getLogger("");
        savedLevel = root.getLevel();
        savedHandlers = root.getHandlers();
        for (Handler h : savedHandlers) {
            root.removeHandler(h);
        }
        CAPTURE.setLevel(Level.ALL);
        root.addHandler(CAPTURE);
        root.setLevel(Level.ALL);
        // Reactor falls back to console loggers (INFO and up) without SLF4J: route the loggers it makes from
        // now on to java.util.logging too. Loggers of classes loaded earlier in this JVM stay on the console,
        // which is why stderr is captured as well.
        Loggers.useJdkLoggers();
        savedErr = System.err;
        System.setErr(new PrintStream(STDERR, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void restoreLogging() {
        Logger root = LogManager.getLogManager().getLogger("");
        root.removeHandler(CAPTURE);
        root.setLevel(savedLevel);
        for (Handler h : savedHandlers) {
            root.addHandler(h);
        }
        System.setErr(savedErr);
        Loggers.resetLoggerFactory();
    }

    @BeforeEach
    void clear() {
        RECORDS.clear();
        synchronized (STDERR) {
            STDERR.reset();
        }
    }

    private static String basic(String sid, String secret) {
        return Base64.getEncoder().encodeToString((sid + ':' + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static TwilioSimulator.Builder sim() {
        return TwilioSimulator.builder().account(ACCOUNT, TOKEN).apiKey(API_KEY, API_SECRET, ACCOUNT);
    }

    /** Both kinds of credentials, and a wrong token for the 401s. */
    private static List<Credentials> credentials() {
        return List.of(Credentials.authToken(ACCOUNT, TOKEN), Credentials.apiKey(API_KEY, API_SECRET),
                Credentials.authToken(ACCOUNT, WRONG_TOKEN));
    }

    private CallFluxClient client(String baseUrl, Credentials credentials, Consumer<CallFluxClientBuilder> tweak) {
        CallFluxClientBuilder b = CallFluxClient.builder().credentials(credentials).accountSid(ACCOUNT)
                .baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(5));
        tweak.accept(b);
        CallFluxClient c = b.build();
        returned.add(c.toString());
        returned.add(credentials.toString());
        return c;
    }

    /** Runs a hangup to its end and keeps whatever it returned or threw. */
    private void hangup(CallFluxClient c) {
        try {
            returned.add(String.valueOf(c.hangup(TestSids.newCallSid()).block(TIMEOUT)));
        } catch (RuntimeException e) {
            keep(e);
        }
    }

    private void keep(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            returned.add(t.toString());
            returned.add(Arrays.toString(t.getStackTrace()));
            for (Throwable s : t.getSuppressed()) {
                returned.add(s.toString());
            }
        }
    }

    private void everyOutcome(String baseUrl, Consumer<CallFluxClientBuilder> tweak) {
        for (Credentials cr : credentials()) {
            try (CallFluxClient c = client(baseUrl, cr, tweak)) {
                hangup(c);
            }
        }
    }

    // ---------------------------------------------------------------- the scenarios

    @Test
    void successesAndWrongCredentials() {
        try (TwilioSimulator sim = sim().start()) {
            everyOutcome(sim.baseUrl(), b -> { });
            assertThat(sim.ledger().totalRequests()).isEqualTo(3);
        }
        assertNoSecretAnywhere();
        assertThat(returned).anyMatch(s -> s.contains("401"));
    }

    @Test
    void notFoundRateLimitedAndServerErrors() {
        try (TwilioSimulator notFound = sim().knownCallsOnly(true).start();
             TwilioSimulator limited = sim().rateLimitedFraction(1.0).start();
             TwilioSimulator failing = sim().fault(Fault.SERVER_ERROR, 1.0).serverErrorStatuses(500).start()) {
            everyOutcome(notFound.baseUrl(), b -> { });
            everyOutcome(limited.baseUrl(), b -> { });
            everyOutcome(failing.baseUrl(), b -> { });
        }
        assertNoSecretAnywhere();
        assertThat(returned).anyMatch(s -> s.contains("404")).anyMatch(s -> s.contains("429"))
                .anyMatch(s -> s.contains("500"));
    }

    @Test
    void timeoutsResetsAndRefusedConnections() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TwilioSimulator slow = sim().latency(Duration.ofSeconds(5)).start();
             TwilioSimulator resetting = sim().fault(Fault.RESET, 1.0).start();
             TwilioSimulator broken = sim().fault(Fault.TRUNCATED_BODY, 1.0).start()) {
            everyOutcome(slow.baseUrl(), b -> b.responseTimeout(Duration.ofMillis(200)));
            everyOutcome(resetting.baseUrl(), b -> { });
            everyOutcome(broken.baseUrl(), b -> { });
        }
        everyOutcome("http://127.0.0.1:" + closedPort, b -> { });
        assertNoSecretAnywhere();
        assertThat(returned).anyMatch(s -> s.contains("RESPONSE_TIMEOUT")).anyMatch(s -> s.contains("CONNECTION_CLOSED"))
                .anyMatch(s -> s.contains("CONNECT"));
    }

    @Test
    void aBulkRunWithRetries() {
        try (TwilioSimulator sim = sim().fault(Fault.SERVER_ERROR, 0.3).rateLimitedFraction(0.2).fault(Fault.RESET, 0.1)
                .retryAfter(Duration.ofMillis(10)).seed(7).start()) {
            for (Credentials cr : credentials()) {
                try (CallFluxClient c = client(sim.baseUrl(), cr, b -> { })) {
                    List<BulkResult<String>> results = c.hangupAll(
                            Flux.range(0, 40).map(i -> TestSids.newCallSid()), BulkOptions.DEFAULT)
                            .collectList().block(Duration.ofSeconds(60));
                    assertThat(results).hasSize(40);
                    for (BulkResult<String> r : results) {
                        returned.add(r.toString());
                        r.error().ifPresent(this::keep);
                    }
                }
            }
        }
        assertNoSecretAnywhere();
    }

    @Test
    void aProxyThatEchoesTheAuthorizationHeader() {
        try (ScriptedServer echo = ScriptedServer.start((req, res) -> res.status(502)
                .header("Content-Type", "text/plain")
                .sendString(Mono.just("upstream refused: Authorization: " + req.requestHeaders().get("Authorization"))))) {
            everyOutcome(echo.baseUrl(), b -> { });
            assertThat(echo.received()).hasSize(3);
        }
        assertNoSecretAnywhere();
        assertThat(returned).anyMatch(s -> s.contains("Basic <redacted>"));
    }

    @Test
    void aGivenHttpClientWithATextualWireLog() {
        HttpClient wiretapped = HttpClient.create(ConnectionProvider.newConnection())
                .wiretap("callflux.test.wire", LogLevel.INFO, AdvancedByteBufFormat.TEXTUAL);
        try (TwilioSimulator sim = sim().start()) {
            everyOutcome(sim.baseUrl(), b -> b.httpClient(wiretapped));
            assertThat(sim.ledger().totalRequests()).isEqualTo(3);
            assertNoSecretAnywhere();

            // The same HttpClient used directly does write the header to the log: the check above can fail.
            wiretapped.headers(h -> h.set("Authorization", "Basic " + basic(ACCOUNT, TOKEN)))
                    .post().uri(sim.baseUrl() + "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + TestSids.newCallSid() + ".json")
                    .responseSingle((res, body) -> body.then(Mono.just(res.status().code())))
                    .block(TIMEOUT);
        }
        assertThat(leaks()).isNotEmpty();
    }

    @Test
    void theCaptureSeesDebugRecordsAndWouldSeeASecret() {
        // Without this, a capture that saw nothing would pass every test above: debug records of both
        // frameworks' loggers arrive, and one with a secret is reported.
        InternalLoggerFactory.getInstance("io.netty.callflux.control").debug("netty {}", "debug");
        Loggers.getLogger("reactor.netty.callflux.control").debug("reactor {}", "debug");
        assertThat(RECORDS).anyMatch(r -> r.getLevel() == Level.FINE && r.getLoggerName().equals("io.netty.callflux.control"));
        assertThat(RECORDS).anyMatch(r -> r.getLevel() == Level.FINE && r.getLoggerName().equals("reactor.netty.callflux.control"));
        assertThat(leaks()).isEmpty();
        InternalLoggerFactory.getInstance("io.netty.callflux.control").trace("header {}", "Basic " + basic(ACCOUNT, TOKEN));
        assertThat(leaks()).hasSize(1);
        System.err.println("stderr " + TOKEN);
        assertThat(stderr()).contains(TOKEN);
    }

    // ---------------------------------------------------------------- the check

    private void assertNoSecretAnywhere() {
        assertThat(leaks()).as("log records with a secret").isEmpty();
        String err = stderr();
        for (String secret : SECRETS) {
            assertThat(err).as("stderr").doesNotContain(secret);
        }
        assertThat(returned).as("what CallFlux returned").isNotEmpty();
        for (String text : returned) {
            for (String secret : SECRETS) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    private static String stderr() {
        synchronized (STDERR) {
            return STDERR.toString(StandardCharsets.UTF_8);
        }
    }

    /** The captured records that contain a secret, in their message, parameters or thrown exception. */
    private static List<String> leaks() {
        List<String> found = new ArrayList<>();
        for (LogRecord r : RECORDS) {
            String text = render(r);
            if (SECRETS.stream().anyMatch(text::contains)) {
                found.add(r.getLoggerName() + " " + r.getLevel() + ": " + text);
            }
        }
        return found;
    }

    private static String render(LogRecord r) {
        StringBuilder sb = new StringBuilder(String.valueOf(r.getMessage()));
        if (r.getParameters() != null) {
            sb.append(Arrays.stream(r.getParameters()).map(String::valueOf).collect(Collectors.joining(" ", " ", "")));
        }
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            sb.append(' ').append(t);
        }
        return sb.toString();
    }
}
