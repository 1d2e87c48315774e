package dev.callflux.core.encoding;

import dev.callflux.core.model.UpdateCallParameter;
import dev.callflux.core.model.UpdateCallRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes an {@link UpdateCallRequest} as an {@code application/x-www-form-urlencoded} body in UTF-8:
 * Twilio's parameter names, parameters that are not set left out, always in {@link UpdateCallParameter}
 * order. Bytes other than ASCII letters, digits and {@code -._*} are percent-encoded (upper-case hex);
 * a space becomes {@code +}. This is what {@link java.net.URLEncoder} and browsers produce, byte for byte.
 */
public final class FormEncoder {

    /** The media type of the encoded body. */
    public static final String CONTENT_TYPE = "application/x-www-form-urlencoded; charset=UTF-8";

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
            UNRESERVED[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c : "-._*".toCharArray()) {
            UNRESERVED[c] = true;
        }
    }

    private FormEncoder() {
    }

    /**
     * The form body of {@code request}.
     *
     * @param request the request to encode
     * @return the body, pure ASCII; never empty, since a request has at least one parameter
     */
    public static byte[] encode(UpdateCallRequest request) {
        List<Map.Entry<UpdateCallParameter, String>> params = request.parameters();
        byte[] out = new byte[64];
        int n = 0;
        for (int i = 0; i < params.size(); i++) {
            Map.Entry<UpdateCallParameter, String> p = params.get(i);
            byte[] name = p.getKey().wireName().getBytes(StandardCharsets.US_ASCII);
            byte[] value = p.getValue().getBytes(StandardCharsets.UTF_8);
            // Worst case: every value byte becomes %XX.
            int needed = n + 2 + name.length + value.length * 3;
            if (needed > out.length) {
                out = Arrays.copyOf(out, Math.max(needed, out.length * 2));
            }
            if (i > 0) {
                out[n++] = '&';
            }
            System.arraycopy(name, 0, out, n, name.length);
            n += name.length;
            out[n++] = '=';
            n = percentEncode(value, out, n);
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The form body of {@code request} as text (it is pure ASCII), e.g. for a dry run.
     *
     * @param request the request to encode
     * @return the body, e.g. {@code Status=completed}
     */
    public static String encodeToString(UpdateCallRequest request) {
        return new String(encode(request), StandardCharsets.US_ASCII);
    }

    private static int percentEncode(byte[] value, byte[] out, int n) {
        for (byte b : value) {
            if (b >= 0 && UNRESERVED[b]) {
                out[n++] = b;
            } else if (b == ' ') {
                out[n++] = '+';
            } else {
                out[n++] = '%';
                out[n++] = HEX[(b >> 4) & 0xF];
                out[n++] = HEX[b & 0xF];
            }
        }
        return n;
    }
}
