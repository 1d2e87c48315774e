package dev.callflux.reactor.leak;

import io.netty.util.ResourceLeakDetector;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Turns Netty's leak detection on for the whole test run, before any test touches Netty: every buffer is
 * tracked (PARANOID, unless {@code io.netty.leakDetection.level} says otherwise, as the build's argLine
 * does) and every leak is recorded by {@link LeakRecorder}, for {@link NettyLeakCheck} to fail the build.
 */
public final class NettyLeakDetection implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Run from an IDE without the build's argLine: still track every buffer.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        LeakRecorder.installGlobally();
    }
}
