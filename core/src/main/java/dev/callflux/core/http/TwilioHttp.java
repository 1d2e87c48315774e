package dev.callflux.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;

/** HTTP header names and values every UpdateCall exchange uses. */
public final class TwilioHttp {

    /** Response header: Twilio's id of the request, to quote to Twilio support. */
    public static final String REQUEST_ID = "Twilio-Request-Id";
    /** Response header: how many requests of the account Twilio was processing at once. */
    public static final String CONCURRENT_REQUESTS = "Twilio-Concurrent-Requests";
    /** Response header on 429 and 503 answers. */
    public static final String RETRY_AFTER = "Retry-After";

    /** This library's version, from the build. */
    public static final String VERSION = readVersion();

    /** {@code callflux-java/<version> (Java <version>; <os> <arch>)}. */
    public static final String USER_AGENT = "callflux-java/" + VERSION + " (Java " + System.getProperty("java.version")
            + "; " + System.getProperty("os.name") + " " + System.getProperty("os.arch", "").toLowerCase(Locale.ROOT) + ")";

    private TwilioHttp() {
    }

    private static String readVersion() {
        try (InputStream in = TwilioHttp.class.getResourceAsStream("/dev/callflux/core/callflux.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String version = p.getProperty("version", "unknown").trim();
            // Unfiltered (classes built by an IDE rather than Maven): the placeholder is no version.
            return version.isEmpty() || version.contains("${") ? "unknown" : version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
