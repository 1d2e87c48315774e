package dev.callflux.reactor.bulk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * An asynchronous semaphore whose size adapts to Twilio's answers (AIMD with slow start): it doubles per
 * round of successes until the first 429, then grows by one per round; a 429 cuts it by a third, at most
 * once per round (the 429s of requests sent before the cut say nothing new). It stays between 1 and
 * {@code max}. Fixed when not adaptive. Waiters are served first come, first served.
 */
final class ConcurrencyLimit {

    static final double DECREASE_FACTOR = 0.7;

    /** What an attempt's answer says about the limit. */
    enum Signal { SUCCESS, RATE_LIMITED, NEUTRAL }

    /** Leave to send one request; carries the round it was granted in. */
    static final class Permit {
        final long round;

        Permit(long round) {
            this.round = round;
        }
    }

    private final int max;
    private final boolean adaptive;
    private final IntConsumer onLimitChanged;
    private final ArrayDeque<MonoSink<Permit>> waiters = new ArrayDeque<>();
    private double limit;
    private boolean slowStart = true;
    private long round;
    private int inFlight;

    ConcurrencyLimit(int max, boolean adaptive, int initial, IntConsumer onLimitChanged) {
        this.max = max;
        this.adaptive = adaptive;
        this.limit = adaptive ? Math.min(initial, max) : max;
        this.onLimitChanged = onLimitChanged;
    }

    /** A permit as soon as one is free; cancelling the wait gives up the place in line. */
    Mono<Permit> acquire() {
        Mono<Permit> wait = Mono.create(sink -> {
            Permit granted = null;
            synchronized (this) {
                if (waiters.isEmpty() && inFlight < (int) limit) {
                    inFlight++;
                    granted = new Permit(round);
                } else {
                    waiters.add(sink);
                }
            }
            if (granted != null) {
                sink.success(granted);
            } else {
                sink.onCancel(() -> {
                    synchronized (this) {
                        waiters.remove(sink);
                    }
                });
            }
        });
        // A permit granted to a waiter that was cancelled at the same moment is handed back, not lost.
        return wait.doOnDiscard(Permit.class, p -> release(p, Signal.NEUTRAL));
    }

    /** Returns a permit with what its request's answer said. */
    void release(Permit permit, Signal signal) {
        List<MonoSink<Permit>> grant;
        int changedTo = -1;
        List<Permit> permits;
        synchronized (this) {
            inFlight--;
            int before = (int) limit;
            if (adaptive) {
                if (signal == Signal.SUCCESS) {
                    limit = Math.min(max, limit + (slowStart ? 1 : 1 / limit));
                } else if (signal == Signal.RATE_LIMITED && permit.round == round) {
                    slowStart = false;
                    limit = Math.max(1, limit * DECREASE_FACTOR);
                    round++;
                }
            }
            if ((int) limit != before) {
                changedTo = (int) limit;
            }
            grant = new ArrayList<>();
            permits = new ArrayList<>();
            while (!waiters.isEmpty() && inFlight < (int) limit) {
                inFlight++;
                grant.add(waiters.poll());
                permits.add(new Permit(round));
            }
        }
        if (changedTo >= 0) {
            onLimitChanged.accept(changedTo);
        }
        for (int i = 0; i < grant.size(); i++) {
            grant.get(i).success(permits.get(i));
        }
    }

    synchronized int limit() {
        return (int) limit;
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
