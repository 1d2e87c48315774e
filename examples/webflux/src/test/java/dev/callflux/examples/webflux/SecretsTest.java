package dev.callflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.callflux.core.model.CallStatus;
import dev.callflux.testkit.Fault;
import dev.callflux.testkit.TestSids;
import dev.callflux.testkit.TwilioSimulator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The auth token and the API secret never leave the service: not in an error body (400, Twilio's 401, 404,
 * 409, 429 as 503, 5xx and resets as 502, timeouts as 504, Spring's own errors), not in a bulk result line,
 * not in an actuator answer, not in the log at DEBUG. Nor does the {@code Authorization} value, the Base64 of
 * {@code sid:secret}. The secrets are random and distinctive, so a hit is a leak and not a coincidence.
 *
 * <p>Each {@link Nested} class is one application context against its own {@link TwilioSimulator}. The
 * credentials are Spring properties here ({@link EnvironmentCredentials}): in production the OS environment
 * they come from is part of Spring's {@code Environment} too, which is what {@code /actuator/env} lists.
 */
class SecretsTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    static final String ACCOUNT = "AC" + hex(16);
    static final String API_KEY = "SK" + hex(16);
    static final String AUTH_TOKEN = "AuthTokenSecret" + hex(16);
    static final String API_SECRET = "ApiKeySecret" + hex(16);

    /** What must never appear, by a name that can be printed instead. */
    static final Map<String, String> SECRETS = secrets();

    /**
     * Known to the simulators that have known calls: a live call for bulk lines, a live call for one single
     * hang-up (200 with the Call), and one that has ended (a hang-up or redirect of it is refused: 409).
     */
    static final String LIVE = AppTestSupport.newSid();
    static final String TO_HANG_UP = AppTestSupport.newSid();
    static final String ENDED = AppTestSupport.newSid();

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static Map<String, String> secrets() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("AUTH_TOKEN", AUTH_TOKEN);
        m.put("API_SECRET", API_SECRET);
        m.put("BASE64(account:token)", basic(ACCOUNT, AUTH_TOKEN));
        m.put("BASE64(key:secret)", basic(API_KEY, API_SECRET));
        return Map.copyOf(m);
    }

    private static String basic(String user, String secret) {
        return Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Fails if a secret appears in {@code text}, quoting the surroundings with the secret replaced by its name,
     * so that the failure report does not spread the leak (nor print megabytes of log).
     */
    static void assertNoSecret(String where, String text) {
        for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
            int at = text.indexOf(secret.getValue());
            if (at >= 0) {
                String around = text.substring(Math.max(0, at - 300),
                        Math.min(text.length(), at + secret.getValue().length() + 300));
                fail(secret.getKey() + " leaked into " + where + ": ..."
                        + around.replace(secret.getValue(), "<" + secret.getKey() + ">") + "...");
            }
        }
    }

    /** One context: the credentials as properties, every logger at DEBUG, and the request helpers. */
    @TestPropertySource(properties = "logging.level.root=DEBUG")
    abstract static class Scenario extends AppTestSupport {

        /** An answer of the service: status, headers and body as text. */
        record Answer(String what, int status, String headers, String body) {
            JsonNode json() {
                return JSON.readTree(body);
            }
        }

        static Map<String, String> authTokenVariables() {
            return Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", AUTH_TOKEN);
        }

        /** The API key, with the auth token also in the environment (unused, and just as secret). */
        static Map<String, String> apiKeyVariables() {
            return Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                    "TWILIO_API_KEY", API_KEY, "TWILIO_API_SECRET", API_SECRET);
        }

        /** Sends a request and checks its answer, headers included, for secrets. */
        Answer send(HttpMethod method, String uri, MediaType type, String body) {
            WebTestClient.RequestBodySpec spec = client().method(method).uri(uri);
            if (type != null) {
                spec.contentType(type);
            }
            WebTestClient.RequestHeadersSpec<?> request = body == null ? spec : spec.bodyValue(body);
            EntityExchangeResult<byte[]> result = request.exchange().expectBody().returnResult();
            byte[] bytes = result.getResponseBody();
            Answer answer = new Answer(method + " " + uri, result.getStatus().value(),
                    result.getResponseHeaders().toString(),
                    bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8));
            assertNoSecret("the answer to " + answer.what(), answer.headers() + "\n" + answer.body());
            return answer;
        }

        Answer post(String uri) {
            return send(HttpMethod.POST, uri, null, null);
        }

        Answer postJson(String uri, String body) {
            return send(HttpMethod.POST, uri, MediaType.APPLICATION_JSON, body);
        }

        Answer get(String uri) {
            return send(HttpMethod.GET, uri, null, null);
        }

        /** Bulk results, each line checked. */
        List<JsonNode> bulkChecked(MediaType type, String body) {
            List<JsonNode> lines = bulk(type, body);
            lines.forEach(line -> assertNoSecret("the bulk result line " + line, line.toString()));
            return lines;
        }

        /** Actuator answers can be larger than the default 256 KB a test client buffers. */
        WebTestClient client() {
            return web.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(32 * 1024 * 1024)).build();
        }

        /** The log so far: nothing secret, and DEBUG lines present (else the check would prove little). */
        static void assertLogClean(CapturedOutput output) {
            String log = output.getAll();
            assertThat(log).as("DEBUG lines are captured").contains(" DEBUG ");
            assertNoSecret("the log", log);
        }

        /**
         * Every link of {@code /actuator} that can be read with a GET, and every metric, checked. Not
         * {@code heapdump}: a heap dump holds the secret by nature, whatever the application does (it is not
         * exposed unless an operator exposes it). Returns the names of the exposed endpoints.
         */
        Set<String> sweepActuator() {
            Answer index = get("/actuator");
            assertThat(index.status()).isEqualTo(200);
            Set<String> names = new TreeSet<>();
            for (Map.Entry<String, JsonNode> link : index.json().path("_links").properties()) {
                names.add(link.getKey());
                if (link.getValue().path("templated").asBoolean() || link.getKey().equals("heapdump")) {
                    continue;
                }
                Answer a = get(URI.create(link.getValue().path("href").asString()).getRawPath());
                assertThat(a.status()).as(a.what()).isLessThan(500);
            }
            if (names.contains("metrics")) {
                for (JsonNode metric : get("/actuator/metrics").json().path("names")) {
                    Answer a = get("/actuator/metrics/" + metric.asString());
                    assertThat(a.status()).as(a.what()).isEqualTo(200);
                }
            }
            return names;
        }
    }

    /** Auth token credentials, a Twilio that answers: validation, 404, 409, bulk lines, the actuator as shipped. */
    @Nested
    class AuthTokenWorkingTwilio extends Scenario {

        static final TwilioSimulator SIM = TwilioSimulator.builder()
                .account(ACCOUNT, AUTH_TOKEN)
                .knownCallsOnly(true)
                .call(LIVE, CallStatus.IN_PROGRESS)
                .call(TO_HANG_UP, CallStatus.IN_PROGRESS)
                .call(ENDED, CallStatus.COMPLETED)
                .start();

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            register(registry, SIM::baseUrl, authTokenVariables());
        }

        @AfterAll
        static void stopSimulator() {
            SIM.close();
        }

        @Test
        void theStartupLogShowsTheClientButNotTheToken(CapturedOutput output) {
            assertThat(output.getAll()).contains("CallFlux client ready").contains(ACCOUNT);
            assertLogClean(output);
        }

        @Test
        void successAndTwilioErrors(CapturedOutput output) {
            Answer ok = post("/calls/" + TO_HANG_UP + "/hangup");
            assertThat(ok.status()).as("the token works").isEqualTo(200);
            assertThat(ok.json().path("account_sid").asString()).isEqualTo(ACCOUNT);
            assertThat(ok.json().path("status").asString()).isEqualTo("completed");

            Answer ended = post("/calls/" + ENDED + "/hangup");
            assertThat(ended.status()).as("a hang-up of an ended call").isEqualTo(409);
            assertThat(ended.json().path("twilio_code").asInt()).isEqualTo(CallFluxErrorHandler.CALL_NOT_IN_PROGRESS);
            assertThat(ended.json().path("message").asString()).isEqualTo(CallFluxErrorHandler.ALREADY_ENDED_MESSAGE);

            Answer notFound = post("/calls/" + newSid() + "/hangup");
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.json().path("twilio_code").asInt()).isEqualTo(20404);

            Answer conflict = postJson("/calls/" + ENDED, "{\"url\": \"https://example.com/next.xml\"}");
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.json().path("twilio_code").asInt()).isEqualTo(CallFluxErrorHandler.CALL_NOT_IN_PROGRESS);

            assertThat(output.getAll()).contains("UpdateCall refused");
            assertLogClean(output);
        }

        @Test
        void validationErrorsAndSpringsOwnErrors(CapturedOutput output) {
            String sid = newSid();
            List<Answer> refused = List.of(
                    post("/calls/not-a-sid/hangup"),
                    postJson("/calls/" + sid, "{\"url\": "),
                    postJson("/calls/" + sid, "{\"Url\": \"https://example.com/a.xml\"}"),
                    postJson("/calls/" + sid, "{\"url\": \"https://example.com/a.xml\", \"twiml\": \"<Response/>\"}"),
                    postJson("/calls/" + sid, "{\"url\": \"ftp://example.com/a.xml\"}"),
                    postJson("/calls/" + sid, "{\"timeLimit\": \"ten\"}"),
                    postJson("/calls/" + sid, "[]"),
                    postJson("/calls/" + sid, ""));
            assertThat(refused).allSatisfy(a -> {
                assertThat(a.status()).as(a.what() + ": " + a.body()).isEqualTo(400);
                assertThat(a.json().path("field").asString()).isNotEmpty();
            });
            assertThat(SIM.ledger().call(sid).requestsReceived()).isZero();

            assertThat(send(HttpMethod.GET, "/calls/" + sid + "/hangup", null, null).status()).isEqualTo(405);
            assertThat(send(HttpMethod.POST, "/calls/" + sid, MediaType.TEXT_PLAIN, "x").status()).isEqualTo(415);
            assertThat(get("/no/such/path").status()).isEqualTo(404);

            assertThat(output.getAll()).contains("Refused before sending");
            assertLogClean(output);
        }

        @Test
        void bulkLinesOfEveryKind(CapturedOutput output) {
            String unknown = newSid();
            List<JsonNode> lines = bulkChecked(MediaType.APPLICATION_NDJSON, String.join("\n",
                    LIVE, ENDED, unknown, "not-a-sid", "{\"sid\": 42}", "{\"sid\": \"" + unknown,
                    "CA" + "0".repeat(SidStreams.MAX_LINE_BYTES)));
            assertThat(lines).hasSize(7);
            assertThat(lines).filteredOn(l -> l.path("outcome").asString().equals("SUCCEEDED")).hasSize(1);
            assertThat(lines).filteredOn(l -> l.path("outcome").asString().equals("ALREADY_ENDED")).singleElement()
                    .satisfies(l -> assertThat(l.path("twilio_code").asInt()).isEqualTo(CallFluxErrorHandler.CALL_NOT_IN_PROGRESS));
            assertThat(lines).filteredOn(l -> l.path("http_status").asInt() == 404).hasSize(1);

            List<JsonNode> broken = bulkChecked(MediaType.APPLICATION_JSON, "[\"" + newSid() + "\", {\"sid\": ]");
            assertThat(broken).hasSize(2);
            assertThat(broken.get(1).path("message").asString()).startsWith("request body: not valid JSON");

            assertLogClean(output);
        }

        /** As shipped, only health and metrics are exposed; env, configprops and beans are not. */
        @Test
        void theExposedActuatorEndpoints(CapturedOutput output) {
            assertThat(post("/calls/" + newSid() + "/hangup").status()).isEqualTo(404); // some metrics first

            Set<String> exposed = sweepActuator();
            assertThat(exposed).contains("health", "metrics").doesNotContain("env", "configprops", "beans", "heapdump");
            for (String hidden : List.of("env", "env/" + "TWILIO_AUTH_TOKEN", "configprops", "beans",
                    "heapdump", "threaddump", "loggers", "mappings")) {
                assertThat(get("/actuator/" + hidden).status()).as(hidden).isEqualTo(404);
            }
            assertLogClean(output);
        }
    }

    /** Auth token credentials Twilio refuses: 401, reported as 502. */
    @Nested
    class WrongAuthToken extends Scenario {

        static final TwilioSimulator SIM = TwilioSimulator.builder().account(ACCOUNT, "TheRightToken" + hex(16)).start();

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            register(registry, SIM::baseUrl, authTokenVariables());
        }

        @AfterAll
        static void stopSimulator() {
            SIM.close();
        }

        @Test
        void refusedTokenInBodiesBulkLinesAndLog(CapturedOutput output) {
            Answer hangup = post("/calls/" + newSid() + "/hangup");
            Answer redirect = postJson("/calls/" + newSid(), "{\"url\": \"https://example.com/next.xml\"}");
            for (Answer a : List.of(hangup, redirect)) {
                assertThat(a.status()).isEqualTo(502);
                assertThat(a.json().path("twilio_status").asInt()).isEqualTo(401);
            }
            List<JsonNode> lines = bulkChecked(MediaType.APPLICATION_NDJSON, newSid() + "\n" + newSid() + "\n");
            assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l.path("http_status").asInt()).isEqualTo(401));

            assertThat(output.getAll()).contains("Twilio refused the service's credentials");
            assertLogClean(output);
        }
    }

    /**
     * A Twilio where every request meets a fault (5xx, resets, broken bodies, a proxy's page, no answer):
     * 502 and 504, and bulk lines that ran out of attempts.
     */
    @Nested
    class FaultyTwilio extends Scenario {

        static final TwilioSimulator SIM = TwilioSimulator.builder()
                .account(ACCOUNT, AUTH_TOKEN)
                .fault(Fault.SERVER_ERROR, 0.2)
                .fault(Fault.RESET, 0.15)
                .fault(Fault.RESET_AFTER_HEADERS, 0.1)
                .fault(Fault.TRUNCATED_BODY, 0.1)
                .fault(Fault.NON_JSON_BODY, 0.1)
                .fault(Fault.PROXY_ERROR, 0.2)
                .fault(Fault.HANG, 0.15)
                .seed(7)
                .start();

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            register(registry, SIM::baseUrl, authTokenVariables());
            registry.add("callflux.response-timeout", () -> "300ms");
        }

        @AfterAll
        static void stopSimulator() {
            SIM.close();
        }

        /** Fixed SIDs with a fixed seed: the same faults every run. */
        @Test
        void singleCallsMeetEveryFault(CapturedOutput output) {
            List<Integer> statuses = new ArrayList<>();
            Set<String> kinds = new TreeSet<>();
            IntStream.range(0, 40).forEach(i -> {
                String sid = TestSids.callSid(0x5ec7e7, i);
                Answer a = i % 2 == 0 ? post("/calls/" + sid + "/hangup")
                        : postJson("/calls/" + sid, "{\"url\": \"https://example.com/next.xml\"}");
                statuses.add(a.status());
                JsonNode json = a.json();
                kinds.add(json.has("transport_error") ? json.path("transport_error").asString()
                        : "twilio " + json.path("twilio_status").asInt());
            });
            assertThat(statuses).as(kinds.toString()).contains(502, 504).allMatch(s -> s == 502 || s == 504);
            assertThat(kinds).contains("RESPONSE_TIMEOUT");

            assertThat(output.getAll()).contains("UpdateCall failed");
            assertLogClean(output);
        }

        @Test
        void bulkLinesOutOfAttempts(CapturedOutput output) {
            List<JsonNode> lines = bulkChecked(MediaType.APPLICATION_NDJSON, newSid() + "\n" + newSid() + "\n");
            assertThat(lines).hasSize(2).allSatisfy(l -> {
                assertThat(l.path("outcome").asString()).isIn("FAILED", "UNKNOWN");
                assertThat(l.path("message").asString()).isNotEmpty();
            });
            assertLogClean(output);
        }
    }

    /** Twilio's 429 on every request: 503 with {@code Retry-After}. */
    @Nested
    class RateLimitedTwilio extends Scenario {

        static final TwilioSimulator SIM = TwilioSimulator.builder()
                .account(ACCOUNT, AUTH_TOKEN)
                .rateLimitedFraction(1.0)
                .start();

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            register(registry, SIM::baseUrl, authTokenVariables());
        }

        @AfterAll
        static void stopSimulator() {
            SIM.close();
        }

        @Test
        void rateLimitedIs503WithoutSecrets(CapturedOutput output) {
            Answer a = post("/calls/" + newSid() + "/hangup");
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.json().path("twilio_status").asInt()).isEqualTo(429);
            assertLogClean(output);
        }
    }

    /**
     * API key credentials (with the auth token in the environment too), and an operator who exposed every
     * actuator endpoint: env and configprops must mask the values.
     */
    @Nested
    @TestPropertySource(properties = "management.endpoints.web.exposure.include=*")
    class ApiKeyEverythingExposed extends Scenario {

        static final TwilioSimulator SIM = TwilioSimulator.builder()
                .account(ACCOUNT, AUTH_TOKEN)
                .apiKey(API_KEY, API_SECRET, ACCOUNT)
                .knownCallsOnly(true)
                .call(LIVE, CallStatus.IN_PROGRESS)
                .call(TO_HANG_UP, CallStatus.IN_PROGRESS)
                .call(ENDED, CallStatus.COMPLETED)
                .start();

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            register(registry, SIM::baseUrl, apiKeyVariables());
        }

        @AfterAll
        static void stopSimulator() {
            SIM.close();
        }

        @Test
        void bodiesAndBulkLines(CapturedOutput output) {
            assertThat(post("/calls/" + TO_HANG_UP + "/hangup").status()).as("the API key works").isEqualTo(200);
            assertThat(post("/calls/" + ENDED + "/hangup").status()).as("a hang-up of an ended call").isEqualTo(409);
            assertThat(post("/calls/" + newSid() + "/hangup").status()).isEqualTo(404);
            assertThat(postJson("/calls/" + ENDED, "{\"url\": \"https://example.com/next.xml\"}").status()).isEqualTo(409);
            assertThat(postJson("/calls/" + LIVE, "{\"timeLimit\": -1}").status()).isEqualTo(400);
            List<JsonNode> lines = bulkChecked(MediaType.APPLICATION_NDJSON, LIVE + "\n" + newSid() + "\nCA1\n");
            assertThat(lines).hasSize(3);
            assertThat(lines).filteredOn(l -> l.path("outcome").asString().equals("SUCCEEDED")).hasSize(1);
            assertLogClean(output);
        }

        @Test
        void everyActuatorEndpointMasksTheSecrets(CapturedOutput output) {
            Set<String> exposed = sweepActuator();
            assertThat(exposed).contains("env", "configprops", "beans", "metrics", "health");

            for (String name : List.of("TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET")) {
                Answer a = get("/actuator/env/" + name);
                assertThat(a.status()).as(a.body()).isEqualTo(200);
                assertThat(a.json().path("property").path("value").asString()).as(a.body()).isEqualTo("******");
            }
            // The variables are listed: masking, not their absence, is what keeps the values out.
            assertThat(get("/actuator/env").body()).contains("TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET");
            assertLogClean(output);
        }
    }

    /** An API secret Twilio refuses: 401, reported as 502. */
    @Nested
    class WrongApiSecret extends Scenario {

        static final TwilioSimulator SIM = TwilioSimulator.builder()
                .account(ACCOUNT, "TheRightToken" + hex(16))
                .apiKey(API_KEY, "TheRightSecret" + hex(16), ACCOUNT)
                .start();

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            register(registry, SIM::baseUrl, apiKeyVariables());
        }

        @AfterAll
        static void stopSimulator() {
            SIM.close();
        }

        @Test
        void refusedSecretInBodiesBulkLinesAndLog(CapturedOutput output) {
            Answer a = post("/calls/" + newSid() + "/hangup");
            assertThat(a.status()).isEqualTo(502);
            assertThat(a.json().path("twilio_status").asInt()).isEqualTo(401);
            List<JsonNode> lines = bulkChecked(MediaType.APPLICATION_NDJSON, newSid() + "\n");
            assertThat(lines).singleElement().satisfies(l -> assertThat(l.path("http_status").asInt()).isEqualTo(401));
            assertThat(output.getAll()).contains("Twilio refused the service's credentials");
            assertLogClean(output);
        }
    }
}
