package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.Fault;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth token and the API key secret, and the Base64 of {@code sid:secret} that carries them, never appear
 * in anything the command line writes: stdout, stderr, the {@code --report} CSV, the {@code --journal} and the
 * {@code --json} summary, whether the calls succeed, are refused (401), rate limited (429) or fail (500), in a
 * dry run, or on a usage error.
 */
class CliSecretsTest {

    private static final String ACCOUNT = "AC00000000000000000000000000005ec6";
    private static final String API_KEY = "SK00000000000000000000000000005ec6";
    private static final String TOKEN = "CliAuthTokenSecret0123456789abcd";
    private static final String API_SECRET = "CliApiKeySecretValue9876543210fe";
    private static final String WRONG_TOKEN = "CliWrongTokenSecret0123456789abc";

    @TempDir
    Path dir;

    private TwilioSimulator sim;

    @BeforeEach
    void start() {
        sim = TwilioSimulator.builder().account(ACCOUNT, TOKEN).apiKey(API_KEY, API_SECRET, ACCOUNT)
                .fault(Fault.SERVER_ERROR, 0.2).serverErrorStatuses(500)
                .rateLimitedFraction(0.2).retryAfter(Duration.ofMillis(10))
                .seed(5).start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private static String basic(String sid, String secret) {
        return Base64.getEncoder().encodeToString((sid + ':' + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static final List<String> SECRETS = List.of(TOKEN, API_SECRET, WRONG_TOKEN, basic(ACCOUNT, TOKEN),
            basic(API_KEY, API_SECRET), basic(ACCOUNT, WRONG_TOKEN));

    private static Map<String, String> tokenEnv(String token) {
        return Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", token);
    }

    private static Map<String, String> apiKeyEnv() {
        return Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_API_KEY", API_KEY, "TWILIO_API_SECRET", API_SECRET);
    }

    /** One run: exit code and everything it wrote, files included. */
    private String run(Map<String, String> env, String stdin, List<String> files, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CallFluxCli.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        StringBuilder all = new StringBuilder("exit " + exit + "\n")
                .append(out.toString(StandardCharsets.UTF_8)).append('\n').append(err.toString(StandardCharsets.UTF_8));
        for (String f : files) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) {
                all.append('\n').append(Files.readString(p));
            }
        }
        String text = all.toString();
        for (String secret : SECRETS) {
            assertThat(text).as("everything `callflux %s` wrote", String.join(" ", args)).doesNotContain(secret);
        }
        return text;
    }

    private Path sids(int count) throws IOException {
        Path f = dir.resolve("sids-" + count + ".txt");
        Files.write(f, IntStream.range(0, count).mapToObj(i -> TestSids.callSid(0x5ec, i))
                .collect(Collectors.toList()), StandardCharsets.UTF_8);
        return f;
    }

    private String hangup(Map<String, String> env, String name, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("hangup", "--sids", sids(60).toString(), "--base-url", sim.baseUrl(),
                "--report", dir.resolve(name + ".csv").toString(), "--journal", dir.resolve(name + ".journal").toString(),
                "--json"));
        args.addAll(List.of(extra));
        return run(env, "", List.of(name + ".csv", name + ".journal"), args.toArray(String[]::new));
    }

    @Test
    void hangupsThatSucceedAreRateLimitedOrFailWithAnAuthToken() throws IOException {
        String all = hangup(tokenEnv(TOKEN), "token");
        assertThat(all).contains(",SUCCEEDED,200,", "\"total\":60");
        // The run really met the answers the test is about (retried, so the report may show only successes).
        assertThat(sim.ledger().statusCount(429)).isPositive();
        assertThat(sim.ledger().statusCount(500)).isPositive();
    }

    @Test
    void hangupsWithAnApiKey() throws IOException {
        String all = hangup(apiKeyEnv(), "key");
        assertThat(all).contains(",SUCCEEDED,200,");
    }

    @Test
    void hangupsRefusedWith401() throws IOException {
        String all = hangup(tokenEnv(WRONG_TOKEN), "wrong");
        assertThat(all).contains(",FAILED,401,20003,");
    }

    @Test
    void theSecretFromAFile() throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, WRONG_TOKEN + "\n");
        String all = hangup(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT), "file", "--auth-token-file", file.toString());
        assertThat(all).contains(",FAILED,401,");
    }

    @Test
    void aDryRunSendsNothingAndShowsNoSecret() throws IOException {
        String all = run(apiKeyEnv(), "", List.of(), "hangup", "--sids", sids(3).toString(), "--base-url", sim.baseUrl(),
                "--dry-run");
        assertThat(all).contains("POST " + sim.baseUrl() + "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/");
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void usageAndInputErrors() throws IOException {
        assertThat(run(tokenEnv(TOKEN), "", List.of(), "hangup", "--frobnicate")).contains("exit 2");
        assertThat(run(tokenEnv(TOKEN), "", List.of(), "update", "--sid", TOKEN, "--base-url", sim.baseUrl()))
                .contains("exit 2");
        assertThat(run(tokenEnv(TOKEN), "", List.of(), "update", "--sid", TestSids.callSid(0x5ec, 1),
                "--url", "https://user:" + TOKEN + "@example.com/x", "--base-url", sim.baseUrl())).contains("exit 2");
        assertThat(run(tokenEnv(TOKEN), "", List.of(), "hangup", "--base-url", "http://user:" + TOKEN + "@example.com"))
                .contains("exit 2");
        assertThat(run(Map.of("TWILIO_ACCOUNT_SID", TOKEN, "TWILIO_AUTH_TOKEN", TOKEN), TestSids.callSid(0x5ec, 1),
                List.of(), "hangup", "--base-url", sim.baseUrl())).doesNotContain("exit 0");
        assertThat(run(tokenEnv(TOKEN + " with a space"), TestSids.callSid(0x5ec, 1), List.of(), "hangup",
                "--base-url", sim.baseUrl())).contains("AuthToken");
        assertThat(sim.ledger().totalRequests()).isZero();
    }

    @Test
    void updateErrors() throws IOException {
        String sid = TestSids.callSid(0x5ec9, 0);
        run(tokenEnv(WRONG_TOKEN), "", List.of(), "update", "--sid", sid, "--url", "https://example.com/x",
                "--base-url", sim.baseUrl());
        run(apiKeyEnv(), "", List.of(), "update", "--sid", sid, "--status", "completed", "--base-url", sim.baseUrl());
        assertThat(sim.ledger().totalRequests()).isPositive();
    }
}
