package dev.callflux.kafka;

import java.util.TreeSet;

/**
 * The offsets of one assigned partition whose results are not yet acknowledged. The offset to commit is the
 * lowest of them (or, when none is open, the one after the last record taken): every earlier record's result
 * is then on the broker. Used by the poll thread only.
 */
final class PartitionProgress {

    private final TreeSet<Long> open = new TreeSet<>();
    private long next = -1;
    private long firstDropped = Long.MAX_VALUE;
    private long committed = -1;

    void taken(long offset) {
        open.add(offset);
        next = Math.max(next, offset + 1);
    }

    void done(long offset) {
        open.remove(offset);
    }

    /** Forgets an offset that was taken but will not be run here (it is redelivered to the next owner). */
    void dropped(long offset) {
        open.remove(offset);
        // never commit past a record given back: the next owner must read it
        firstDropped = Math.min(firstDropped, offset);
    }

    boolean idle() {
        return open.isEmpty();
    }

    /** The offset to commit now, or -1 when nothing was taken. */
    long commitPosition() {
        if (next < 0) {
            return -1;
        }
        long position = open.isEmpty() ? next : open.first();
        return Math.min(position, firstDropped);
    }

    /** Whether {@link #commitPosition()} moved since the last {@link #committed(long)}. */
    boolean changed() {
        long p = commitPosition();
        return p >= 0 && p != committed;
    }

    void committed(long position) {
        committed = position;
    }

    @Override
    public String toString() {
        return "next=" + next + ", open=" + open.size() + (open.isEmpty() ? "" : " from " + open.first())
                + ", committed=" + committed + (firstDropped == Long.MAX_VALUE ? "" : ", given back from " + firstDropped);
    }
}
