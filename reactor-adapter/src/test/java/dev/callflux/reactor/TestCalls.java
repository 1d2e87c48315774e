package dev.callflux.reactor;

import java.util.HexFormat;

/** Well-formed SIDs for tests. */
final class TestCalls {


    private TestCalls() {
    }

    /** A new, unique call SID. */
    static String callSid() {
        return dev.callflux.testkit.TestSids.newCallSid();
    }

    static String sid(String prefix, long n) {
        return prefix + "0".repeat(16) + HexFormat.of().toHexDigits(n);
    }
}
