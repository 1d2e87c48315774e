package dev.callflux.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 by hand over a plain socket, for faults the JDK's HttpClient hides: exactly which bytes came
 * before a reset or a close, and whether a kept-alive connection is closed by the server.
 */
final class RawHttp implements AutoCloseable {

    final Socket socket;
    final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A connection to the simulator with a read timeout. */
    static RawHttp connect(TwilioSimulator sim, int readTimeoutMillis) {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", sim.port()), 5_000);
            s.setSoTimeout(readTimeoutMillis);
            return new RawHttp(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one UpdateCall POST (keep-alive) with the simulator's credentials. */
    RawHttp post(TwilioSimulator sim, String callSid, String form) {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + SimHttp.path(sim.accountSid(), callSid) + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + sim.port() + "\r\n"
                + "Authorization: " + SimHttp.basic(sim.accountSid(), sim.authToken()) + "\r\n"
                + "Content-Type: " + SimHttp.FORM + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "\r\n";
        try {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The status line and headers, up to and without the empty line; throws if the connection ends first. */
    String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("end of stream after " + b.size() + " bytes of head");
            }
            b.write(c);
            matched = c == end[matched] ? matched + 1 : c == '\r' ? 1 : 0;
        }
        String s = b.toString(StandardCharsets.US_ASCII);
        return s.substring(0, s.length() - 4);
    }

    static int status(String head) {
        return Integer.parseInt(head.substring(9, 12));
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Exactly {@code n} bytes of body. */
    byte[] readBody(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Everything until the server closes the connection (returns normally on FIN, throws on a reset). */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
