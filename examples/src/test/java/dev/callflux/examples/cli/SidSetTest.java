package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SidSetTest {

    private static String sid(long hi, long lo) {
        return String.format("CA%016x%016x", hi, lo);
    }

    @Test
    void addSaysWhetherTheSidWasNewSoASidListedTwiceIsSentOnce() {
        SidSet set = new SidSet();
        assertThat(set.add(sid(1, 2))).isTrue();
        assertThat(set.add(sid(1, 2))).isFalse();
        String lower = sid(0xab, 0xcd);
        assertThat(set.add(lower)).isTrue();
        assertThat(set.add("CA" + lower.substring(2).toUpperCase())).as("hex digits in any case: the same 128 bits").isFalse();
        assertThat(set.size()).isEqualTo(2);
        assertThat(set.contains(sid(1, 2))).isTrue();
        assertThat(set.contains("nope")).isFalse();
        assertThat(set.contains(null)).isFalse();
        assertThatThrownBy(() -> set.add("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void behavesLikeAHashSetThroughGrowthAndRemovals() {
        Random random = new Random(42);
        SidSet set = new SidSet();
        Set<String> reference = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            // few distinct values: many collisions, long clusters, removals inside them
            String sid = sid(random.nextInt(64), random.nextInt(2_000));
            if (random.nextInt(3) == 0) {
                assertThat(set.remove(sid)).isEqualTo(reference.remove(sid));
            } else {
                assertThat(set.add(sid)).isEqualTo(reference.add(sid));
            }
        }
        assertThat(set.size()).isEqualTo(reference.size());
        for (int hi = 0; hi < 64; hi++) {
            for (int lo = 0; lo < 2_000; lo++) {
                assertThat(set.contains(sid(hi, lo))).isEqualTo(reference.contains(sid(hi, lo)));
            }
        }
    }

    @Test
    void theLongMapMapsSidsToValues() {
        SidSet.LongMap map = new SidSet.LongMap();
        Map<String, Long> reference = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            String sid = sid(random.nextLong(), random.nextInt(50_000));
            map.put(sid, i);
            reference.put(sid, (long) i);
        }
        assertThat(map.size()).isEqualTo(reference.size());
        reference.forEach((sid, value) -> assertThat(map.get(sid, -1)).isEqualTo(value));
        assertThat(map.get(sid(1, 1), -1)).isEqualTo(-1);
        assertThat(map.get("nope", -7)).isEqualTo(-7);
    }
}
