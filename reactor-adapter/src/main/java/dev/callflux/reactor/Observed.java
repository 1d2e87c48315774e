package dev.callflux.reactor;

import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.internal.UpdateCallTransport;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/** Wraps an exchange so that the client's {@link UpdateObserver}s hear of it; a failing observer is only logged. */
final class Observed {

    private static final Logger LOG = Loggers.getLogger(UpdateObserver.class);

    private Observed() {
    }

    static <R> Mono<R> exchange(UpdateCallTransport transport, List<UpdateObserver> observers, AccountSid account,
                                CallSid call, UpdateCallRequest request, UpdateCallTransport.Handler<R> handler) {
        if (observers.isEmpty()) {
            return transport.exchange(account, call, request, handler);
        }
        return Mono.deferContextual(context -> {
            Attempts attempts = new Attempts(observers.size());
            for (UpdateObserver observer : observers) {
                try {
                    UpdateObserver.Attempt a = observer.onRequest(account, call, request, context);
                    attempts.add(a == null ? UpdateObserver.Attempt.IGNORED : a);
                } catch (RuntimeException e) {
                    logged(e);
                }
            }
            return transport.exchange(account, call, request, (status, headers, c) -> {
                        attempts.succeeded(status, c);
                        return handler.onResponse(status, headers, c);
                    })
                    .doOnError(attempts::failed)
                    .doOnCancel(attempts::cancelled);
        });
    }

    private static void logged(RuntimeException e) {
        LOG.warn("an UpdateObserver failed; the request goes on: {}", e.toString());
    }

    /** The attempts of one request; the first ending wins, the others are not reported. */
    private static final class Attempts extends AtomicBoolean {
        private final UpdateObserver.Attempt[] attempts;
        private int size;

        Attempts(int capacity) {
            this.attempts = new UpdateObserver.Attempt[capacity];
        }

        void add(UpdateObserver.Attempt a) {
            attempts[size++] = a;
        }

        void succeeded(int status, Call call) {
            end(a -> a.succeeded(status, call));
        }

        void failed(Throwable error) {
            end(a -> a.failed(error));
        }

        void cancelled() {
            end(UpdateObserver.Attempt::cancelled);
        }

        private void end(Consumer<UpdateObserver.Attempt> how) {
            if (compareAndSet(false, true)) {
                for (int i = 0; i < size; i++) {
                    try {
                        how.accept(attempts[i]);
                    } catch (RuntimeException e) {
                        logged(e);
                    }
                }
            }
        }
    }
}
