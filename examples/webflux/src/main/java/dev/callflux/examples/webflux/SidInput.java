package dev.callflux.examples.webflux;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One SID of the bulk endpoint's input, with its position. The SID is kept as given: CallFlux checks it when
 * its command runs, so a malformed SID becomes a FAILED result for that line instead of failing the request.
 * An entry that holds no SID at all (bad JSON, an object without a {@code "sid"} string, a number) has
 * {@code sid == null} and says why in {@link #problem()}.
 *
 * @param line    the position in the input, from 1: the NDJSON line number, or the array element number
 * @param sid     the SID as given, or {@code null} when none could be read
 * @param problem why no SID could be read, or {@code null}
 */
record SidInput(long line, String sid, String problem) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A line of NDJSON (or plain text): a raw SID ({@code CA...}), a JSON string ({@code "CA..."}) or an
     * object ({@code {"sid": "CA..."}}). Surrounding whitespace is ignored.
     */
    static SidInput fromLine(long line, String text) {
        String t = text.strip();
        if (!(t.startsWith("\"") || t.startsWith("{") || t.startsWith("["))) {
            return new SidInput(line, t, null);
        }
        JsonNode node;
        try {
            node = JSON.readTree(t);
        } catch (JacksonException e) {
            return new SidInput(line, null, "not valid JSON");
        }
        if (node.isString()) {
            return new SidInput(line, node.stringValue(), null);
        }
        if (node.isObject() && node.path("sid").isString()) {
            return new SidInput(line, node.path("sid").stringValue(), null);
        }
        return new SidInput(line, null, SidStreams.EXPECTED);
    }
}
