package dev.callflux.examples.cli;

import dev.callflux.core.model.CallSid;

/**
 * A set of call SIDs stored as their 128 bits: two {@code long}s per slot in an open-addressing table kept at
 * most half full, so 16 bytes per SID of key material and about 32 bytes per SID in all (a million SIDs:
 * about 32 MiB). Hexadecimal digits are read case-insensitively, so {@code CAab…} and {@code CAAB…} are the
 * same SID here.
 *
 * <p>Not thread-safe: callers that share one synchronize.
 */
final class SidSet {

    private final Table table = new Table(false);

    /** How many SIDs the set holds. */
    int size() {
        return table.size;
    }

    /** Whether {@code sid} is in the set; {@code false} for anything that is not a call SID, {@code null} included. */
    boolean contains(String sid) {
        return CallSid.isValid(sid) && table.find(hi(sid), lo(sid)) >= 0;
    }

    /**
     * Adds {@code sid}.
     *
     * @return whether it was new (so {@code if (seen.add(sid))} sends a SID listed twice only once)
     * @throws IllegalArgumentException if {@code sid} is not a call SID
     */
    boolean add(String sid) {
        return table.put(hi(require(sid)), lo(sid), 0L) == Table.ABSENT_SLOT;
    }

    /**
     * Removes {@code sid}.
     *
     * @return whether it was there; {@code false} for anything that is not a call SID
     */
    boolean remove(String sid) {
        return CallSid.isValid(sid) && table.remove(hi(sid), lo(sid));
    }

    /**
     * A map from call SID to {@code long}, stored like {@link SidSet} plus 8 bytes per slot for the value
     * (about 48 bytes per SID in all). Not thread-safe.
     */
    static final class LongMap {
        private final Table table = new Table(true);

        int size() {
            return table.size;
        }

        /** The value of {@code sid}, or {@code absent} when it has none (or is not a call SID). */
        long get(String sid, long absent) {
            if (!CallSid.isValid(sid)) {
                return absent;
            }
            int slot = table.find(hi(sid), lo(sid));
            return slot < 0 ? absent : table.values[slot];
        }

        /**
         * Sets the value of {@code sid}.
         *
         * @throws IllegalArgumentException if {@code sid} is not a call SID
         */
        void put(String sid, long value) {
            table.put(hi(require(sid)), lo(sid), value);
        }
    }

    private static String require(String sid) {
        if (!CallSid.isValid(sid)) {
            throw new IllegalArgumentException("not a call SID");
        }
        return sid;
    }

    private static long hi(String sid) {
        return Long.parseUnsignedLong(sid, 2, 18, 16);
    }

    private static long lo(String sid) {
        return Long.parseUnsignedLong(sid, 18, 34, 16);
    }

    /** Linear probing over (hi, lo) keys, at most half full; backward-shift deletion (no tombstones). */
    private static final class Table {
        static final int ABSENT_SLOT = -1;
        private static final int INITIAL_SLOTS = 1024;

        private long[] keys = new long[2 * INITIAL_SLOTS];
        private boolean[] used = new boolean[INITIAL_SLOTS];
        private long[] values;
        private int size;

        Table(boolean withValues) {
            values = withValues ? new long[INITIAL_SLOTS] : null;
        }

        /** The slot of (hi, lo), or -1. */
        int find(long hi, long lo) {
            int slot = slotOf(hi, lo);
            return used[slot] ? slot : -1;
        }

        /** Puts (hi, lo) with {@code value}; returns the slot it already had, or {@link #ABSENT_SLOT} if it is new. */
        int put(long hi, long lo, long value) {
            int slot = slotOf(hi, lo);
            if (used[slot]) {
                if (values != null) {
                    values[slot] = value;
                }
                return slot;
            }
            if ((size + 1) * 2 > used.length) {
                grow();
                slot = slotOf(hi, lo);
            }
            used[slot] = true;
            keys[2 * slot] = hi;
            keys[2 * slot + 1] = lo;
            if (values != null) {
                values[slot] = value;
            }
            size++;
            return ABSENT_SLOT;
        }

        boolean remove(long hi, long lo) {
            int hole = slotOf(hi, lo);
            if (!used[hole]) {
                return false;
            }
            int mask = used.length - 1;
            used[hole] = false;
            size--;
            // Shift back the entries of the cluster that could no longer be found past the hole.
            for (int j = (hole + 1) & mask; used[j]; j = (j + 1) & mask) {
                int home = home(keys[2 * j], keys[2 * j + 1], mask);
                boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
                if (!stays) {
                    move(j, hole);
                    hole = j;
                }
            }
            return true;
        }

        private void move(int from, int to) {
            used[to] = true;
            keys[2 * to] = keys[2 * from];
            keys[2 * to + 1] = keys[2 * from + 1];
            if (values != null) {
                values[to] = values[from];
            }
            used[from] = false;
        }

        /** The slot holding (hi, lo), or the free slot where it would go. */
        private int slotOf(long hi, long lo) {
            int mask = used.length - 1;
            int slot = home(hi, lo, mask);
            while (used[slot] && (keys[2 * slot] != hi || keys[2 * slot + 1] != lo)) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        private static int home(long hi, long lo, int mask) {
            long x = hi * 31 + lo;
            x ^= x >>> 33;
            x *= 0xff51afd7ed558ccdL;
            x ^= x >>> 33;
            return (int) x & mask;
        }

        private void grow() {
            long[] oldKeys = keys;
            boolean[] oldUsed = used;
            long[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            used = new boolean[oldUsed.length * 2];
            values = oldValues == null ? null : new long[oldValues.length * 2];
            for (int i = 0; i < oldUsed.length; i++) {
                if (oldUsed[i]) {
                    int slot = slotOf(oldKeys[2 * i], oldKeys[2 * i + 1]);
                    used[slot] = true;
                    keys[2 * slot] = oldKeys[2 * i];
                    keys[2 * slot + 1] = oldKeys[2 * i + 1];
                    if (values != null) {
                        values[slot] = oldValues[i];
                    }
                }
            }
        }
    }
}
