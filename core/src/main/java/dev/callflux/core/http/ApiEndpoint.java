package dev.callflux.core.http;

import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.CallSid;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/**
 * Where UpdateCall requests go: Twilio's default host, a region and edge
 * ({@code https://api.{edge}.{region}.twilio.com}), or an explicit base URL for tests and proxies.
 *
 * <p>Plain {@code http} is accepted only for loopback addresses (a local simulator), unless
 * {@link #insecureBaseUrl(String)} says otherwise out loud: credentials sent over plain HTTP can be read
 * by anyone on the path.
 *
 * <p>An endpoint is configuration, not part of a request: a bad value throws {@link IllegalArgumentException}
 * (a {@code null} where a value is required, {@link NullPointerException}) whose message is the setting's name, a
 * space and the rule, e.g. {@code "BaseUrl must not have a query or fragment"}.
 */
public final class ApiEndpoint {

    /** {@code https://api.twilio.com}. */
    public static final ApiEndpoint DEFAULT = new ApiEndpoint("https://api.twilio.com");

    /** The region used when only an edge is given, as Twilio's own libraries do. */
    public static final String DEFAULT_REGION = "us1";

    private static final Pattern LOCATION_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private final String baseUrl;

    private ApiEndpoint(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * Each Twilio region's default edge location, keyed by region, both in lower case, in the order
     * {@code us1, us2, ie1, de1, au1, jp1, sg1, br1}; unmodifiable.
     *
     * <p>This is the one place that fact lives. It comes from Twilio's "Understanding Edge Locations" page
     * (<a href="https://www.twilio.com/docs/global-infrastructure/understanding-edge-locations">
     * twilio.com/docs/global-infrastructure/understanding-edge-locations</a>): the region-only host names
     * ({@code api.ie1.twilio.com}, {@code api.au1.twilio.com}, {@code api.br1.twilio.com},
     * {@code api.de1.twilio.com}, {@code api.jp1.twilio.com}, {@code api.sg1.twilio.com},
     * {@code api.us2.twilio.com}) stopped working on 2026-04-28, so {@link #of(String, String)} sends a
     * region given without an edge through the edge listed here.
     */
    public static final Map<String, String> DEFAULT_EDGES = defaultEdges();

    private static Map<String, String> defaultEdges() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("us1", "ashburn");
        m.put("us2", "umatilla");
        m.put("ie1", "dublin");
        m.put("de1", "frankfurt");
        m.put("au1", "sydney");
        m.put("jp1", "tokyo");
        m.put("sg1", "singapore");
        m.put("br1", "sao-paulo");
        return Collections.unmodifiableMap(m);
    }

    private static final String UNKNOWN_REGION_RULE = "must be one of "
            + DEFAULT_EDGES.entrySet().stream()
                    .map(en -> en.getKey() + " (edge " + en.getValue() + ")")
                    .collect(Collectors.joining(", "))
            + " (or give an edge too)";

    /**
     * Twilio's regional endpoint, always {@code https://api.{edge}.{region}.twilio.com} or {@link #DEFAULT}:
     * <ul>
     *   <li>a region and an edge: that edge and region, any well-formed names (Twilio adds edges);</li>
     *   <li>a region alone: the region's default edge from {@link #DEFAULT_EDGES}, e.g. {@code ie1} gives
     *       {@code https://api.dublin.ie1.twilio.com}; a region not in that table is refused, since the
     *       region-only host {@code api.{region}.twilio.com} no longer exists;</li>
     *   <li>an edge alone: region {@value #DEFAULT_REGION}, e.g. {@code https://api.dublin.us1.twilio.com};</li>
     *   <li>neither: {@link #DEFAULT}.</li>
     * </ul>
     * Names are trimmed and lower-cased; {@code null} and blank mean none.
     *
     * @param region a region such as {@code ie1}, or {@code null}
     * @param edge   an edge location such as {@code dublin}, or {@code null}
     * @return the endpoint; {@link #DEFAULT} when both are {@code null} or blank
     * @throws IllegalArgumentException if a name is not letters and digits, optionally in hyphen-separated parts
     *         (message {@code "Region must be a Twilio location name ..."}, or {@code "Edge ..."}), or if a region is
     *         given without an edge and is not a key of {@link #DEFAULT_EDGES} ({@code "Region must be one of us1
     *         (edge ashburn), ... (or give an edge too)"})
     */
    public static ApiEndpoint of(String region, String edge) {
        String r = location("Region", region);
        String e = location("Edge", edge);
        if (r == null && e == null) {
            return DEFAULT;
        }
        if (r == null) {
            r = DEFAULT_REGION;
        }
        if (e == null) {
            e = DEFAULT_EDGES.get(r);
            if (e == null) {
                throw invalid("Region", UNKNOWN_REGION_RULE);
            }
        }
        return new ApiEndpoint("https://api." + e + "." + r + ".twilio.com");
    }

    private static String location(String setting, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!LOCATION_NAME.matcher(v).matches()) {
            throw invalid(setting, "must be a Twilio location name such as 'ie1' or 'dublin'");
        }
        return v;
    }

