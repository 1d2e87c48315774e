package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The exact line a user reads for each bad setting (flag, environment variable or file), for both commands
 * that build a client: the CLI's words (flags, variables), never a Java method or class name, never a secret.
 * Nothing here reaches a server: every run fails before the client sends anything.
 */
class ConfigurationMessagesTest {

    private static final String ACCOUNT = "AC" + "1".repeat(32);
    private static final String API_KEY = "SK" + "3".repeat(32);
    private static final String TOKEN = "2".repeat(32);
    private static final String SECRET = "s3cr3t-api-value";
    private static final String CALL = "CA" + "4".repeat(32);
    /** Nothing listens here (the discard port): a run that wrongly got through would fail, not reach a server. */
    private static final String NOWHERE = "http://127.0.0.1:9";

    private static final String REGIONS = "must be one of us1 (edge ashburn), us2 (edge umatilla), ie1 (edge dublin), "
            + "de1 (edge frankfurt), au1 (edge sydney), jp1 (edge tokyo), sg1 (edge singapore), br1 (edge sao-paulo) "
            + "(or give an edge too)";
    private static final String LOCATION = "must be a Twilio location name such as 'ie1' or 'dublin'";
    private static final String PRINTABLE = "must be printable ASCII without spaces";

    @TempDir
    Path dir;

    private static Map<String, String> token(String account, String token) {
        Map<String, String> env = new HashMap<>();
        env.put("TWILIO_ACCOUNT_SID", account);
        env.put("TWILIO_AUTH_TOKEN", token);
        return env;
    }

    private static Map<String, String> apiKey(String account, String key, String secret) {
        Map<String, String> env = new HashMap<>();
        if (account != null) {
            env.put("TWILIO_ACCOUNT_SID", account);
        }
        env.put("TWILIO_API_KEY", key);
        env.put("TWILIO_API_SECRET", secret);
        return env;
    }

