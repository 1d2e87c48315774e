package dev.callflux.reactor;

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
        BlockHound.install();
    }
}
