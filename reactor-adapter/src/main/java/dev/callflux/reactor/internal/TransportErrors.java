package dev.callflux.reactor.internal;

import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.CallFluxTransportException.Kind;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.TimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import reactor.netty.channel.AbortedException;

/**
 * Maps what Reactor Netty and Netty throw to {@link CallFluxTransportException}, deciding whether the
 * request may have reached Twilio. Anything that is not an I/O failure (a bug) passes through unchanged.
 */
final class TransportErrors {

    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

    private TransportErrors() {
    }

    /**
     * @param written whether the whole request had been written to the socket: only then can Twilio have
     *                read a complete request and acted on it
     */
    static Throwable map(Throwable t, boolean written) {
        if (t instanceof CallFluxException) {
            return t;
        }
        String type = t.getClass().getSimpleName();
        if (type.equals("PoolAcquireTimeoutException") || type.equals("PoolAcquirePendingLimitException")) {
            return new CallFluxTransportException(Kind.POOL_ACQUIRE_TIMEOUT, false,
                    "no pooled connection became free in time", null);
        }
        if (!written && (t instanceof ConnectException || t instanceof ConnectTimeoutException
                || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                || t instanceof SSLException)) {
            return new CallFluxTransportException(Kind.CONNECT, false, describe(t), t);
        }
        if (t instanceof TimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return new CallFluxTransportException(Kind.RESPONSE_TIMEOUT, written,
                    "no response within the response timeout", t);
        }
        if (t instanceof DecoderException) {
            return new CallFluxTransportException(Kind.MALFORMED_RESPONSE, written, describe(t), t);
        }
        if (t instanceof IOException || t instanceof AbortedException) {
            return new CallFluxTransportException(Kind.CONNECTION_CLOSED, written, describe(t), t);
        }
        return t;
    }

    /**
     * What failed, in words: what users of a service or a command line read, so no Java class names and no
     * Netty text. The original exception stays attached as the cause, for logs and debuggers.
     */
    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SSLException) {
                String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
                return m.contains("certification path") || m.contains("certificate") || m.contains("trust")
                        ? "the server's TLS certificate is not trusted" : "the TLS handshake failed";
            }
        }
        String m = t.getMessage();
        if (t instanceof UnknownHostException) {
            // The JDK says "host: Name or service not known"; Netty's resolver "Failed to resolve 'host' [A(1)] after 2 queries".
            Matcher quoted = QUOTED.matcher(m == null ? "" : m);
            return "unknown host" + (quoted.find() ? " " + quoted.group(1) : m == null ? "" : " " + m.split(":")[0].trim());
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        if (t instanceof ConnectException) {
            String address = m == null || m.indexOf(": ") < 0 ? "" : m.substring(m.indexOf(": ") + 2).replaceFirst("^[^/]*/", "");
            return "connection refused" + (address.isEmpty() ? "" : " by " + address);
        }
        if (t instanceof DecoderException) {
            return "the response could not be decoded";
        }
        if (t instanceof AbortedException || t.getClass().getSimpleName().equals("PrematureCloseException")) {
            return "the connection closed before the response was complete";
        }
        if (m != null && m.toLowerCase(Locale.ROOT).contains("reset")) {
            return "the connection was reset";
        }
        return "the connection failed";
    }
}