    /** What {@code command} printed on standard error, after checking it exited 2 and printed nothing else. */
    private static String refused(String command, Map<String, String> env, String... flags) {
        List<String> args = new ArrayList<>(List.of(command, "--sid", CALL));
        if (command.equals("update")) {
            args.addAll(List.of("--status", "completed"));
        }
        args.addAll(List.of(flags));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CallFluxCli.run(args.toArray(String[]::new), env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isEqualTo(CallFluxCli.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(text).doesNotContain(TOKEN, SECRET, "Exception", "ApiEndpoint", "CallFluxClient", "dev.callflux");
        return text.strip();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hangup", "update"})
    void regionAndEdge(String command) {
        Map<String, String> env = token(ACCOUNT, TOKEN);
        assertThat(refused(command, env, "--region", "xx9"))
                .isEqualTo("callflux: --region (or TWILIO_REGION) " + REGIONS);
        Map<String, String> regional = new HashMap<>(env);
        regional.put("TWILIO_REGION", "eu1");
        assertThat(refused(command, regional)).isEqualTo("callflux: --region (or TWILIO_REGION) " + REGIONS);
        assertThat(refused(command, env, "--region", "ie_1")).isEqualTo("callflux: --region (or TWILIO_REGION) " + LOCATION);
        assertThat(refused(command, env, "--region", "ie1", "--edge", "dub.lin"))
                .isEqualTo("callflux: --edge (or TWILIO_EDGE) " + LOCATION);
        Map<String, String> edge = new HashMap<>(env);
        edge.put("TWILIO_EDGE", "-dublin");
        assertThat(refused(command, edge)).isEqualTo("callflux: --edge (or TWILIO_EDGE) " + LOCATION);
    }

    @Test
    void concurrencyAndRateNameTheFlagAndTheValue() {
        Map<String, String> env = token(ACCOUNT, TOKEN);
        assertThat(refused("hangup", env, "--concurrency", "0")).isEqualTo("callflux: --concurrency must be at least 1 (got 0)");
        for (String rate : List.of("-1", "NaN", "Infinity")) {
            assertThat(refused("hangup", env, "--rate", rate)).isEqualTo("callflux: --rate must be 0 (no cap) or a positive"
                    + " number of requests per second (got " + (rate.equals("-1") ? "-1.0" : rate) + ")");
        }
        for (String[] flag : new String[][] {{"--concurrency", "0"}, {"--partitions", "-2"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            // Refused before any broker is asked: nothing listens on the discard port.
            int exit = CallFluxCli.run(new String[] {"worker", "--bootstrap-servers", "127.0.0.1:9", flag[0], flag[1]}, env,
                    new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8), false);
            assertThat(exit).isEqualTo(CallFluxCli.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8).strip())
                    .isEqualTo("callflux: " + flag[0] + " must be at least 1 (got " + flag[1] + ")");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--calls        | -5   | --calls must not be negative (got -5)",
            "--concurrency  | 0    | --concurrency must be at least 1 (got 0)",
            "--latency-ms   | -1   | --latency-ms must not be negative (got -1)",
            "--limit        | -3   | --limit must be 0 (none) or positive (got -3)",
            "--error-rate   | 2    | --error-rate must be a fraction from 0 to 1 (got 2.0)",
            "--ended-rate   | NaN  | --ended-rate must be a fraction from 0 to 1 (got NaN)",
    })
    void eachDemoFlagIsNamedWithItsValue(String flag, String value, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = CallFluxCli.run(new String[] {"demo", flag, value}, Map.of(), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertThat(exit).isEqualTo(CallFluxCli.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("callflux: " + message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hangup", "update"})
    void baseUrl(String command) {
        Map<String, String> env = token(ACCOUNT, TOKEN);
        assertThat(refused(command, env, "--base-url", "http://example.com"))
                .isEqualTo("callflux: --base-url must use https unless the host is a loopback address");
        assertThat(refused(command, env, "--base-url", "https://AC1:" + TOKEN + "@example.com"))
                .isEqualTo("callflux: --base-url must not contain user info (pass credentials separately)");
        assertThat(refused(command, env, "--base-url", "ftp://example.com"))
                .isEqualTo("callflux: --base-url must be an absolute http or https URL");
        assertThat(refused(command, env, "--base-url", "https://example.com/a b"))
                .isEqualTo("callflux: --base-url must be a valid URL (Illegal character in path)");
        assertThat(refused(command, env, "--base-url", " ")).isEqualTo("callflux: --base-url is required");
        assertThat(refused(command, env, "--base-url", "https://example.com:70000"))
                .isEqualTo("callflux: --base-url must have a port between 1 and 65535");
        assertThat(refused(command, env, "--base-url", "https://example.com?x=1"))
                .isEqualTo("callflux: --base-url must not have a query or fragment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hangup", "update"})
    void authToken(String command) throws IOException {
        assertThat(refused(command, token(ACCOUNT, TOKEN + " x"), "--base-url", NOWHERE))
                .isEqualTo("callflux: TWILIO_AUTH_TOKEN (AuthToken) " + PRINTABLE);
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\u00e9");
        assertThat(refused(command, token(ACCOUNT, "unused"), "--base-url", NOWHERE, "--auth-token-file", file.toString()))
                .isEqualTo("callflux: the auth token in --auth-token-file (AuthToken) " + PRINTABLE);
        assertThat(refused(command, token("AC123", TOKEN), "--base-url", NOWHERE))
                .isEqualTo("callflux: TWILIO_ACCOUNT_SID must be 'AC' followed by 32 hexadecimal digits (got 5 characters)");
        assertThat(refused(command, token(ACCOUNT, TOKEN), "--base-url", NOWHERE, "--account-sid", "CA" + "1".repeat(32)))
                .isEqualTo("callflux: --account-sid must be 'AC' followed by 32 hexadecimal digits (it does not start with 'AC')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hangup", "update"})
    void apiKey(String command) throws IOException {
        assertThat(refused(command, apiKey(ACCOUNT, "SK123", SECRET), "--base-url", NOWHERE))
                .isEqualTo("callflux: TWILIO_API_KEY must be 'SK' followed by 32 hexadecimal digits (got 5 characters)");
        assertThat(refused(command, apiKey(ACCOUNT, API_KEY, SECRET + "\u0001"), "--base-url", NOWHERE))
                .isEqualTo("callflux: TWILIO_API_SECRET (ApiKeySecret) " + PRINTABLE);
        Path file = Files.writeString(dir.resolve("secret"), SECRET + "\u007f");
        assertThat(refused(command, apiKey(ACCOUNT, API_KEY, "unused"), "--base-url", NOWHERE, "--api-secret-file",
                file.toString())).isEqualTo("callflux: the secret in --api-secret-file (ApiKeySecret) " + PRINTABLE);
        assertThat(refused(command, apiKey(null, API_KEY, SECRET), "--base-url", NOWHERE))
                .isEqualTo("callflux: --account-sid (or TWILIO_ACCOUNT_SID) is required with API key credentials "
                        + "(the account goes in the request path)");
        assertThat(refused(command, apiKey("AC" + "1".repeat(31) + "g", API_KEY, SECRET), "--base-url", NOWHERE))
                .isEqualTo("callflux: --account-sid (or TWILIO_ACCOUNT_SID) must be 'AC' followed by 32 hexadecimal "
                        + "digits (the character at index 33 is not a hexadecimal digit)");
    }

    @Test
    void theDryRunSaysTheSameAboutTheEndpoint() {
        Map<String, String> env = token(ACCOUNT, TOKEN);
        assertThat(refused("hangup", env, "--dry-run", "--region", "xx9"))
                .isEqualTo("callflux: --region (or TWILIO_REGION) " + REGIONS);
        assertThat(refused("hangup", env, "--dry-run", "--base-url", "http://example.com"))
                .isEqualTo("callflux: --base-url must use https unless the host is a loopback address");
    }
}
