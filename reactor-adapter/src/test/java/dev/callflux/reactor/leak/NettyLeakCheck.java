package dev.callflux.reactor.leak;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a leaked buffer by its end. Registered for every test class of
 * this module (junit-platform.properties turns on extension autodetection; see
 * META-INF/services/org.junit.jupiter.api.extension.Extension). A leak surfaces only once the GC collects
 * the buffer, so {@link LeakRecorder#collect()} forces that first; a leak noticed late (reported while a
 * later class ran) fails that later class, with the leaked buffer's access records pointing at the code.
 */
public final class NettyLeakCheck implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (context.getRequiredTestClass().getEnclosingClass() != null) {
            return; // a @Nested class: its outer class checks once for all
        }
        if (!LeakRecorder.isInstalled()) {
            throw new AssertionError("Netty leak detection is not installed: " + NettyLeakDetection.class.getName()
                    + " must be listed in META-INF/services/org.junit.platform.launcher.LauncherSessionListener");
        }
        LeakRecorder recorder = LeakRecorder.global();
        recorder.collect();
        List<LeakRecorder.Leak> leaks = recorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leaked resource(s) by the end of "
                    + context.getRequiredTestClass().getName() + " (allocated there or in a class run before it):\n"
                    + leaks.stream().map(LeakRecorder.Leak::toString).collect(Collectors.joining("\n\n")));
        }
    }
}
