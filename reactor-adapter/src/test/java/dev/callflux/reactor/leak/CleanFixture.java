package dev.callflux.reactor.leak;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Uses and releases a buffer: run with {@link LeakyFixture} by {@link LeakDetectionTest}, it must pass
 * (no false alarm, and a leak is charged once, not to every later class).
 */
@EnabledIfSystemProperty(named = "callflux.leakFixture", matches = "true")
class CleanFixture {

    @Test
    void releasesItsBuffer() {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.writeCharSequence("released", StandardCharsets.US_ASCII);
        assertThat(buffer.release()).isTrue();
    }
}
