package dev.callflux.reactor.leak;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a leaked buffer turns the build red, without leaking in this JVM: the recorder is tried on a
 * resource type of its own here, and the whole mechanism (session listener, autodetected check, Netty's
 * allocator) on a deliberately leaking test class in a child JVM.
 */
class LeakDetectionTest {

    /** A resource only this test tracks. */
    static final class DeliberatelyLeaked {
    }

    @Test
    void theSuiteRunsWithEveryBufferTracked() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        assertThat(LeakRecorder.isInstalled()).isTrue();
        assertThat(LeakRecorder.global().watches(io.netty.buffer.ByteBuf.class)).isTrue();
    }

    @Test
    void aCollectedUnreleasedResourceIsRecordedWithItsAccessRecords() throws InterruptedException {
        LeakRecorder recorder = new LeakRecorder();
        ResourceLeakDetector<DeliberatelyLeaked> detector = recorder.newResourceLeakDetector(DeliberatelyLeaked.class, 1);
        trackAndDrop(detector, true);
        DeliberatelyLeaked kept = new DeliberatelyLeaked();
        detector.trackForcibly(kept).close(kept);

        recorder.collect();

        List<LeakRecorder.Leak> leaks = recorder.drain();
        assertThat(leaks).singleElement().satisfies(leak -> {
            assertThat(leak.resourceType()).isEqualTo("LeakDetectionTest$DeliberatelyLeaked");
            assertThat(leak.records()).contains("trackAndDrop");
            assertThat(leak.toString()).startsWith("LEAK: LeakDetectionTest$DeliberatelyLeaked released by no one");
        });
        assertThat(recorder.drain()).as("a leak is reported once").isEmpty();
    }

    @Test
    void releasedResourcesAreNotLeaks() throws InterruptedException {
        LeakRecorder recorder = new LeakRecorder();
        ResourceLeakDetector<DeliberatelyLeaked> detector = recorder.newResourceLeakDetector(DeliberatelyLeaked.class, 1);
        trackAndDrop(detector, false);
        recorder.collect();
        assertThat(recorder.drain()).isEmpty();
    }

    private static void trackAndDrop(ResourceLeakDetector<DeliberatelyLeaked> detector, boolean leak) {
        DeliberatelyLeaked resource = new DeliberatelyLeaked();
        var tracker = detector.trackForcibly(resource);
        tracker.record();
        if (!leak) {
            tracker.close(resource);
        }
    }

    @Test
    void aTestClassThatLeaksANettyBufferFails(@TempDir Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("fixtures.out");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+AllowRedefinitionToAddDeleteMethods", "-Xshare:off", // BlockHound, installed by the session
                "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-Dio.netty.leakDetection.level=paranoid",
                "-Dcallflux.leakFixture=true",
                "-cp", System.getProperty("java.class.path"),
                FixtureRunner.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(exited).as("child JVM exited; output:%n%s", output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();

        assertThat(output).as(output)
                .contains("CLASS " + LeakyFixture.class.getName() + " FAILED")
                .contains("Netty reported 1 leaked resource(s) by the end of " + LeakyFixture.class.getName())
                .contains("LEAK: ByteBuf released by no one")
                .contains("LeakyFixture.leaksABuffer")
                .contains("CLASS " + CleanFixture.class.getName() + " SUCCESSFUL");
    }
}
