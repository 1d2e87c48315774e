package dev.callflux.testkit;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * Well-formed SIDs for tests, from one place: readable ones that name a batch and an index
 * ({@code CA} + 8 hex digits of the batch + 24 of the index), and fresh ones, unique in the JVM.
 */
public final class TestSids {

    /** The batch of {@link #newCallSid()}: random per JVM, so two test JVMs do not share SIDs either. */
    private static final int FRESH_BATCH = ThreadLocalRandom.current().nextInt() | 0x8000_0000;
    private static final AtomicLong NEXT = new AtomicLong();

    private TestSids() {
    }

    /**
     * A call SID that names a batch and an index.
     *
     * @param batch any number; different batches never share SIDs
     * @param index 0 or more
     * @return {@code CA}, the batch as 8 hex digits, the index as 24
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public static String callSid(int batch, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, got " + index);
        }
        return String.format("CA%08x%024x", batch, index);
    }

    /**
     * The first {@code count} call SIDs of a batch.
     *
     * @param batch any number
     * @param count 0 or more
     * @return {@code callSid(batch, 0)} to {@code callSid(batch, count - 1)}, in order
     */
    public static List<String> callSids(int batch, int count) {
        return LongStream.range(0, count).mapToObj(i -> callSid(batch, i)).toList();
    }

    /**
     * A call SID no other call of this JVM has.
     *
     * @return a new, well-formed call SID
     */
    public static String newCallSid() {
        return callSid(FRESH_BATCH, NEXT.getAndIncrement());
    }

    /**
     * An account SID no other of this JVM has.
     *
     * @return a new, well-formed account SID
     */
    public static String newAccountSid() {
        return "AC" + newCallSid().substring(2);
    }
}
