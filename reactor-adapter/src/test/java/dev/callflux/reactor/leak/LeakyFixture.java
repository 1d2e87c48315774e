package dev.callflux.reactor.leak;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Leaks a buffer on purpose. Not a test of the suite (its name matches no test pattern, and it runs only
 * with {@code callflux.leakFixture=true}): {@link LeakDetectionTest} runs it in a child JVM and expects
 * {@link NettyLeakCheck} to fail it.
 */
@EnabledIfSystemProperty(named = "callflux.leakFixture", matches = "true")
class LeakyFixture {

    @Test
    void leaksABuffer() {
        // The allocator Reactor Netty uses; the buffer is dropped without release().
        ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeCharSequence("never released", StandardCharsets.US_ASCII);
        assertThat(leaked.refCnt()).isEqualTo(1);
    }
}
