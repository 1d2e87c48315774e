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
import javax.net.ssl.SSLException;
import reactor.netty.channel.AbortedException;

/**
 * Maps what Reactor Netty and Netty throw to {@link CallFluxTransportException}, deciding whether the
 * request may have reached Twilio. Anything that is not an I/O failure (a bug) passes through unchanged.
 */
final class TransportErrors {

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

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
