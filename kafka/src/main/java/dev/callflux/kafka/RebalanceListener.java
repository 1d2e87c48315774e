package dev.callflux.kafka;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * What the worker does when the group moves partitions, on the poll thread inside {@code poll()}: on
 * revocation, everything taken of the revoked partitions runs to its acknowledged result (bounded by the
 * revocation timeout) and is committed before the partitions go, so no command is run by two workers at once;
 * a lost partition's waiting hang-ups are given back; an assigned partition's intents are read before its
 * first record. No consumer call in here lets a {@code WakeupException} out (see
 * {@code PollLoop.uninterrupted}).
 */
final class RebalanceListener implements ConsumerRebalanceListener {

    private final PollLoop loop;
    private final Set<TopicPartition> givenUp = new HashSet<>();

    RebalanceListener(PollLoop loop) {
        this.loop = loop;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<TopicPartition> revoked = new HashSet<>(partitions);
        // Everything taken of these partitions (at most a poll's worth waits) runs to its result, bounded:
        // giving waiting records back left some unread by anyone (see the rebalance test).
        loop.awaitIdle(revoked, loop.revocationTimeout());
        loop.commit(true, revoked);
        forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        Set<TopicPartition> lost = new HashSet<>(partitions);
        loop.dropWaiting(lost);
        forget(lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // A partition given up and given back starts again from its committed offset, never from a position
        // past records this worker gave back or left unfinished.
        Set<TopicPartition> back = new HashSet<>(partitions);
        back.retainAll(givenUp);
        givenUp.clear();
        if (!back.isEmpty()) {
            loop.seekToCommitted(back);
        }
        for (TopicPartition tp : partitions) {
            loop.loadIntents(tp.partition());
        }
    }

    private void forget(Set<TopicPartition> partitions) {
        givenUp.addAll(partitions);
        loop.forget(partitions);
    }
}
