package dev.callflux.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * The bare baseline: the JDK's own {@code java.net.http.HttpClient} (HTTP/1.1), {@code sendAsync} of the
 * UpdateCall POST for every SID from one thread, at most {@code concurrency} in flight (a {@link Semaphore}).
 * A call counts as done when the answer is 200; the body is read as bytes and not parsed (no {@code Call}
 * object): the floor of what a client costs, not a client to use. Trust for HTTPS comes from the JDK's
 * defaults ({@code -Djavax.net.ssl.trustStore}).
 */
public final class JdkHttpDriver implements AutoCloseable {

    /** For the report. */
    public static final String DESCRIPTION = "JDK `java.net.http.HttpClient` `sendAsync`, Semaphore(C), status checked, body not parsed";

    private final HttpClient client;
    private final String base;
    private final String authorization;

    public JdkHttpDriver(String baseUrl, String accountSid, String authToken) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = b + "/2010-04-01/Accounts/" + accountSid + "/Calls/";
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
    }

    public void hangupAll(Stream<String> sids, int concurrency, Tally tally) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        Iterator<String> it = sids.iterator();
        while (it.hasNext()) {
            String sid = it.next();
            permits.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + sid + ".json"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("Status=completed"))
                    .build();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
                if (error != null) {
                    tally.failure(error);
                } else if (response.statusCode() == 200) {
                    tally.ok();
                } else {
                    tally.failure(new IllegalStateException("HTTP " + response.statusCode()));
                }
                permits.release();
            });
        }
        permits.acquire(concurrency);
        permits.release(concurrency);
    }

    @Override
    public void close() {
        // HttpClient's threads are daemons (Java 17 has no HttpClient.close()).
    }
}
