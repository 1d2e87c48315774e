package dev.callflux.spring.autoconfigure;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound once, before any test of this module runs: any blocking call on a Reactor or
 * Netty non-blocking thread then fails the test that made it.
 */
public final class BlockHoundInstaller implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        BlockHound.install(builder -> builder
                // Netty 4.2's default allocator takes a StampedLock when it grows its magazines under
                // contention: a short lock internal to Netty, not I/O. Netty's own BlockHound integration does
                // not list it yet; other projects whitelist it the same way (armeria#6344).
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free"));
    }
}
