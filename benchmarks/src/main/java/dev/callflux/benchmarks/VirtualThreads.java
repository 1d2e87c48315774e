package dev.callflux.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code Executors.newVirtualThreadPerTaskExecutor()}, looked up at run time: the module is compiled with
 * {@code --release 17} (the build's JDK and CI's), and the virtual-thread drivers run on Java 21 or later.
 */
public final class VirtualThreads {

    private VirtualThreads() {
    }

    /** Whether this JVM has virtual threads (Java 21+). */
    public static boolean available() {
        return factory() != null;
    }

    /**
     * A new executor that starts one virtual thread per task.
     *
     * @throws UnsupportedOperationException on a JVM without virtual threads (before Java 21)
     */
    public static ExecutorService newThreadPerTaskExecutor() {
        MethodHandle h = factory();
        if (h == null) {
            throw new UnsupportedOperationException("virtual threads need Java 21 or later; this is Java "
                    + Runtime.version() + " (run the virtual-thread driver with JAVA25_HOME's java)");
        }
        try {
            return (ExecutorService) h.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle factory() {
        try {
            return MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }
}
