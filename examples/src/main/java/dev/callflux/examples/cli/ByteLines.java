package dev.callflux.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A UTF-8 line splitter over {@link InputStream#read(byte[], int, int)} that treats the first end of input
 * ({@code -1}) as final and never reads again: one Ctrl-D ends terminal input (an {@code InputStreamReader}
 * may read again after an end on a terminal). Each read hands out the lines it completed at once, without
 * waiting for a full buffer, so lines typed or piped in are seen as they come.
 *
 * <p>Lines end with {@code \n}; a {@code \r} before it is removed. A UTF-8 byte-order mark at the very start
 * is skipped (and counted as consumed). Lines longer than the limit are cut to it ({@link #lastTruncated()}).
 * Not thread-safe.
 */
final class ByteLines {

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean started;
    private long offset;
    private long lineNumber;
    private boolean lastTerminated = true;
    private boolean lastTruncated;

    /**
     * @param in           read with {@code read(byte[], int, int)} until its first {@code -1}, never after
     * @param maxLineBytes the longest line kept whole; longer ones are cut (memory stays bounded)
     */
    ByteLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.buf = new byte[Math.min(1 << 16, Math.max(1024, maxLineBytes))];
    }

    /** The next line without its terminator, or {@code null} at the end of input. */
    String next() throws IOException {
        start();
        int scanned = 0; // bytes of the line already searched for '\n', from pos
        boolean truncated = false;
        while (true) {
            int nl = indexOf((byte) '\n', pos + scanned, limit);
            if (nl >= 0) {
                offset += nl + 1 - pos;
                return line(nl, nl + 1, true, truncated);
            }
            if (limit - pos > maxLineBytes) {
                // Keep the first maxLineBytes of the line; drop what follows, until its end.
                truncated = true;
                offset += limit - pos - maxLineBytes;
                limit = pos + maxLineBytes;
            }
            scanned = limit - pos;
            if (!fill()) {
                if (limit == pos && !truncated) {
                    return null;
                }
                offset += limit - pos;
                return line(limit, limit, false, truncated);
            }
        }
    }

    private String line(int end, int next, boolean terminated, boolean truncated) {
        int e = end;
        if (e > pos && buf[e - 1] == '\r' && terminated) {
            e--;
        }
        boolean cut = truncated || e - pos > maxLineBytes;
        String s = new String(buf, pos, Math.min(e - pos, maxLineBytes), StandardCharsets.UTF_8);
        pos = next;
        lineNumber++;
        lastTerminated = terminated;
        lastTruncated = cut;
        return s;
    }

    /**
     * The first byte of the next line that is not a space, tab or {@code \r}, without consuming anything:
     * {@code '\n'} for a blank line, {@code -1} at the end of input. Call it at the start of a line.
     */
    int peekFirstNonBlank() throws IOException {
        start();
        int i = pos;
        while (true) {
            for (; i < limit; i++) {
                byte b = buf[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return b & 0xff;
                }
            }
            if (i - pos > maxLineBytes) {
                return ' '; // an absurd run of blanks: let next() deal with it
            }
            int before = pos;
            if (!fill()) {
                return -1;
            }
            i -= before - pos; // fill() may have moved the unread bytes to the start
        }
    }

    /** Lines returned so far (the number of the last one). */
    long lineNumber() {
        return lineNumber;
    }

    /** Bytes consumed through the end of the last line returned (its terminator and a skipped BOM included). */
    long offset() {
        return offset;
    }

    /** Whether the last line returned ended with {@code \n} (a last line without one was cut short, perhaps). */
    boolean lastTerminated() {
        return lastTerminated;
    }

    /** Whether the last line returned was longer than the limit and was cut to it. */
    boolean lastTruncated() {
        return lastTruncated;
    }

    /**
     * The rest of the input, from the start of the next line: the bytes already buffered, then the source,
     * which is still never read after its first end. Once this is used, {@link #next()} must not be.
     */
    InputStream remainder() throws IOException {
        start();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (pos < limit) {
                    int n = Math.min(len, limit - pos);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (eof) {
                    return -1;
                }
                int n = in.read(b, off, len);
                if (n < 0) {
                    eof = true;
                }
                return n;
            }
        };
    }

    /** On the first call, skips a byte-order mark. */
    private void start() throws IOException {
        if (started) {
            return;
        }
        started = true;
        while (limit - pos < 3 && fill()) {
            if (buf[pos] != (byte) 0xEF || (limit - pos > 1 && buf[pos + 1] != (byte) 0xBB)) {
                return;
            }
        }
        if (limit - pos >= 3 && buf[pos] == (byte) 0xEF && buf[pos + 1] == (byte) 0xBB && buf[pos + 2] == (byte) 0xBF) {
            pos += 3;
            offset += 3;
        }
    }

    /** One read (never after the end): keeps the unread bytes, grows the buffer if it is full; false at the end. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