    /**
     * An explicit base URL, such as a proxy or a local simulator. {@code https} anywhere; plain
     * {@code http} only on a loopback address ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}).
     * A path in the URL is kept as a prefix of the API path.
     *
     * @param url the base URL; surrounding whitespace and trailing slashes are dropped
     * @return the endpoint
     * @throws NullPointerException if {@code url} is {@code null} (message {@code "BaseUrl is required"})
     * @throws IllegalArgumentException (message {@code "BaseUrl <rule>"}, e.g. {@code "BaseUrl must use https unless
     *         the host is a loopback address ..."}) if {@code url} is blank, not an absolute {@code http}/{@code https}
     *         URL with a host, has user info, a query, a fragment or an impossible port, or uses {@code http} with a
     *         host that is not a loopback address
     */
    public static ApiEndpoint baseUrl(String url) {
        URI uri = parse(url);
        if (uri.getScheme().equalsIgnoreCase("http") && !isLoopback(uri.getHost())) {
            throw invalid("BaseUrl", "must use https unless the host is a loopback address "
                    + "(use ApiEndpoint.insecureBaseUrl to send credentials over plain http anyway)");
        }
        return new ApiEndpoint(strip(url));
    }

    /**
     * A base URL that may use plain {@code http} to any host. Credentials and call data then travel
     * unencrypted: for a trusted network only.
     *
     * @param url the base URL; surrounding whitespace and trailing slashes are dropped
     * @return the endpoint
     * @throws NullPointerException if {@code url} is {@code null} (message {@code "BaseUrl is required"})
     * @throws IllegalArgumentException (message {@code "BaseUrl <rule>"}) if {@code url} is blank, not an absolute
     *         {@code http}/{@code https} URL with a host, or has user info, a query, a fragment or an impossible port
     */
    public static ApiEndpoint insecureBaseUrl(String url) {
        parse(url);
        return new ApiEndpoint(strip(url));
    }

    private static URI parse(String url) {
        if (url == null) {
            throw new NullPointerException("BaseUrl is required");
        }
        if (url.isBlank()) {
            throw invalid("BaseUrl", "is required");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid("BaseUrl", "must be a valid URL (" + e.getReason() + ")");
        }
        // Schemes are case-insensitive (RFC 3986, section 3.1): "HTTPS://" is as good as "https://".
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("BaseUrl", "must be an absolute http or https URL");
        }
        if (uri.getHost() == null) {
            throw invalid("BaseUrl", "must have a valid host name");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            // java.net.URI takes any digits as a port; an impossible one would only fail at connect time.
            throw invalid("BaseUrl", "must have a port between 1 and 65535");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("BaseUrl", "must not contain user info (pass credentials separately)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("BaseUrl", "must not have a query or fragment");
        }
        return uri;
    }

    /**
     * A bad setting: the message is the setting's name, a space and the rule ({@code "BaseUrl must have a valid
     * host name"}), the convention of every configuration error in CallFlux.
     */
    private static IllegalArgumentException invalid(String setting, String rule) {
        return new IllegalArgumentException(setting + " " + rule);
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only IP literals count, and they are read without a name lookup: a DNS answer could lie, and a
        // lookup would block. Handing InetAddress a bracketed literal guarantees it never queries DNS
        // (a bare "cafe" or "dead.beef" would be resolved as a host name).
        if (host.startsWith("[")) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        // 127.0.0.0/8 is the IPv4 loopback network.
        return IPV4.matcher(host).matches() && host.startsWith("127.");
    }

    private static String strip(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /**
     * The base URL without a trailing slash, e.g. {@code https://api.twilio.com}.
     *
     * @return the scheme, host, optional port and optional path prefix, never ending in {@code /}
     */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Whether requests go over TLS.
     *
     * @return {@code true} for an {@code https} base URL
     */
    public boolean isSecure() {
        return baseUrl.regionMatches(true, 0, "https:", 0, 6);
    }

    /**
     * The path of UpdateCall for a call: {@code /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json}.
     *
     * @param account the account that owns the call
     * @param call    the call to update
     * @return the path, starting with {@code /}; the SIDs' validation guarantees it needs no escaping
     */
    public static String updateCallPath(AccountSid account, CallSid call) {
        return "/2010-04-01/Accounts/" + account.value() + "/Calls/" + call.value() + ".json";
    }

    /**
     * The absolute URL of UpdateCall for a call.
     *
     * @param account the account that owns the call
     * @param call    the call to update
     * @return {@link #baseUrl()} followed by {@link #updateCallPath(AccountSid, CallSid)}
     */
    public String updateCallUrl(AccountSid account, CallSid call) {
        return baseUrl + updateCallPath(account, call);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiEndpoint && ((ApiEndpoint) o).baseUrl.equals(baseUrl);
    }

    @Override
    public int hashCode() {
        return baseUrl.hashCode();
    }

    @Override
    public String toString() {
        return baseUrl;
    }
}
