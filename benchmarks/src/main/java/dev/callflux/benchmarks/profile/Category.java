package dev.callflux.benchmarks.profile;

import java.util.List;

/**
 * Which part of the stack a frame belongs to, by its class name: the buckets the profile reports.
 * The first rule that matches wins, so the specific ones come first.
 */
public enum Category {
    CALLFLUX_JSON("CallFlux JSON parsing (CallJson, ResponseDecoder)", "dev.callflux.core.encoding.CallJson",
            "dev.callflux.core.encoding.ResponseDecoder"),
    CALLFLUX_FORM("CallFlux form encoding (FormEncoder)", "dev.callflux.core.encoding.FormEncoder"),
    CALLFLUX_CORE("CallFlux core (model, SIDs, endpoint, credentials)", "dev.callflux.core."),
    CALLFLUX_ADAPTER("CallFlux adapter (dev.callflux.reactor)", "dev.callflux.reactor."),
    HARNESS("benchmark harness", "dev.callflux.benchmarks."),
    JACKSON("Jackson (streaming parser / databind)", "com.fasterxml.jackson."),
    TWILIO("twilio-java", "com.twilio."),
    APACHE_HTTP("Apache HttpClient 5", "org.apache.hc."),
    REACTOR_NETTY_CLIENT("Reactor Netty HTTP client internals", "reactor.netty.http.client.", "reactor.netty.http."),
    REACTOR_NETTY_POOL("Reactor Netty connection pool", "reactor.netty.resources.", "reactor.netty.internal.shaded.reactor.pool.",
            "reactor.pool."),
    REACTOR_NETTY("Reactor Netty (channel operations, other)", "reactor.netty."),
    REACTOR_CORE("Reactor Core operators and schedulers", "reactor.core.", "reactor.util."),
    NETTY_HEADERS("Netty HTTP headers (DefaultHttpHeaders, AsciiString, ...)", "io.netty.handler.codec.http.DefaultHttpHeaders",
            "io.netty.handler.codec.http.HttpHeaders", "io.netty.handler.codec.http.CombinedHttpHeaders",
            "io.netty.handler.codec.http.HttpHeaderValidationUtil", "io.netty.handler.codec.DefaultHeaders",
            "io.netty.handler.codec.http.HttpHeadersEncoder", "io.netty.util.AsciiString"),
    NETTY_HTTP_CODEC("Netty HTTP codec (encode/decode messages)", "io.netty.handler.codec."),
    NETTY_TRANSPORT("Netty transport (epoll/nio, sockets)", "io.netty.channel.epoll.", "io.netty.channel.nio.",
            "io.netty.channel.unix.", "io.netty.channel.socket."),
    NETTY_PIPELINE("Netty channel pipeline", "io.netty.channel."),
    NETTY_BUFFER("Netty buffers", "io.netty.buffer."),
    NETTY_UTIL("Netty event loop, futures, util", "io.netty."),
    JAVA_TIME("java.time (date parsing/formatting)", "java.time."),
    JDK_NET_IO("JDK sockets and NIO", "sun.nio.", "java.nio.", "java.net.", "sun.net.", "java.io."),
    JDK_CONCURRENT("JDK threads, locks, executors", "java.util.concurrent.", "java.lang.Thread", "jdk.internal.misc.Unsafe"),
    JDK_OTHER("JDK (other)", "java.", "javax.", "jdk.", "sun.", "com.sun."),
    OTHER("other");

    private final String label;
    private final List<String> prefixes;

    Category(String label, String... prefixes) {
        this.label = label;
        this.prefixes = List.of(prefixes);
    }

    public String label() {
        return label;
    }

    /** Whether frames of this category are the JDK's (attributed to their caller in the "by caller" view). */
    public boolean isJdk() {
        return this == JAVA_TIME || this == JDK_NET_IO || this == JDK_CONCURRENT || this == JDK_OTHER;
    }

    public static Category of(String className) {
        if (className == null) {
            return OTHER;
        }
        for (Category c : values()) {
            for (String p : c.prefixes) {
                if (className.startsWith(p)) {
                    return c;
                }
            }
        }
        return OTHER;
    }
}
