package dev.callflux.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    @Test
    void commitsOnlyUpToTheFirstRecordWithoutAnAcknowledgedResult() {
        PartitionProgress p = new PartitionProgress();
        assertThat(p.commitPosition()).isEqualTo(-1);
        p.taken(10);
        p.taken(11);
        p.taken(12);
        p.done(11);
        assertThat(p.commitPosition()).isEqualTo(10);
        p.done(10);
        assertThat(p.commitPosition()).isEqualTo(12);
        p.done(12);
        assertThat(p.commitPosition()).isEqualTo(13);
        assertThat(p.changed()).isTrue();
        p.committed(13);
        assertThat(p.changed()).isFalse();
    }

    @Test
    void neverCommitsPastARecordGivenBack() {
        PartitionProgress p = new PartitionProgress();
        p.taken(0);
        p.taken(1);
        p.taken(2);
        p.done(0);
        p.dropped(2);
        p.done(1);
        assertThat(p.idle()).isTrue();
        assertThat(p.commitPosition()).as("record 2 goes to the next owner").isEqualTo(2);
    }
}
