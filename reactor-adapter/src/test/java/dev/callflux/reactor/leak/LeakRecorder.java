package dev.callflux.reactor.leak;

import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import io.netty.util.internal.StringUtil;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes Netty's leak detectors remember what they report. Netty only logs a leak (a buffer collected by the
 * GC without being released), which no test would notice; installed as Netty's detector factory, this
 * keeps every report so that {@link NettyLeakCheck} can fail the build with it. The {@link #global()}
 * recorder still logs them as Netty does.
 */
public final class LeakRecorder extends ResourceLeakDetectorFactory {

    /** One leak Netty reported: the kind of resource and, when it was traced, where it was last touched. */
    public record Leak(String resourceType, String records) {
        @Override
        public String toString() {
            return "LEAK: " + resourceType + " released by no one"
                    + (records.isEmpty() ? " (no access records)" : records);
        }
    }

    private static final LeakRecorder GLOBAL = new LeakRecorder(true);
    private static boolean installed;

    private final boolean log;
    private final List<Leak> leaks = new CopyOnWriteArrayList<>();
    private final List<ResourceLeakDetector<?>> detectors = new CopyOnWriteArrayList<>();

    /** A recorder of its own, which does not log what it records: for trying the recorder out. */
    public LeakRecorder() {
        this(false);
    }

    private LeakRecorder(boolean log) {
        this.log = log;
    }

    /** The recorder Netty uses in this JVM once {@link #installGlobally()} has run. */
    public static LeakRecorder global() {
        return GLOBAL;
    }

    /**
     * Installs {@link #global()} as Netty's detector factory.
     *
     * @throws IllegalStateException if Netty's buffer classes were used before: their detector already
     *                               exists and would never report to this recorder
     */
    public static synchronized void installGlobally() {
        if (installed) {
            return;
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(GLOBAL);
        try {
            // The buffers' one detector is made when this class initialises.
            Class.forName("io.netty.buffer.AbstractByteBuf", true, LeakRecorder.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        if (!GLOBAL.watches(ByteBuf.class)) {
            throw new IllegalStateException("Netty's ByteBuf leak detector was made before the LeakRecorder was"
                    + " installed: leaked buffers would go unnoticed. Install it before anything touches Netty.");
        }
        installed = true;
    }

    /** Whether {@link #installGlobally()} has succeeded. */
    public static synchronized boolean isInstalled() {
        return installed;
    }

    /** Whether a detector was made by this recorder for {@code resource}. */
    public boolean watches(Class<?> resource) {
        String name = StringUtil.simpleClassName(resource);
        return detectors.stream().anyMatch(d -> d instanceof Recording<?> r && r.type.equals(name));
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        Recording<T> detector = new Recording<>(resource, samplingInterval);
        detectors.add(detector);
        return detector;
    }

    /** Netty's older entry point; {@code maxActive} no longer means anything to it. */
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return newResourceLeakDetector(resource, samplingInterval);
    }

    /**
     * Makes every detector report now what the GC found unreleased. A detector learns of a leak only when
     * the GC has collected the leaked object and the detector is next asked to track something, so this
     * collects garbage, waits for the collected references to be queued, then asks each detector to track
     * (and at once release) a probe object.
     */
    public void collect() throws InterruptedException {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        for (int round = 0; round < 3; round++) {
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            System.gc();
            // The JVM's reference handler queues what a GC cleared in batches, one after the other: once this
            // round's sentinel is queued, everything cleared by earlier rounds is too.
            queue.remove(2_000);
            Reference.reachabilityFence(sentinel);
        }
        for (ResourceLeakDetector<?> detector : detectors) {
            poll(detector);
        }
    }

    /** The leaks reported since the last call, which are forgotten. */
    public synchronized List<Leak> drain() {
        List<Leak> drained = new ArrayList<>(leaks);
        leaks.removeAll(drained);
        return drained;
    }

    @SuppressWarnings("unchecked")
    private static <T> void poll(ResourceLeakDetector<T> detector) {
        // Detectors are typed only at compile time; the probe is held weakly and released at once.
        T probe = (T) new Object();
        ResourceLeakTracker<T> tracker = detector.trackForcibly(probe);
        tracker.close(probe);
    }

    private final class Recording<T> extends ResourceLeakDetector<T> {
        final String type;

        Recording(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
            this.type = StringUtil.simpleClassName(resource);
        }

        /** Netty skips reporting when its logger is off; these reports are for the build, not the log. */
        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            leaks.add(new Leak(resourceType, records));
            if (log) {
                super.reportTracedLeak(resourceType, records);
            }
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            leaks.add(new Leak(resourceType, ""));
            if (log) {
                super.reportUntracedLeak(resourceType);
            }
        }
    }
}
