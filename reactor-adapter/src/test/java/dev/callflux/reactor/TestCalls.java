package dev.callflux.reactor;

import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Well-formed SIDs for tests. */
final class TestCalls {

    private static final AtomicLong NEXT = new AtomicLong(1);

    private TestCalls() {
    }

    /** A new, unique call SID. */
    static String callSid() {
        return sid("CA", NEXT.getAndIncrement());
    }

    static String sid(String prefix, long n) {
        return prefix + "0".repeat(16) + HexFormat.of().toHexDigits(n);
    }
}
