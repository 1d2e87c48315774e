package dev.callflux.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A JFR recording of the measured phase only: JDK's {@code profile} settings, with Java execution sampled
 * every millisecond (the settings' 10 ms gives too few samples for a run of seconds) and allocation
 * sampling at its highest rate.
 */
final class JfrSession {

    private final Recording recording;
    private final Path file;

    private JfrSession(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static JfrSession start(Path file) throws IOException, ParseException {
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.setName("callflux-load");
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
        r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
        r.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s");
        r.setToDisk(true);
        r.start();
        return new JfrSession(r, file);
    }

    void stop() throws IOException {
        recording.stop();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        recording.dump(file);
        recording.close();
    }
}
