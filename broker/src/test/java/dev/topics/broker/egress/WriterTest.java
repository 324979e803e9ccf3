package dev.topics.broker.egress;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import dev.topics.transport.CloseReason;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.topics.testing.FailingAllocator;
import dev.topics.testing.NettyLeakGuard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers drain the outbound ring on their event loop, woken by the engine's proxy once per batch.
 * Event loops are stood in for by task queues run on the test thread, except where threads are
 * the point.
 */
@ExtendWith(NettyLeakGuard.class)
class WriterTest
{
    private final RingBuffer<OutboundEvent> ring = RingBuffer.createSingleProducer(OutboundEvent::new, 1024, new BusySpinWaitStrategy());
    private final LongAdder errors = new LongAdder();
    private final LongAdder slowConsumers = new LongAdder();
    private final ArrayDeque<Runnable> loop0 = new ArrayDeque<>();
    private final ArrayDeque<Runnable> loop1 = new ArrayDeque<>();
    private final Writer writer0 = new Writer(0, ring, loop0::add, errors, slowConsumers, MemoryBudget.unlimited());
    private final Writer writer1 = new Writer(1, ring, loop1::add, errors, slowConsumers, MemoryBudget.unlimited());
    private final List<Integer> wakeUps = new ArrayList<>();
    private final WriterProxy proxy = new WriterProxy(ring, 2, shard ->
    {
        wakeUps.add(shard);
        (shard == 0 ? writer0 : writer1).wakeUp();
    }, () -> { });

    private static ByteBuf frame(final String text)
    {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private static void runAll(final ArrayDeque<Runnable> loop)
    {
        Runnable task;
        while ((task = loop.poll()) != null)
        {
            task.run();
        }
    }

    private static String written(final EmbeddedChannel channel)
    {
        final StringBuilder text = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null)
        {
            text.append(out.toString(StandardCharsets.US_ASCII));
            out.release();
        }
        return text.toString();
    }

    @Test
    void shouldWriteEachSessionsEventsOnItsOwnLoopInOrderAndFlushOncePerDrain()
    {
        final FlushCounter flushes = new FlushCounter();
        final EmbeddedChannel channel0 = new EmbeddedChannel(flushes);
        final EmbeddedChannel channel1 = new EmbeddedChannel();
        final Session a = new Session(1, channel0, 0, Replies.TEXT);
        final Session b = new Session(2, channel1, 1, Replies.TEXT);
        final ByteBuf shared = frame("UPDATED t x\r\n");
        shared.retain(1);
        proxy.deliver(a, shared, 0, shared.readableBytes(), 0);
        proxy.deliver(b, shared, 0, shared.readableBytes(), 0);
        proxy.reply(a, Command.PING, null, frame("PONG\r\n"), null);
        assertTrue(loop0.isEmpty() && loop1.isEmpty(), "nobody is woken before the end of the engine's batch");
        proxy.endOfBatch();
        assertEquals(List.of(0, 1), wakeUps);

        runAll(loop0);
        assertEquals("UPDATED t x\r\nPONG\r\n", written(channel0));
        assertEquals(1, flushes.count, "one flush for the whole drain");
        assertEquals(1, a.stats().messagesOut(), "deliveries, not replies");
        assertEquals("UPDATED t x\r\nPONG\r\n".length(), a.stats().bytesOut(), "replies are bytes out too");
        assertEquals(0, b.stats().messagesOut(), "counted by its own loop's writer, which has not run yet");
        assertEquals("", written(channel1), "loop 0 never writes loop 1's sessions");
        runAll(loop1);
        assertEquals("UPDATED t x\r\n", written(channel1));
        assertEquals(0, shared.refCnt(), "each delivery's reference was handed to its channel");
        assertEquals(0, errors.sum());
    }

