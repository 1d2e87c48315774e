package dev.callflux.examples.cli;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.reactor.bulk.BatchStoppedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * What a CLI user reads when something fails: the CLI's own words (flags, files, environment variables),
 * never Java class names or Netty's exception text. One place turns every library error into such a line.
 */
final class CliMessages {

    /** Request fields (Twilio's names, as the library's errors give them) and the flags that set them. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("Url", "--url"), Map.entry("Method", "--method"), Map.entry("Twiml", "--twiml"),
            Map.entry("Status", "--status"), Map.entry("FallbackUrl", "--fallback-url"),
            Map.entry("FallbackMethod", "--fallback-method"), Map.entry("StatusCallback", "--status-callback"),
            Map.entry("StatusCallbackMethod", "--status-callback-method"), Map.entry("TimeLimit", "--time-limit"),
            Map.entry("Sid", "--sid"), Map.entry("CallSid", "--sid"), Map.entry("BaseUrl", "--base-url"),
            Map.entry("Region", "--region (or TWILIO_REGION)"), Map.entry("Edge", "--edge (or TWILIO_EDGE)"),
            Map.entry("AccountSid", "--account-sid (or TWILIO_ACCOUNT_SID)"));

    private CliMessages() {
    }

    /**
     * One line for {@code error}.
     *
     * @param endpoint where the requests go ({@code https://api.twilio.com}), for transport failures
     * @param credentialsHint the whole line to show when the credentials are refused ("Twilio refused the
     *                        credentials for AC…: check …"), or empty for a generic one
     */
    static String describe(Throwable error, String endpoint, String credentialsHint) {
        if (error instanceof BatchStoppedException) {
            Throwable fatal = error.getCause();
            return fatal == null ? "not sent: the run was stopping"
                    : "not sent: the run stopped because " + describe(fatal, endpoint, credentialsHint);
        }
        if (error instanceof InvalidRequestException) {
            return invalid((InvalidRequestException) error);
        }
        if (error instanceof TwilioApiException) {
            TwilioApiException api = (TwilioApiException) error;
            if (api.statusCode() == 401 || api.statusCode() == 403) {
                return credentialsHint == null || credentialsHint.isEmpty()
                        ? "Twilio refused the credentials (HTTP " + api.statusCode() + ")" : credentialsHint;
            }
            return api.getMessage();
        }
        if (error instanceof CallFluxTransportException) {
            return transport((CallFluxTransportException) error, hostPort(endpoint));
        }
        return "unexpected error" + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }

    /** A request field's error in the flag's words: "--url must be an absolute http or https URL". */
    static String invalid(InvalidRequestException e) {
        return invalid(e.field(), e.rule());
    }

    /**
     * A setting's error (the library's {@link IllegalArgumentException} for a bad endpoint, credential or client
     * setting) in the flag's words: "--region (or TWILIO_REGION) must be one of us1 (edge ashburn), ...".
     */
    static String invalid(IllegalArgumentException e) {
        Setting s = Setting.of(e);
        return invalid(s.name(), s.rule());
    }

    private static String invalid(String field, String rule) {
        if (field.equals("Twiml") && rule.contains("together with Url")) { // the rule names both of Twilio's fields
            return "--url and --twiml cannot be used together: Twilio runs one or the other";
        }
        String flag = FLAGS.getOrDefault(field, field);
        return flag + " " + withoutJavaHints(rule);
    }

    /**
     * A configuration error as the library words it: the setting's name first, then the rule
     * ({@code "Region must be one of ..."}).
     *
     * @param name the setting, e.g. {@code Region}, {@code BaseUrl}, {@code AuthToken}
     * @param rule what the value must be, e.g. {@code "must be one of ..."}
     */
    record Setting(String name, String rule) {

        static Setting of(IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            int space = message.indexOf(' ');
            return space < 0 ? new Setting(message, "is not valid")
                    : new Setting(message.substring(0, space), message.substring(space + 1));
        }
    }

    /** The library's rules sometimes point Java users at a method: a CLI user has no use for it. */
    private static String withoutJavaHints(String rule) {
        int open = rule.indexOf(" (use ");
        return open >= 0 && rule.indexOf('.', open) > 0 ? rule.substring(0, open) : rule;
    }

    private static String transport(CallFluxTransportException e, String hostPort) {
        Throwable root = rootCause(e);
        switch (e.kind()) {
            case CONNECT:
                // Searched along the chain: Netty's UnknownHostException has a cause of its own (the DNS answer).
                if (inChain(e, UnknownHostException.class) != null) {
                    return "cannot connect to " + hostPort + ": unknown host";
                }
                Throwable handshake = inChain(e, SSLHandshakeException.class);
                if (handshake != null && isUntrusted(handshake)) {
                    return "the TLS certificate of " + hostPort + " is not trusted";
                }
                if (inChain(e, SSLException.class) != null) {
                    return "the TLS handshake with " + hostPort + " failed";
                }
                if (inChain(e, NoRouteToHostException.class) != null) {
                    return "cannot connect to " + hostPort + ": no route to host";
                }
                Throwable connect = inChain(e, ConnectException.class);
                if (connect != null && String.valueOf(connect.getMessage()).toLowerCase(Locale.ROOT).contains("refused")) {
                    return "cannot connect to " + hostPort + ": connection refused";
                }
                if (String.valueOf(root.getMessage()).toLowerCase(Locale.ROOT).contains("timed out")) {
                    return "cannot connect to " + hostPort + ": timed out";
                }
                return "cannot connect to " + hostPort;
            case POOL_ACQUIRE_TIMEOUT:
                return "no connection to " + hostPort + " became free in time (not sent)";
            case RESPONSE_TIMEOUT:
                return "no answer from " + hostPort + " in time" + sent(e);
            case CONNECTION_CLOSED:
                return "the connection to " + hostPort + " closed before the answer" + sent(e);
            case MALFORMED_RESPONSE:
                return "the answer from " + hostPort + " could not be read (not Twilio's JSON)" + sent(e);
            case RESPONSE_TOO_LARGE:
                return "the answer from " + hostPort + " was too large" + sent(e);
            default:
                return "the request to " + hostPort + " failed" + sent(e);
        }
    }

    private static String sent(CallFluxTransportException e) {
        return e.requestSent() ? "; the request may have reached Twilio" : "; the request was not sent";
    }

    private static boolean isUntrusted(Throwable t) {
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("certification path") || m.contains("trust") || m.contains("certificate");
    }

    private static Throwable inChain(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        // The certificate check fails deep inside the TLS engine; the handshake error above it says more.
        Throwable handshake = t;
        while (handshake != null && !(handshake instanceof SSLException)) {
            handshake = handshake.getCause();
        }
        return handshake != null ? handshake : r;
    }

    /** {@code host:port} of a base URL, the default port filled in. */
    static String hostPort(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return uri.getHost() + ":" + port;
        } catch (IllegalArgumentException e) {
            return endpoint;
        }
    }
}
