package dev.callflux.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/** The tests' client: the JDK's HttpClient over real loopback HTTP/1.1. */
final class SimHttp {

    static final String FORM = "application/x-www-form-urlencoded";
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final JsonFactory JSON = new JsonFactory();

    private SimHttp() {
    }

    static String newCallSid() {
        return TestSids.newCallSid();
    }

    static String newAccountSid() {
        return TestSids.newAccountSid();
    }

    static String hex32() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%016x%016x", r.nextLong(), r.nextLong());
    }

    static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static String path(String accountSid, String callSid) {
        return "/2010-04-01/Accounts/" + accountSid + "/Calls/" + callSid + ".json";
    }

    /** A request builder for {@code path} with the given Authorization (or none) and a timeout. */
    static HttpRequest.Builder request(TwilioSimulator sim, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    static HttpRequest post(TwilioSimulator sim, String accountSid, String callSid, String authorization,
            String contentType, String body) {
        HttpRequest.Builder b = request(sim, path(accountSid, callSid), authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.build();
    }

    /** POSTs {@code body} as a form with the simulator's default credentials. */
    static Response update(TwilioSimulator sim, String callSid, String body) {
        return send(post(sim, sim.accountSid(), callSid, basic(sim.accountSid(), sim.authToken()), FORM, body));
    }

    static CompletableFuture<Response> updateAsync(TwilioSimulator sim, String callSid, String body) {
        return CLIENT.sendAsync(post(sim, sim.accountSid(), callSid, basic(sim.accountSid(), sim.authToken()), FORM, body),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).thenApply(Response::new);
    }

    static Response send(HttpRequest request) {
        try {
            return new Response(CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response, with its error JSON parsed when it has one. */
    static final class Response {
        final int status;
        final String body;
        final HttpResponse<String> raw;
        private Map<String, Object> json;

        Response(HttpResponse<String> raw) {
            this.raw = raw;
            this.status = raw.statusCode();
            this.body = raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        Map<String, Object> json() {
            if (json == null) {
                json = parseFlat(body);
            }
            return json;
        }

        Object code() {
            return json().get("code");
        }

        String message() {
            return (String) json().get("message");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A flat JSON object: numbers as Long, strings, nulls; nested objects skipped. */
    static Map<String, Object> parseFlat(String body) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + body);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (t) {
                    case VALUE_NUMBER_INT: m.put(name, p.getLongValue()); break;
                    case VALUE_STRING: m.put(name, p.getText()); break;
                    case VALUE_NULL: m.put(name, null); break;
                    default: p.skipChildren(); break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
