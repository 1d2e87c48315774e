package dev.callflux.reactor.bulk;

import java.util.List;
import java.util.function.Consumer;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/** A batch's listeners: each event goes to each of them, and their exceptions are dropped, so that a listener can never cost a command its result. */
final class Listeners {

    private final BulkListener[] listeners;

    Listeners(List<BulkListener> listeners) {
        this.listeners = listeners.toArray(new BulkListener[0]);
    }

    /** Tells every listener, in order; an exception of one goes to Reactor's dropped-error hook. */
    void forEach(Consumer<BulkListener> event) {
        for (BulkListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                Operators.onErrorDropped(e, Context.empty());
            }
        }
    }
}
