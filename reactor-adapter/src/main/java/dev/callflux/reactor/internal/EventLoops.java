package dev.callflux.reactor.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * The event loops a client's connections run on, and which of them (if any) the current thread is: what
 * Netty's internal {@code ThreadExecutorMap} tells, from public API only (a scan of a few loops, each a
 * thread comparison).
 *
 * <p>Internal: not part of CallFlux's API.
 */
public final class EventLoops {

    /** No loops known: {@link #current()} is always {@code null}. */
    public static final EventLoops NONE = new EventLoops(new EventExecutor[0]);

    private final EventExecutor[] executors;

    private EventLoops(EventExecutor[] executors) {
        this.executors = executors;
    }

    /**
     * The loops of {@code group}.
     *
     * @param group the event loop group connections are served by
     * @return its loops, fixed from now on (an event loop group does not change size)
     */
    public static EventLoops of(EventLoopGroup group) {
        List<EventExecutor> loops = new ArrayList<>();
        group.forEach(loops::add);
        return new EventLoops(loops.toArray(new EventExecutor[0]));
    }

    /**
     * The loop the current thread runs.
     *
     * @return that loop, or {@code null} if the current thread is none of them
     */
    public EventExecutor current() {
        for (EventExecutor e : executors) {
            if (e.inEventLoop()) {
                return e;
            }
        }
        return null;
    }
}
