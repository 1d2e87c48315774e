package dev.callflux.reactor.leak;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Main class of the child JVM of {@link LeakDetectionTest}: runs the fixtures through the JUnit Platform as
 * the build does (the same session listeners and autodetected extensions) and prints one
 * {@code CLASS <name> <status>} line per test class, followed by its failure.
 */
public final class FixtureRunner {

    private FixtureRunner() {
    }

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(LeakyFixture.class), selectClass(CleanFixture.class))
                .build();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher().execute(request, new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                    if (id.getSource().orElse(null) instanceof ClassSource source) {
                        System.out.println("CLASS " + source.getClassName() + ' ' + result.getStatus());
                        result.getThrowable().ifPresent(t -> System.out.println(t.getMessage()));
                    }
                }
            });
        }
    }
}
