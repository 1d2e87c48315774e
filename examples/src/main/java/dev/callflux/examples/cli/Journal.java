package dev.callflux.examples.cli;

import dev.callflux.core.model.CallSid;
import dev.callflux.reactor.bulk.BulkResult;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a run has finished, so that a rerun can skip it: one line per finished SID ({@code sid,outcome}),
 * appended and flushed as each completes, so a crash or Ctrl-C loses nothing. A rerun with the same
 * journal skips the SIDs that succeeded (and only those).
 *
 * <p>The succeeded SIDs are held as two {@code long}s each (16 bytes per SID in an open-addressing table),
 * so a million of them take about 32 MiB.
 */
final class Journal implements AutoCloseable {

    private final Writer out;
    private final SidSet succeeded;
    private final long previouslySucceeded;

    private Journal(Writer out, SidSet succeeded) {
        this.out = out;
        this.succeeded = succeeded;
        this.previouslySucceeded = succeeded.size();
    }

    /** Opens (or creates) the journal at {@code path}, reading what earlier runs recorded. */
    static Journal open(Path path) throws IOException {
        SidSet done = new SidSet();
        if (Files.exists(path)) {
            try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    int comma = line.indexOf(',');
                    // A line cut short by a crash has no outcome: it is ignored, so that SID runs again.
                    if (comma > 0 && line.startsWith(",SUCCEEDED", comma) && line.length() == comma + 10
                            && CallSid.isValid(line.substring(0, comma))) {
                        done.add(line.substring(0, comma));
                    }
                }
            }
        }
        BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return new Journal(w, done);
    }

    /** Whether an earlier run (or this one) hung up {@code sid} successfully. */
    boolean succeeded(String sid) {
        return CallSid.isValid(sid) && succeeded.contains(sid);
    }

    long previouslySucceeded() {
        return previouslySucceeded;
    }

    /** Records a finished SID and flushes it to the operating system at once. */
    void record(BulkResult<?> result) throws IOException {
        if (!CallSid.isValid(result.callSid())) {
            return; // an invalid line is not a call: nothing to resume
        }
        out.write(result.callSid() + ',' + result.outcome() + '\n');
        out.flush();
        if (result.isSuccess()) {
            succeeded.add(result.callSid());
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** A set of call SIDs stored as their 128 bits. */
    static final class SidSet {
        private long[] table = new long[2 * 1024];
        private boolean[] used = new boolean[1024];
        private int size;

        int size() {
            return size;
        }

        boolean contains(String sid) {
            long hi = Long.parseUnsignedLong(sid.substring(2, 18), 16);
            long lo = Long.parseUnsignedLong(sid.substring(18, 34), 16);
            return used[slotOf(hi, lo, table, used)];
        }

        void add(String sid) {
            long hi = Long.parseUnsignedLong(sid.substring(2, 18), 16);
            long lo = Long.parseUnsignedLong(sid.substring(18, 34), 16);
            if ((size + 1) * 2 > used.length) {
                grow();
            }
            int slot = slotOf(hi, lo, table, used);
            if (!used[slot]) {
                used[slot] = true;
                table[2 * slot] = hi;
                table[2 * slot + 1] = lo;
                size++;
            }
        }

        /** The slot holding (hi, lo), or the free slot where it would go. */
        private static int slotOf(long hi, long lo, long[] table, boolean[] used) {
            int mask = used.length - 1;
            int slot = (int) (mix(hi * 31 + lo)) & mask;
            while (used[slot] && (table[2 * slot] != hi || table[2 * slot + 1] != lo)) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        private static long mix(long x) {
            x ^= x >>> 33;
            x *= 0xff51afd7ed558ccdL;
            x ^= x >>> 33;
            return x;
        }

        private void grow() {
            long[] oldTable = table;
            boolean[] oldUsed = used;
            table = new long[oldTable.length * 2];
            used = new boolean[oldUsed.length * 2];
            for (int i = 0; i < oldUsed.length; i++) {
                if (oldUsed[i]) {
                    int slot = slotOf(oldTable[2 * i], oldTable[2 * i + 1], table, used);
                    used[slot] = true;
                    table[2 * slot] = oldTable[2 * i];
                    table[2 * slot + 1] = oldTable[2 * i + 1];
                }
            }
        }
    }
}
