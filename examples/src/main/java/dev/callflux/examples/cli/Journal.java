package dev.callflux.examples.cli;

import dev.callflux.core.encoding.FormEncoder;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.bulk.BulkResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What runs have finished, so that a rerun can skip it. The first line says what the journal belongs to
 * (see {@link Identity#header()}):
 *
 * <pre>
 * # callflux journal v2 account=AC… endpoint=https://api.twilio.com operation=Status=completed
 * CA…,SUCCEEDED
 * CA…,FAILED
 * </pre>
 *
 * <p>then one line per finished SID, {@code sid,OUTCOME} (an outcome of {@link BulkResult.Outcome}), written
 * to the operating system as each SID finishes (a crash of callflux loses nothing) and synced to disk at
 * least once a second while lines are written, and at close (a power cut loses at most the last second). A SID whose last recorded outcome reached the goal ({@code SUCCEEDED} or {@code ALREADY_ENDED})
 * is {@link #done(String) done}: a rerun skips it.
 *
 * <p>A journal is refused ({@link MismatchException}) when it belongs to another account, endpoint or
 * operation, or has no header (an older callflux wrote it), before anything is written to it. A last line cut
 * short by a crash is ignored (and the next record starts on a new line); any other malformed line is
 * ignored too, and counted ({@link #malformedLines()}).
 *
 * <p>Done SIDs are held in {@link SidSet}s (about 32 bytes per SID). {@link #done(String)} and
 * {@link #record(BulkResult)} may be called from different threads.
 */
final class Journal implements AutoCloseable {

    /** How every journal header starts, followed by the version. */
    static final String HEADER_START = "# callflux journal v";
    /** The version this class writes and reads. */
    static final String VERSION = "2";
    /** The longest time a written line may wait before it is synced to disk. */
    static final long SYNC_INTERVAL_MILLIS = 1000;

    /**
     * What a journal belongs to: the account whose calls were updated, the endpoint (scheme, host and port
     * of the base URL: {@code https://api.twilio.com}; user info, path and a default port are dropped) and
     * the operation (the request's form fields, e.g. {@code Status=completed}). Never holds a secret, as long
     * as the operation holds none.
     */
    record Identity(String account, String endpoint, String operation) {

        /**
         * @throws NullPointerException     if any is {@code null}
         * @throws IllegalArgumentException if any is blank
         */
        Identity {
            account = nonBlank(account, "account");
            endpoint = normalize(nonBlank(endpoint, "endpoint"));
            operation = nonBlank(operation, "operation");
        }

        /** The identity of a run of {@code request} with {@code client}. */
        static Identity of(CallFluxClient client, UpdateCallRequest request) {
            return new Identity(client.accountSid().value(), client.endpoint().baseUrl(),
                    FormEncoder.encodeToString(request));
        }

        /**
         * The first line of a journal, without its line end:
         * {@code # callflux journal v2 account=AC… endpoint=https://api.twilio.com operation=Status=completed};
         * values percent-encoded where they hold a space, a {@code %}, a control or a non-ASCII character.
         */
        String header() {
            return HEADER_START + VERSION + " account=" + encode(account) + " endpoint=" + encode(endpoint)
                    + " operation=" + encode(operation);
        }

        /** For messages: {@code account AC… at https://api.twilio.com (Status=completed)}. */
        String describe() {
            return "account " + account + " at " + endpoint + " (" + operation + ")";
        }

        private static String nonBlank(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " is blank");
            }
            return value.strip();
        }

        /** {@code scheme://host[:port]}, lower case, without a default port; the value stripped of user info otherwise. */
        static String normalize(String endpoint) {
            try {
                URI uri = new URI(endpoint);
                if (uri.getScheme() != null && uri.getHost() != null) {
                    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
                    int port = uri.getPort();
                    boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443)
                            || (scheme.equals("http") && port == 80);
                    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
                }
            } catch (URISyntaxException e) {
                // not a URI: kept as given, without anything that could be a password
            }
            int scheme = endpoint.indexOf("//");
            int at = endpoint.indexOf('@');
            return scheme >= 0 && at > scheme ? endpoint.substring(0, scheme + 2) + endpoint.substring(at + 1) : endpoint;
        }
    }

    /**
     * The journal belongs to another run (another account, endpoint or operation), or cannot be told to
     * belong to this one (no header). Nothing was written to it.
     */
    static final class MismatchException extends SidInput.InputException {
        private static final long serialVersionUID = 1L;

        MismatchException(String message) {
            super(message);
        }
    }

    /**
     * What a journal holds, read without writing anything: for a dry run, say. {@link #done(String)} may be
     * called from one thread at a time.
     */
    static final class Contents {
        private final SidSet succeeded = new SidSet();
        private final SidSet alreadyEnded = new SidSet();
        private long malformedLines;
        private boolean tornLastLine;
        private boolean empty = true;
        private boolean endsWithNewline = true;

        /** Whether the last outcome recorded for {@code sid} reached the goal ({@code SUCCEEDED}, {@code ALREADY_ENDED}). */
        boolean done(String sid) {
            return succeeded.contains(sid) || alreadyEnded.contains(sid);
        }

        /**
         * The last outcome recorded for {@code sid} when it reached the goal: {@code SUCCEEDED} or
         * {@code ALREADY_ENDED}; {@code null} when {@code sid} is not {@link #done(String) done}.
         */
        BulkResult.Outcome doneOutcome(String sid) {
            return succeeded.contains(sid) ? BulkResult.Outcome.SUCCEEDED
                    : alreadyEnded.contains(sid) ? BulkResult.Outcome.ALREADY_ENDED : null;
        }

        /** How many SIDs are done. */
        long doneCount() {
            return (long) succeeded.size() + alreadyEnded.size();
        }

        /** Lines other than the header, comments, blank lines and a torn last line that could not be read: ignored. */
        long malformedLines() {
            return malformedLines;
        }

        /** Whether the last line was cut short (by a crash, say) and ignored. */
        boolean tornLastLine() {
            return tornLastLine;
        }

        /** Whether there was no journal, or an empty file (a new journal). */
        boolean isEmpty() {
            return empty;
        }

        private void apply(String sid, BulkResult.Outcome outcome) {
            if (outcome == BulkResult.Outcome.SUCCEEDED) {
                succeeded.add(sid);
                alreadyEnded.remove(sid);
            } else if (outcome == BulkResult.Outcome.ALREADY_ENDED) {
                alreadyEnded.add(sid);
                succeeded.remove(sid);
            } else {
                succeeded.remove(sid);
                alreadyEnded.remove(sid);
            }
        }
    }

    private static final Map<String, BulkResult.Outcome> OUTCOMES = new HashMap<>();

    static {
        for (BulkResult.Outcome o : BulkResult.Outcome.values()) {
            OUTCOMES.put(o.name(), o);
        }
    }

    private final FileChannel out;
    private final Contents contents;
    private final long previouslyDone;
    private final AtomicLong forces = new AtomicLong();
    private final ScheduledExecutorService syncer;
    private long lastForceNanos = System.nanoTime();
    private boolean dirty;
    private boolean closed;
    private IOException syncError;

    private Journal(FileChannel out, Contents contents) {
        this.out = out;
        this.contents = contents;
        this.previouslyDone = contents.doneCount();
        this.syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callflux-journal-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the journal at {@code path} for a run of {@code identity}, reading what earlier runs recorded;
     * creates it (with its header) if it does not exist or is empty. Nothing is written to an existing
     * journal that is refused.
     *
     * @throws MismatchException       if the journal belongs to another identity or has no header
     * @throws SidInput.InputException if it cannot be created or read, e.g.
     *                                 {@code "cannot create the journal /x/j.log: no such directory"}
     * @throws IOException             if writing the header fails
     */
    static Journal open(Path path, Identity identity) throws IOException {
        IoMessages.requireWritable(path, "the journal");
        boolean existed = Files.exists(path);
        Contents contents = read(path, identity);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new SidInput.InputException("cannot " + (existed ? "open" : "create") + " the journal " + path + ": "
                    + IoMessages.reason(e));
        }
        Journal journal = new Journal(channel, contents);
        try {
            if (channel.size() == 0) {
                journal.write(identity.header() + '\n');
            } else if (!contents.endsWithNewline) {
                journal.write("\n"); // the torn (or unterminated) last line stays alone on its line
            }
            if (journal.dirty) {
                journal.force();
            }
        } catch (IOException e) {
            journal.syncer.shutdown();
            channel.close();
            throw e;
        }
        journal.syncer.scheduleWithFixedDelay(journal::syncIfDirty, SYNC_INTERVAL_MILLIS, SYNC_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        return journal;
    }

    /**
     * Reads the journal at {@code path} without creating or changing it: empty {@link Contents} if there is
     * no such file (or it is empty).
     *
     * @throws MismatchException       if the journal belongs to another identity or has no header
     * @throws SidInput.InputException if it cannot be read
     */
    static Contents read(Path path, Identity identity) {
        Objects.requireNonNull(identity, "identity");
        Contents c = new Contents();
        if (Files.isDirectory(path)) {
            throw new SidInput.InputException("cannot open the journal " + path + ": is a directory");
        }
        if (!Files.exists(path)) {
            return c;
        }
        try (InputStream in = Files.newInputStream(path)) {
            ByteLines lines = new ByteLines(in, 4096);
            String first = lines.next();
            if (first == null) {
                return c;
            }
            c.empty = false;
            check(path, first.strip(), lines.lastTruncated(), identity);
            c.endsWithNewline = lines.lastTerminated();
            for (String line = lines.next(); line != null; line = lines.next()) {
                boolean last = !lines.lastTerminated();
                c.endsWithNewline = !last;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                BulkResult.Outcome outcome = text.length() > 35 && text.charAt(34) == ',' && !lines.lastTruncated()
                        ? OUTCOMES.get(text.substring(35)) : null;
                if (outcome != null && CallSid.isValid(text.substring(0, 34))) {
                    c.apply(text.substring(0, 34), outcome);
                } else if (last) {
                    c.tornLastLine = true;
                } else {
                    c.malformedLines++;
                }
            }
        } catch (IOException e) {
            throw new SidInput.InputException("cannot read the journal " + path + ": " + IoMessages.reason(e));
        }
        return c;
    }

    /** Refuses a first line that is not the header of {@code identity}. */
    private static void check(Path path, String first, boolean truncated, Identity identity) {
        String journal = "the journal " + path;
        String other = ": use another --journal file";
        if (!first.startsWith(HEADER_START) || truncated) {
            throw new MismatchException(journal + " has no callflux journal header (an older callflux wrote it, or it is"
                    + " not a journal), so nothing says it belongs to " + identity.describe() + other
                    + " (or, if it does belong to this run, add this first line to it: " + identity.header() + ")");
        }
        String[] words = first.split(" ");
        String version = words.length > 3 && words[3].startsWith("v") ? words[3].substring(1) : "";
        if (!version.equals(VERSION)) {
            throw new MismatchException(journal + " was written by another version of callflux (journal v" + version
                    + "), not for " + identity.describe() + other);
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 4; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(words[i].substring(0, eq), decode(words[i].substring(eq + 1)));
            }
        }
        Identity recorded;
        try {
            recorded = new Identity(fields.get("account"), fields.get("endpoint"), fields.get("operation"));
        } catch (RuntimeException e) {
            throw new MismatchException(journal + " has a damaged header (account, endpoint and operation expected),"
                    + " so nothing says it belongs to " + identity.describe() + other);
        }
        if (!recorded.equals(identity)) {
            throw new MismatchException(journal + " belongs to " + recorded.describe() + ", not " + identity.describe() + other);
        }
    }

    /** Whether the last outcome recorded for {@code sid}, by an earlier run or this one, reached the goal. */
    synchronized boolean done(String sid) {
        return contents.done(sid);
    }

    /**
     * The last outcome recorded for {@code sid} when it reached the goal ({@code SUCCEEDED} or
     * {@code ALREADY_ENDED}: what {@link Report#writeSkipped(String, String)} writes); {@code null} when it
     * is not {@link #done(String) done}.
     */
    synchronized BulkResult.Outcome doneOutcome(String sid) {
        return contents.doneOutcome(sid);
    }

    /** How many SIDs earlier runs had done, when the journal was opened. */
    long previouslyDone() {
        return previouslyDone;
    }

    /** Lines of the journal that could not be read when it was opened (ignored); a torn last line not included. */
    long malformedLines() {
        return contents.malformedLines();
    }

    /** Whether the journal's last line was cut short when it was opened (and ignored). */
    boolean tornLastLine() {
        return contents.tornLastLine();
    }

    /** How many times the journal was synced to disk (for tests). */
    long forces() {
        return forces.get();
    }

    /**
     * Records a finished SID ({@code sid,OUTCOME}), written to the operating system at once; synced to disk
     * now if the last sync is more than {@link #SYNC_INTERVAL_MILLIS} old (a timer syncs it otherwise within
     * that time). A result whose SID is not a call SID is not recorded: nothing to resume.
     *
     * @throws IOException if writing or an earlier sync failed
     */
    synchronized void record(BulkResult<?> result) throws IOException {
        if (closed) {
            throw new IOException("journal closed");
        }
        if (syncError != null) {
            throw syncError;
        }
        String sid = result.callSid();
        if (!CallSid.isValid(sid)) {
            return;
        }
        write(sid + ',' + result.outcome().name() + '\n');
        contents.apply(sid, result.outcome());
        if (System.nanoTime() - lastForceNanos >= TimeUnit.MILLISECONDS.toNanos(SYNC_INTERVAL_MILLIS)) {
            force();
        }
    }

    /** Syncs what is written and closes the journal. */
    @Override
    public void close() throws IOException {
        syncer.shutdown(); // no interrupt: an interrupted force would close the channel
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (dirty) {
                    force();
                }
                if (syncError != null) {
                    throw syncError;
                }
            } finally {
                out.close();
            }
        }
    }

    private void write(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
        dirty = true;
    }

    private void force() throws IOException {
        out.force(false);
        dirty = false;
        lastForceNanos = System.nanoTime();
        forces.incrementAndGet();
    }

    private synchronized void syncIfDirty() {
        if (closed || !dirty || syncError != null) {
            return;
        }
        try {
            force();
        } catch (IOException e) {
            syncError = e;
        }
    }

    /** Percent-encodes a space, {@code %}, control and non-ASCII characters (as UTF-8). */
    static String encode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= ' ' || c == '%' || c >= 0x7f) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** The inverse of {@link #encode(String)}; a malformed escape is kept as it is. */
    static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); ) {
            int hi = value.charAt(i) == '%' && i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
            if (hi >= 0 && lo >= 0) {
                bytes.write(hi << 4 | lo);
                i += 3;
            } else {
                int cp = value.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
