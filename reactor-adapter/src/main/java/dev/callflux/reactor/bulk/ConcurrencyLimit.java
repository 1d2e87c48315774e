package dev.callflux.reactor.bulk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * An asynchronous semaphore whose size adapts to Twilio's answers (AIMD with slow start): it doubles per
 * round of answers served (successes; 4xx answers but 401/403) until the first 429, then grows by one per round; a 429 cuts it by a third, at most
 * once per round (the 429s of requests sent before the cut say nothing new). It stays between 1 and
 * {@code max}. Fixed when not adaptive. Waiters are served first come, first served.
 * A command waits with {@link #tryAcquire(Waiter)} and gets its permit by a callback.
 */
final class ConcurrencyLimit {

    static final double DECREASE_FACTOR = 0.7;

    /** What an attempt's answer says about the limit. */
    enum Signal { SUCCESS, RATE_LIMITED, NEUTRAL }

    /** Leave to send one request; carries the round it was granted in. Immutable: shared within a round. */
    static final class Permit {
        final long round;

        Permit(long round) {
            this.round = round;
        }
    }

    /** Someone waiting for a permit. */
    interface Waiter {
        /** The permit, granted outside the limit's lock, on the thread that released one. */
        void onPermit(Permit permit);
    }

    private final int max;
    private final boolean adaptive;
    private final IntConsumer onLimitChanged;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private double limit;
    private boolean slowStart = true;
    private long round;
    private Permit current = new Permit(0);
    private int inFlight;

    ConcurrencyLimit(int max, boolean adaptive, int initial, IntConsumer onLimitChanged) {
        this.max = max;
        this.adaptive = adaptive;
        this.limit = adaptive ? Math.min(initial, max) : max;
        this.onLimitChanged = onLimitChanged;
    }

    /**
     * A permit now, or {@code null} and {@code waiter} is queued: it gets one by {@link Waiter#onPermit}
     * when its turn comes, unless it gives up its place with {@link #cancel(Waiter)} first.
     */
    Permit tryAcquire(Waiter waiter) {
        synchronized (this) {
            if (waiters.isEmpty() && inFlight < (int) limit) {
                inFlight++;
                return current;
            }
            waiters.add(waiter);
            return null;
        }
    }

    /**
     * Gives up a waiter's place in line.
     *
     * @return false if it was not waiting (any more): a permit was or is being granted to it
     */
    boolean cancel(Waiter waiter) {
        synchronized (this) {
            return waiters.remove(waiter);
        }
    }

    /** Returns a permit with what its request's answer said. */
    void release(Permit permit, Signal signal) {
        Waiter first = null;
        List<Waiter> more = null;
        int changedTo = -1;
        Permit granted;
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
                    current = new Permit(round);
                }
            }
            if ((int) limit != before) {
                changedTo = (int) limit;
            }
            granted = current;
            while (!waiters.isEmpty() && inFlight < (int) limit) {
                inFlight++;
                Waiter w = waiters.poll();
                if (first == null) {
                    first = w;
                } else {
                    if (more == null) {
                        more = new ArrayList<>();
                    }
                    more.add(w);
                }
            }
        }
        if (changedTo >= 0) {
            onLimitChanged.accept(changedTo);
        }
        if (first != null) {
            first.onPermit(granted);
            if (more != null) {
                for (Waiter w : more) {
                    w.onPermit(granted);
                }
            }
        }
    }

    synchronized int limit() {
        return (int) limit;
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
