package dev.callflux.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stoplight Prism in mock mode, serving Twilio's official OpenAPI document on a loopback port. Prism
 * validates each request against the document and answers 422 when it breaks it; otherwise it answers
 * with the document's example.
 */
final class Prism implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 180;

    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();

    private Prism(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Prism start() throws IOException, InterruptedException {
        Path executable = Path.of(System.getProperty("prism.executable", "node_modules/.bin/prism"));
        Path spec = Path.of(System.getProperty("prism.spec", "twilio-oai/twilio_api_v2010.json"));
        if (!Files.isExecutable(executable) || !Files.isReadable(spec)) {
            throw new IllegalStateException("Prism or the OpenAPI document is missing (" + executable + ", " + spec
                    + "): run the suite with 'mvn verify -Pconformance', which installs Prism with npm ci");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder(executable.toString(), "mock", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--errors", "false", spec.toString())
                .redirectErrorStream(true)
                .start();
        Prism prism = new Prism(p, port);
        CompletableFuture<Boolean> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("Prism is listening")) {
                        listening.complete(true);
                    }
                    if (line.contains("error") || line.contains("warn") || line.contains("listening")) {
                        prism.output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(new UncheckedIOException(e));
            }
            listening.complete(false);
        }, "prism-output");
        reader.setDaemon(true);
        reader.start();
        boolean up;
        try {
            up = listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            up = false;
        }
        if (!up) {
            prism.close();
            throw new IllegalStateException("Prism did not start within " + START_TIMEOUT_SECONDS + " s:\n" + prism.output);
        }
        return prism;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
