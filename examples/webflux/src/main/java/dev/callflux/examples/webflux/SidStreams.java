package dev.callflux.examples.webflux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;

/**
 * The bulk endpoint's request body as a stream of {@link SidInput}s, read chunk by chunk as it arrives: NDJSON
 * (or plain text) lines, or the elements of a JSON array. Only what one line or one element needs is held.
 *
 * <p>Each network buffer is copied and released at once, so only byte arrays travel through the operators
 * and every buffer is released exactly once, however the stream ends (completion, a malformed body, the
 * client going away). Spring's own streaming decoders were not used here: with Spring Framework 7.0.8 a
 * malformed JSON array decoded as {@code Flux<JsonNode>} released a buffer twice (Netty's
 * {@code IllegalReferenceCountException}, and a corrupted response on the same connection).
 */
final class SidStreams {

    /** The longest NDJSON line, and the longest JSON string, taken: a SID line is about 50 bytes. */
    static final int MAX_LINE_BYTES = 8 * 1024;

    static final String EXPECTED = "expected a call SID: \"CA...\" or {\"sid\": \"CA...\"}";

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_LINE_BYTES)
                    .maxNameLength(MAX_LINE_BYTES)
                    .maxNestingDepth(64)
                    .build())
            .build();

    private SidStreams() {
    }

    /**
     * The body broke off: not valid JSON, or not an array. The message says where, never what was there.
     */
    static final class BodyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyException(String message) {
            super(message, null, false, false);
        }
    }

    /** One SID per line; blank lines are skipped (but counted); a line over {@link #MAX_LINE_BYTES} fails alone. */
    static Flux<SidInput> lines(Flux<DataBuffer> body) {
        return Flux.defer(() -> {
            LineSplitter splitter = new LineSplitter();
            return bytes(body)
                    .concatMapIterable(splitter::feed, 1)
                    .concatWith(Flux.defer(() -> Flux.fromIterable(splitter.end())));
        });
    }

    /**
     * The elements of a top-level JSON array; an element that is not a SID string or an object with a
     * {@code "sid"} string fails alone. A body that is not a JSON array, or stops being valid JSON, ends the
     * stream with a {@link BodyException} after the elements before the fault. An empty body is no elements.
     */
    static Flux<SidInput> jsonArray(Flux<DataBuffer> body) {
        return Flux.defer(() -> {
            ArrayElements elements = new ArrayElements();
            return bytes(body)
                    .concatMap(elements::feed, 1)
                    .concatWith(Flux.defer(elements::end));
        });
    }

    /** Copies each buffer and releases it immediately (see the class comment). */
    private static Flux<byte[]> bytes(Flux<DataBuffer> body) {
        return body.map(buffer -> {
            try {
                byte[] bytes = new byte[buffer.readableByteCount()];
                buffer.read(bytes);
                return bytes;
            } finally {
                DataBufferUtils.release(buffer);
            }
        });
    }

    /** Splits bytes on {@code \n}; each line is decoded as UTF-8 and stripped (so {@code \r\n} works too). */
    private static final class LineSplitter {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        private long number;
        private boolean tooLong;

        List<SidInput> feed(byte[] chunk) {
            List<SidInput> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] == '\n') {
                    append(chunk, start, i - start);
                    finish(out);
                    start = i + 1;
                }
            }
            append(chunk, start, chunk.length - start);
            return out;
        }

        /** The last line, when the body does not end with a line break. */
        List<SidInput> end() {
            List<SidInput> out = new ArrayList<>(1);
            if (line.size() > 0 || tooLong) {
                finish(out);
            }
            return out;
        }

        private void append(byte[] bytes, int offset, int length) {
            if (tooLong || length == 0) {
                return;
            }
            if (line.size() + length > MAX_LINE_BYTES) {
                tooLong = true; // the rest of the line is dropped as it arrives
                line.reset();
                return;
            }
            line.write(bytes, offset, length);
        }

        private void finish(List<SidInput> out) {
            number++;
            if (tooLong) {
                out.add(new SidInput(number, null, "the line is longer than " + MAX_LINE_BYTES + " bytes"));
            } else {
                String text = line.toString(StandardCharsets.UTF_8);
                if (!text.isBlank()) {
                    out.add(SidInput.fromLine(number, text));
                }
            }
            line.reset();
            tooLong = false;
        }
    }

    /**
     * Jackson's non-blocking parser fed chunk by chunk; tracks the nesting depth to find where each element
     * of the top-level array ends, keeping only an object element's {@code "sid"}.
     */
    private static final class ArrayElements {
        private final JsonParser parser = JSON.createNonBlockingByteArrayParser(ObjectReadContext.empty());
        private final ByteArrayFeeder feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
        private boolean started;
        private boolean finished;
        private int depth;
        private long index;
        private boolean objectElement;
        private boolean sidNext;
        private String elementSid;

        Flux<SidInput> feed(byte[] chunk) {
            List<SidInput> out = new ArrayList<>();
            try {
                feeder.feedInput(chunk, 0, chunk.length);
                drain(out);
                return Flux.fromIterable(out);
            } catch (JacksonException e) {
                return Flux.fromIterable(out).concatWith(Flux.error(malformed(e)));
            } catch (BodyException e) {
                return Flux.fromIterable(out).concatWith(Flux.error(e));
            }
        }

        Flux<SidInput> end() {
            List<SidInput> out = new ArrayList<>();
            try {
                feeder.endOfInput();
                drain(out);
            } catch (JacksonException e) {
                return Flux.fromIterable(out).concatWith(Flux.error(malformed(e)));
            } catch (BodyException e) {
                return Flux.fromIterable(out).concatWith(Flux.error(e));
            }
            if (started && !finished) {
                return Flux.fromIterable(out).concatWith(Flux.error(new BodyException("not valid JSON (the array is not closed)")));
            }
            return Flux.fromIterable(out);
        }

        private void drain(List<SidInput> out) {
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                if (finished) {
                    throw new BodyException("not valid JSON (content after the array)");
                }
                if (!started) {
                    if (t != JsonToken.START_ARRAY) {
                        throw new BodyException("must be a JSON array of call SIDs");
                    }
                    started = true;
                    depth = 1;
                } else if (depth == 1) {
                    elementStart(t, out);
                } else {
                    insideElement(t, out);
                }
            }
        }

        private void elementStart(JsonToken t, List<SidInput> out) {
            switch (t) {
                case END_ARRAY -> {
                    finished = true;
                    depth = 0;
                }
                case VALUE_STRING -> out.add(new SidInput(++index, parser.getString(), null));
                case START_OBJECT, START_ARRAY -> {
                    index++;
                    depth = 2;
                    objectElement = t == JsonToken.START_OBJECT;
                    sidNext = false;
                    elementSid = null;
                }
                default -> out.add(new SidInput(++index, null, EXPECTED)); // a number, null, true, false
            }
        }

        private void insideElement(JsonToken t, List<SidInput> out) {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
                sidNext = false;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
                if (depth == 1) {
                    out.add(objectElement && elementSid != null
                            ? new SidInput(index, elementSid, null)
                            : new SidInput(index, null, EXPECTED));
                }
            } else if (depth == 2 && objectElement && t == JsonToken.PROPERTY_NAME) {
                sidNext = "sid".equals(parser.currentName());
            } else {
                if (depth == 2 && sidNext && t == JsonToken.VALUE_STRING) {
                    elementSid = parser.getString();
                }
                sidNext = false;
            }
        }

        private static BodyException malformed(JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return new BodyException("not valid JSON (malformed" + where + ")");
        }
    }
}
