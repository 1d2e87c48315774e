package dev.callflux.reactor.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.reactor.bulk.ConcurrencyLimit.Permit;
import dev.callflux.reactor.bulk.ConcurrencyLimit.Signal;
import dev.callflux.reactor.bulk.ConcurrencyLimit.Waiter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {

    /** A permit now, or {@code null} if none is free (then nothing waits for one). */
    private static Permit take(ConcurrencyLimit limit) {
        Waiter none = p -> {
            throw new AssertionError("not waiting");
        };
        Permit p = limit.tryAcquire(none);
        limit.cancel(none);
        return p;
    }

    /** Waits for a permit: {@code waiter} gets it now or when its turn comes. */
    private static void await(ConcurrencyLimit limit, Waiter waiter) {
        Permit p = limit.tryAcquire(waiter);
        if (p != null) {
            waiter.onPermit(p);
        }
    }

    @Test
    void grantsUpToTheLimitThenQueuesFirstComeFirstServed() {
        ConcurrencyLimit limit = new ConcurrencyLimit(2, false, 2, l -> { });
        Permit a = take(limit);
        Permit b = take(limit);
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        List<String> order = new ArrayList<>();
        await(limit, p -> order.add("first"));
        await(limit, p -> order.add("second"));
        assertThat(order).isEmpty();
        limit.release(a, Signal.NEUTRAL);
        assertThat(order).containsExactly("first");
        limit.release(b, Signal.NEUTRAL);
        assertThat(order).containsExactly("first", "second");
        assertThat(limit.inFlight()).isEqualTo(2);
    }

    @Test
    void slowStartDoublesPerRoundThenA429CutsByAThirdOncePerRound() {
        List<Integer> changes = new ArrayList<>();
        ConcurrencyLimit limit = new ConcurrencyLimit(100, true, 4, changes::add);
        for (int i = 0; i < 4; i++) {
            limit.release(take(limit), Signal.SUCCESS);
        }
        assertThat(limit.limit()).isEqualTo(8);
        List<Permit> round = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            round.add(take(limit));
        }
        limit.release(round.get(0), Signal.RATE_LIMITED);
        assertThat(limit.limit()).isEqualTo(5); // 8 × 0.7
        limit.release(round.get(1), Signal.RATE_LIMITED); // same round: no second cut
        assertThat(limit.limit()).isEqualTo(5);
        // After slow start, growth is one per round of successes (1/limit per success).
        for (int i = 2; i < 8; i++) {
            limit.release(round.get(i), Signal.SUCCESS);
        }
        assertThat(limit.limit()).isEqualTo(6);
        assertThat(changes).startsWith(5, 6, 7, 8).contains(5, 6);
    }

    @Test
    void neverBelowOneNorAboveMax() {
        ConcurrencyLimit limit = new ConcurrencyLimit(3, true, 3, l -> { });
        for (int i = 0; i < 20; i++) {
            limit.release(take(limit), Signal.SUCCESS);
        }
        assertThat(limit.limit()).isEqualTo(3);
        for (int i = 0; i < 20; i++) {
            limit.release(take(limit), Signal.RATE_LIMITED);
        }
        assertThat(limit.limit()).isEqualTo(1);
    }

    @Test
    void aCancelledWaiterGivesUpItsPlace() {
        ConcurrencyLimit limit = new ConcurrencyLimit(1, false, 1, l -> { });
        Permit held = take(limit);
        List<String> got = new ArrayList<>();
        Waiter gaveUp = p -> got.add("cancelled one");
        await(limit, gaveUp);
        await(limit, p -> got.add("patient one"));
        limit.cancel(gaveUp);
        limit.release(held, Signal.NEUTRAL);
        assertThat(got).containsExactly("patient one");
        assertThat(limit.inFlight()).isEqualTo(1);
    }
}
