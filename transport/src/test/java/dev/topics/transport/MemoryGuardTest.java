package dev.topics.transport;

import dev.topics.transport.codec.LineParser;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.testing.NettyLeakGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory guard over real per-connection pipelines on {@link EmbeddedChannel}s: whom it cuts,
 * in which order, and when it leaves everyone alone.
 */
@ExtendWith(NettyLeakGuard.class)
class MemoryGuardTest
{
    private static final long MIB = 1024 * 1024;

    private final MemoryBudget budget = new MemoryBudget(64 * MIB);
    private final AtomicLong direct = new AtomicLong();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final LongAdder failures = new LongAdder();
    private final MemoryGuard guard = new MemoryGuard(budget, direct::get, connections, failures);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels()
    {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** A connection that sent {@code bytes} of a line without its end. */
    private EmbeddedChannel holdingIncompleteLine(final int bytes)
    {
        final TransportConfig config = new TransportConfig(new InetSocketAddress(0), 8 * (int)MIB, 16, 1 << 20, 100, SecurityConfig.NONE);
        // An id of its own: every EmbeddedChannel shares one by default, and a group holds each id once.
        final EmbeddedChannel channel = new EmbeddedChannel(DefaultChannelId.newInstance());
        TransportServer.addHandlers(channel.pipeline(), config, channels.size() + 1, new AcceptingSink(), new LineParser(16),
            new TransportCounters(), ShardLookup.SINGLE, budget);
        channel.pipeline().fireChannelActive();
        final ByteBuf line = PooledByteBufAllocator.DEFAULT.directBuffer(bytes);
        line.writeCharSequence("PING " + "x".repeat(bytes - 5), StandardCharsets.US_ASCII);
        channel.writeInbound(line);
        channels.add(channel);
        connections.add(channel);
        return channel;
    }

    private void sample(final long directBytes)
    {
        direct.set(directBytes);
        guard.check();
        channels.forEach(EmbeddedChannel::runPendingTasks);
    }

    @Test
    void shouldCutTheLargestHoldersFirstUntilMemoryWouldBeUnderTheThreshold()
    {
        final EmbeddedChannel small = holdingIncompleteLine(4 * (int)MIB);
        final EmbeddedChannel large = holdingIncompleteLine(6 * (int)MIB - 1024);
        final EmbeddedChannel middle = holdingIncompleteLine(5 * (int)MIB);

        // 64 MiB used: 4 MiB over max - 1/16, plus half the reserve to be under it: 6 MiB to free.
        sample(64 * MIB);

        assertFalse(large.isOpen(), "the largest goes first");
        assertFalse(middle.isOpen(), "4 MiB was not enough, so the next largest too");
        assertTrue(small.isOpen(), "enough was freed");
        assertEquals(2, budget.cuts());
        assertEquals(0, failures.sum());
    }

    @Test
    void shouldLeaveConnectionsAloneWhenTheyHoldLessThanTheReserve()
    {
        final EmbeddedChannel flooder = holdingIncompleteLine(4 * (int)MIB);
        final EmbeddedChannel other = holdingIncompleteLine(4 * (int)MIB - 1024);

        sample(64 * MIB);

        assertTrue(budget.refusesPublish(), "PUBs are refused");
        assertTrue(flooder.isOpen() && other.isOpen(), "but stored values fill the budget: 8 MiB of input is not cut for it");
        assertEquals(0, budget.cuts());
    }

    @Test
    void shouldCutNobodyUnderTheThreshold()
    {
        final EmbeddedChannel large = holdingIncompleteLine(4 * (int)MIB - 1024);

        sample(61 * MIB);

        assertFalse(budget.refusesPublish());
        assertTrue(large.isOpen());
    }

    @Test
    void shouldSampleEveryMillisecondFromHalfTheBudgetOnAndLessOftenBelow()
    {
        assertEquals(1_000, MemoryGuard.periodUs(32 * MIB, 64 * MIB));
        assertEquals(10_000, MemoryGuard.periodUs(32 * MIB - 1, 64 * MIB));
        assertEquals(10_000, MemoryGuard.periodUs(8 * MIB, 64 * MIB));
        assertEquals(50_000, MemoryGuard.periodUs(8 * MIB - 1, 64 * MIB));
    }

    @Test
    void shouldCarryOnWhenASampleFails()
    {
        final MemoryGuard failing = new MemoryGuard(budget, () ->
        {
            throw new IllegalStateException("allocator metric failed");
        }, connections, failures);

        failing.check();
        failing.check();

        assertEquals(2, failures.sum(), "counted, never thrown out of the periodic task");
    }

    /** Takes every offer. */
    private static final class AcceptingSink implements CommandSink
    {
        @Override
        public boolean offerConnect(final Session session)
        {
            return true;
        }

        @Override
        public boolean offerCommand(final Session session, final ParsedLine line)
        {
            return true;
        }

        @Override
        public boolean offerDisconnect(final Session session)
        {
            return true;
        }
    }
}
