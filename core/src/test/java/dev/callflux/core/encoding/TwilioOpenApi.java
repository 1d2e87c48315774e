package dev.callflux.core.encoding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Twilio's official OpenAPI description of API v2010 (MIT, a verbatim copy under
 * {@code conformance/twilio-oai/} of the repository, copied to the test classpath, see SOURCE.txt there), read once per test run. Tests take
 * examples and schemas from it rather than from hand-copied JSON, so they check against what Twilio
 * publishes.
 */
final class TwilioOpenApi {

    static final String RESOURCE = "/twilio-oai/twilio_api_v2010.json";
    static final String UPDATE_CALL_PATH = "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json";
    static final String CALL_SCHEMA = "api.v2010.account.call";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile JsonNode root;

    private TwilioOpenApi() {
    }

    static JsonNode root() {
        JsonNode r = root;
        if (r == null) {
            try (InputStream in = TwilioOpenApi.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the test classpath");
                }
                r = MAPPER.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            root = r;
        }
        return r;
    }

    static JsonNode updateCall() {
        return root().path("paths").path(UPDATE_CALL_PATH).path("post");
    }

    /** The 200 response examples of UpdateCall by name, each as its JSON text. */
    static Map<String, String> updateCallExamples() {
        JsonNode examples = updateCall().path("responses").path("200").path("content")
                .path("application/json").path("examples");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : examples.properties()) {
            out.put(e.getKey(), e.getValue().path("value").toString());
        }
        return out;
    }

    /** The property names of the Call schema. */
    static Set<String> callSchemaProperties() {
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> e : root().path("components").path("schemas").path(CALL_SCHEMA)
                .path("properties").properties()) {
            names.add(e.getKey());
        }
        return names;
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
