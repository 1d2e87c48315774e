package dev.callflux.benchmarks;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;

/**
 * twilio-java's own {@link NetworkHttpClient} (Apache HttpClient 5, classic blocking I/O), sized for the
 * run and pointed at the simulator.
 *
 * <p>twilio-java builds every URL itself as {@code https://api.twilio.com/...} (the domain is fixed in
 * the generated {@code CallUpdater}; {@code TwilioRestClient} only lets one choose a region and an edge),
 * so {@link #makeRequest(Request)} copies each request onto the simulator's base URL
 * ({@code http://127.0.0.1:PORT} + the same path) and hands the copy to the unchanged
 * {@code NetworkHttpClient.makeRequest}: same headers, same form encoding, same response handling. The
 * copy costs a few small objects per call, negligible next to the rest.
 *
 * <p>The connection pool allows {@code maxConnections} connections in total and per route (twilio-java's
 * default is 100 in total and 20 per route, which would cap a run at 20 concurrent requests).
 */
public final class SimulatorHttpClient extends NetworkHttpClient {

    private static final String TWILIO_API = "https://api.twilio.com";

    private final String baseUrl;

    public SimulatorHttpClient(String baseUrl, int maxConnections) {
        super(builder(maxConnections));
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    private static HttpClientBuilder builder(int maxConnections) {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultSocketConfig(DEFAULT_SOCKET_CONFIG)
                .build();
        // The same settings as twilio-java's default constructor, apart from the pool size.
        return HttpClientBuilder.create()
                .useSystemProperties()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(DEFAULT_REQUEST_CONFIG);
    }

    @Override
    public Response makeRequest(Request request) {
        return super.makeRequest(redirect(request, baseUrl));
    }

    /** A copy of {@code request} addressed to {@code baseUrl} instead of {@code https://api.twilio.com}. */
    static Request redirect(Request request, String baseUrl) {
        String url = request.getUrl();
        if (!url.startsWith(TWILIO_API)) {
            throw new IllegalArgumentException("not a request to " + TWILIO_API + ": " + url);
        }
        Request copy = new Request(request.getMethod(), baseUrl + url.substring(TWILIO_API.length()));
        if (request.getUsername() != null) {
            copy.setAuth(request.getUsername(), request.getPassword());
        } else if (request.getAuthStrategy() != null) {
            copy.setAuth(request.getAuthStrategy());
        }
        copy.setContentType(request.getContentType());
        copy.setBody(request.getBody());
        copy.setUserAgentExtensions(request.getUserAgentExtensions());
        copy.setFormParameters(request.getFormParameters());
        copyInto(request.getPostParams(), copy::addPostParam);
        copyInto(request.getQueryParams(), copy::addQueryParam);
        copyInto(request.getHeaderParams(), copy::addHeaderParam);
        return copy;
    }

    private static void copyInto(Map<String, List<String>> params, java.util.function.BiConsumer<String, String> add) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            for (String v : e.getValue()) {
                add.accept(e.getKey(), v);
            }
        }
    }
}