    @Test
    void shouldKeepOrderAcrossCopiedSmallAndSharedLargeDeliveries()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final Session a = new Session(1, channel, 0, Replies.TEXT);
        final ByteBuf small = frame("UPDATED t s\r\n");
        final ByteBuf large = frame("UPDATED t " + "L".repeat(Writer.COPY_MAX_BYTES) + "\r\n");
        small.retain(1);
        large.retain(1);
        proxy.deliver(a, small, 0, small.readableBytes(), 0);
        proxy.deliver(a, large, 0, large.readableBytes(), 0);
        proxy.reply(a, Command.PING, null, frame("PONG\r\n"), null);
        proxy.deliver(a, small, 0, small.readableBytes(), 0);
        proxy.endOfBatch();
        runAll(loop0);
        assertEquals("UPDATED t s\r\n" + large.toString(StandardCharsets.US_ASCII) + "PONG\r\nUPDATED t s\r\n", written(channel));
        assertEquals(1, large.refCnt(), "the large frame was shared, not copied: one reference left for the test");
        assertEquals(0, small.refCnt(), "each small delivery was copied and its reference released");
        large.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldQueueOneDrainPerWakeUpUntilItRuns()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final Session a = new Session(1, channel, 0, Replies.TEXT);
        proxy.reply(a, Command.HELP, null, null, null);
        proxy.endOfBatch();
        proxy.reply(a, Command.HELP, null, null, null);
        proxy.endOfBatch();
        assertEquals(1, loop0.size(), "a drain already queued covers later events too");
        runAll(loop0);
        proxy.reply(a, Command.HELP, null, null, null);
        proxy.endOfBatch();
        assertEquals(1, loop0.size(), "after a drain ran, the next batch queues a new one");
        runAll(loop0);
        // The HELP replies written to the channel must be released, or the leak detector reports
        // them later, in whichever test class happens to be running then.
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldWakeTheWriterEarlyInALongBatchAndStillWakeItForTheLastEvent()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        // 257 HELPs are ~150 KB before the drain's flush: above the default 64 KB mark, the
        // writer would rightly treat the channel as a slow consumer.
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512 * 1024, 1024 * 1024));
        final Session a = new Session(1, channel, 0, Replies.TEXT);
        for (int i = 0; i < WriterProxy.WAKE_EVERY_EVENTS + 1; i++)
        {
            proxy.reply(a, Command.HELP, null, null, null);
        }
        assertEquals(List.of(0), wakeUps, "woken once mid-batch");
        runAll(loop0);
        proxy.endOfBatch();
        assertEquals(List.of(0, 0), wakeUps.stream().filter(shard -> shard == 0).toList(), "and again for the event after it");
        runAll(loop0);
        final String out = written(channel);
        assertEquals(WriterProxy.WAKE_EVERY_EVENTS + 1, out.split("\r\nEND\r\n", -1).length - 1, "every HELP was written");
    }

    @Test
    void shouldWakeAWriterWithoutEventsOnceAQuarterRingWentBy()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512 * 1024, 1024 * 1024));
        final Session a = new Session(1, channel, 0, Replies.TEXT);
        for (int i = 0; i < ring.getBufferSize() / 4; i++)
        {
            proxy.reply(a, Command.HELP, null, null, null);
        }
        proxy.endOfBatch();
        assertTrue(loop1.isEmpty(), "a quarter ring is not yet too far behind");
        runAll(loop0);
        proxy.reply(a, Command.HELP, null, null, null);
        proxy.endOfBatch();
        assertEquals(1, loop1.size(), "shard 1 is woken to move its poller along, though nothing is for it");
        runAll(loop0);
        runAll(loop1);
        assertEquals(ring.getBufferSize(), ring.remainingCapacity(), "both pollers passed every event");
        assertTrue(channel.finishAndReleaseAll(), "shard 0's HELP replies were written");
    }

    @Test
    void shouldNeverDeadlockWhenTheRingIsFullOfAnotherShardsEvents() throws Exception
    {
        final RingBuffer<OutboundEvent> small = RingBuffer.createSingleProducer(OutboundEvent::new, 8, new BusySpinWaitStrategy());
        final ExecutorService loopA = Executors.newSingleThreadExecutor();
        final ExecutorService loopB = Executors.newSingleThreadExecutor();
        try
        {
            final Writer a = new Writer(0, small, loopA, errors, slowConsumers, MemoryBudget.unlimited());
            final Writer b = new Writer(1, small, loopB, errors, slowConsumers, MemoryBudget.unlimited());
            final WriterProxy engineSide = new WriterProxy(small, 2, shard -> (shard == 0 ? a : b).wakeUp(), () -> { });
            final EmbeddedChannel channel = new EmbeddedChannel();
            final Session onA = new Session(1, channel, 0, Replies.TEXT);
            // Shard 1 never gets an event of its own, yet its poller gates the ring.
            for (int i = 0; i < 100; i++)
            {
                engineSide.reply(onA, Command.HELP, null, null, null);
            }
            engineSide.endOfBatch();
            loopA.submit(() -> { }).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 1000 && small.remainingCapacity() < small.getBufferSize(); i++)
            {
                Thread.sleep(1);
                a.wakeUp();
                b.wakeUp();
            }
            assertEquals(small.getBufferSize(), small.remainingCapacity(), "both writers passed every event");
            loopA.submit(channel::finishAndReleaseAll).get(5, TimeUnit.SECONDS);
        }
        finally
        {
            loopA.shutdownNow();
            loopB.shutdownNow();
        }
    }

    @Test
    void shouldCutOffAndCountAConnectionWhoseOutputPassedItsBound()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        final Session a = new Session(1, channel, 0, Replies.TEXT);
        final ByteBuf large = frame("UPDATED t " + "L".repeat(Writer.COPY_MAX_BYTES) + "\r\n");
        large.retain(1);
        proxy.deliver(a, large, 0, large.readableBytes(), 0);
        proxy.deliver(a, large, 0, large.readableBytes(), 0);
        proxy.endOfBatch();
        runAll(loop0);
        assertEquals(1, slowConsumers.sum(), "the second delivery found the channel over its bound");
        assertTrue(!channel.isOpen(), "and the connection was closed");
        assertEquals(CloseReason.SLOW_CONSUMER, a.stats().closeReason());
        assertEquals(1, a.stats().messagesOut(), "the first delivery was written, the second dropped");
        channel.finishAndReleaseAll();
        assertEquals(0, large.refCnt(), "nothing routed to it is kept");
    }

    @Test
    void shouldMakeRoomByRunningTheWriterWhenTheEngineSharesItsLoopAndTheRingIsFull()
    {
        final RingBuffer<OutboundEvent> small = RingBuffer.createSingleProducer(OutboundEvent::new, 8, new BusySpinWaitStrategy());
        final ArrayDeque<Runnable> loop = new ArrayDeque<>();
        final Writer writer = new Writer(0, small, loop::add, errors, slowConsumers, MemoryBudget.unlimited());
        final WriterProxy engineSide = new WriterProxy(small, 1, shard -> writer.wakeUp(), writer::drain);
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512 * 1024, 1024 * 1024));
        final Session a = new Session(1, channel, 0, Replies.TEXT);
        for (int i = 0; i < 20; i++)
        {
            engineSide.reply(a, Command.HELP, null, null, null); // would block forever without the writer run inline
        }
        engineSide.endOfBatch();
        runAll(loop);
        assertEquals(20, written(channel).split("\r\nEND\r\n", -1).length - 1, "every HELP was written, in order");
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldNotCountAConnectionThatAlreadyLeftAsSlow()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        final Session a = new Session(1, channel, 0, Replies.TEXT);
        channel.close();
        final ByteBuf large = frame("UPDATED t " + "L".repeat(Writer.COPY_MAX_BYTES) + "\r\n");
        proxy.deliver(a, large, 0, large.readableBytes(), 0);
        proxy.endOfBatch();
        runAll(loop0);
        assertEquals(0, slowConsumers.sum());
        assertEquals(0, large.refCnt());
    }

    @Test
    void shouldShowThatAConnectionIsClosingAfterQuit()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final Session a = new Session(1, channel, 0, Replies.TEXT);
        proxy.reply(a, Command.QUIT, null, null, null);
        proxy.endOfBatch();
        runAll(loop0);
        assertEquals("BYE\r\n", written(channel));
        assertEquals(CloseReason.QUIT, a.stats().closeReason());
        assertEquals("BYE\r\n".length(), a.stats().bytesOut());
        assertTrue(!channel.isOpen());
    }

    @Test
    void shouldTimeEachDeliveryItWroteFromTheReadOfItsPubToTheFlush()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final EmbeddedChannel gone = new EmbeddedChannel();
        final Session a = new Session(1, channel, 0, Replies.TEXT);
        final Session b = new Session(2, channel, 0, Replies.TEXT);
        final Session quitting = new Session(3, gone, 0, Replies.TEXT);
        final ByteBuf shared = frame("UPDATED t x\r\n");
        shared.retain(2);
        final long readNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(5);
        proxy.reply(quitting, Command.QUIT, null, null, null);
        proxy.deliver(a, shared, 0, shared.readableBytes(), readNanos);
        proxy.deliver(b, shared, 0, shared.readableBytes(), readNanos);
        proxy.deliver(quitting, shared, 0, shared.readableBytes(), readNanos); // dropped: not written
        proxy.reply(a, Command.HELP, null, null, null);
        proxy.endOfBatch();
        final DeliveryLatencies latencies = new DeliveryLatencies(writer0.latency(), writer1.latency());
        final Histogram interval = DeliveryLatencies.newIntervalHistogram();

        runAll(loop0);
        runAll(loop1);
        latencies.readInterval(interval);

        assertEquals(2, interval.getTotalCount(), "one sample per delivery written, none for a reply or a dropped one");
        assertTrue(interval.getMinValue() >= TimeUnit.MILLISECONDS.toNanos(4), "from the read, not from the engine: " + interval.getMinValue());
        channel.finishAndReleaseAll();
        gone.finishAndReleaseAll();
        assertEquals(0, shared.refCnt());
    }

    @Test
    void shouldCutASessionWhoseOutputCannotBeAllocatedRatherThanLeaveItAGap()
    {
        final RingBuffer<OutboundEvent> small = RingBuffer.createSingleProducer(OutboundEvent::new, 8, new BusySpinWaitStrategy());
        final ArrayDeque<Runnable> loop = new ArrayDeque<>();
        final MemoryBudget memory = new MemoryBudget(64L << 20);
        final Writer writer = new Writer(0, small, loop::add, errors, slowConsumers, memory);
        final WriterProxy engineSide = new WriterProxy(small, 1, shard -> writer.wakeUp(), () -> { });
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(new FailingAllocator());
        final Session a = new Session(1, channel, 0, Replies.TEXT);
        final ByteBuf message = frame("UPDATED t small\r\n");
        engineSide.deliver(a, message, 0, message.readableBytes(), 0);
        engineSide.endOfBatch();

        runAll(loop);

        assertTrue(!channel.isOpen(), "a subscriber that would miss a message is cut, never left with a gap");
        assertEquals(1, memory.refusals(), "counted as an out-of-memory answer");
        assertEquals(0, errors.sum(), "not an internal error");
        assertEquals(0, message.refCnt(), "the frame is released");
        channel.finishAndReleaseAll();
    }

    /** Counts flushes reaching the channel's head. Used on the test thread. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter
    {
        int count;

        @Override
        public void flush(final ChannelHandlerContext ctx)
        {
            count++;
            ctx.flush();
        }
    }
}
