package dev.topics.transport;

import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.LineParser;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.testing.FailingAllocator;
import dev.topics.testing.NettyLeakGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-connection pipeline (framing, parsing, back-pressure) on an {@link EmbeddedChannel}:
 * no sockets, no threads.
 */
@ExtendWith(NettyLeakGuard.class)
class ConnectionHandlerTest
{
    private static final int MAX_LINE = 32;

    private final RecordingSink sink = new RecordingSink();
    private final TransportCounters counters = new TransportCounters();
    private final MockTicker ticker = Ticker.newMockTicker();
    private EmbeddedChannel channel;

    @BeforeEach
    void openChannel()
    {
        final TransportConfig config = new TransportConfig(new InetSocketAddress(0), MAX_LINE, 16, 1 << 20, 100, SecurityConfig.NONE);
        // A mock clock: the retry delay passes only when the test says so, however loaded the machine.
        channel = EmbeddedChannel.builder().ticker(ticker).build();
        TransportServer.addHandlers(channel.pipeline(), config, 7, sink, new LineParser(16), counters, ShardLookup.SINGLE, MemoryBudget.unlimited());
        channel.pipeline().fireChannelActive();
    }

    @AfterEach
    void closeChannel()
    {
        channel.finishAndReleaseAll();
    }

    private void write(final String text)
    {
        final ByteBuf bytes = PooledByteBufAllocator.DEFAULT.directBuffer();
        bytes.writeCharSequence(text, StandardCharsets.UTF_8);
        channel.writeInbound(bytes);
    }

    @Test
    void shouldOfferConnectFirstWithTheSessionId()
    {
        assertEquals(List.of("CONNECT 7"), sink.events);
    }

    @Test
    void shouldFrameLinesSplitAcrossReads()
    {
        write("SU");
        write("B ne");
        write("ws\r\nPUB news hel");
        write("lo\nGET news\r");
        write("\n");
        assertEquals(List.of("CONNECT 7", "SUB news", "PUB news hello", "GET news"), sink.events);
    }

    @Test
    void shouldDropOneCarriageReturnBeforeLineFeedOnly()
    {
        write("PUB t a\r\r\n");
        // The frame decoder strips "\r\n"; the earlier '\r' is message content, kept as-is.
        assertEquals("PUB t a\r", sink.events.get(1));
    }

    @Test
    void shouldIgnoreEmptyAndBlankLines()
    {
        write("\r\n\n   \r\nPING\r\n");
        assertEquals(List.of("CONNECT 7", "PING"), sink.events);
    }

    @Test
    void shouldAnswerOverlongLineInItsPlaceAndCarryOn()
    {
        write("PING 1\r\n");
        write("PUB t " + "x".repeat(MAX_LINE));
        write("y".repeat(MAX_LINE) + "\r\nPING 2\r\n");
        assertEquals(List.of("CONNECT 7", "PING 1", "ERROR " + ErrorCode.LINE_TOO_LONG, "PING 2"), sink.events);
        assertTrue(channel.isOpen());
    }

    @Test
    void shouldPauseReadingWhenTheSinkIsFullAndKeepOrder()
    {
        sink.full = true;
        write("PUB t 1\nPUB t 2\n");
        assertFalse(channel.config().isAutoRead(), "reading must pause while the sink is full");
        assertEquals(1, counters.readPauses.sum());
        write("PUB t 3\n");
        assertEquals(List.of("CONNECT 7"), sink.events);

        sink.full = false;
        awaitRetry();
        assertEquals(List.of("CONNECT 7", "PUB t 1", "PUB t 2", "PUB t 3"), sink.events);
        assertTrue(channel.config().isAutoRead(), "reading must resume once everything waiting is accepted");
    }

    @Test
    void shouldOfferDisconnectAfterEverythingWaiting()
    {
        sink.full = true;
        write("PUB t last\n");
        // Fired directly: closing an EmbeddedChannel would also cancel its scheduled retries,
        // which a real event loop keeps running after a channel closes.
        channel.pipeline().fireChannelInactive();
        sink.full = false;
        awaitRetry();
        assertEquals(List.of("CONNECT 7", "PUB t last", "DISCONNECT 7"), sink.events);
    }

    @Test
    void shouldStampEveryLineWithTheTimeOfTheReadThatCompletedIt()
    {
        final long beforeFirst = System.nanoTime();
        write("PUB t 1\nPUB t 2\nPUB t ");
        final long afterFirst = System.nanoTime();
        write("3\n");
        final long afterSecond = System.nanoTime();

        final List<Long> times = sink.readTimes;
        assertEquals(3, times.size());
        assertEquals(times.get(0), times.get(1), "one clock read per read, shared by its lines");
        assertTrue(beforeFirst <= times.get(0) && times.get(0) <= afterFirst);
        assertTrue(afterFirst <= times.get(2) && times.get(2) <= afterSecond, "a split line: the read that ended it");
    }

    @Test
    void shouldKeepTheReadTimeOfALineThatWaitedForRoom()
    {
        sink.full = true;
        final long beforeRead = System.nanoTime();
        write("PUB t 1\n");
        write("PUB t 2\n");
        final long afterRead = System.nanoTime();
        sink.full = false;
        awaitRetry();

        final List<Long> times = sink.readTimes;
        assertEquals(List.of("CONNECT 7", "PUB t 1", "PUB t 2"), sink.events);
        assertTrue(beforeRead <= times.get(0) && times.get(0) <= times.get(1) && times.get(1) <= afterRead,
            "the wait for room counts in the latency: " + times);
    }

    private void awaitRetry()
    {
        for (int i = 0; i < 100 && sink.lastOfferRejected; i++)
        {
            ticker.advance(1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        assertFalse(sink.lastOfferRejected, "waiting items were never offered again");
    }

    @Test
    void shouldRetryAsTheNextTaskWhenTheEngineDrainsOnThisLoop()
    {
        sink.drainsOnCallersLoop = true;
        sink.refusals = 1; // the engine's poll, queued before the retry, makes room
        write("PUB t 1\nPUB t 2\n"); // runs the pending tasks, as the event loop would
        assertEquals(List.of("CONNECT 7", "PUB t 1", "PUB t 2"), sink.events, "offered again without waiting for a timer");
        assertTrue(channel.config().isAutoRead());
        assertEquals(1, counters.readPauses.sum());
    }

    @Test
    void shouldFallBackToTheDelayWhenTheNextTaskFoundNoRoomEither()
    {
        sink.drainsOnCallersLoop = true;
        sink.refusals = 2;
        write("PUB t 1\n");
        assertEquals(List.of("CONNECT 7"), sink.events, "refused, retried at once, refused again: no spinning");
        assertFalse(channel.config().isAutoRead());
        for (int i = 0; i < 1000 && !channel.config().isAutoRead(); i++)
        {
            ticker.advance(1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        assertEquals(List.of("CONNECT 7", "PUB t 1"), sink.events);
    }

    @Test
    void shouldCountEveryByteReadAndEveryPublicationForClients()
    {
        final ConnectionStats stats = sink.session.stats();
        final long before = System.nanoTime();
        write("PUB t 1\nSUB t\n");
        write("PUB t 2\r\n\n");
        assertEquals(2, stats.messagesIn(), "PUBs, not other commands");
        assertEquals("PUB t 1\nSUB t\n".length() + "PUB t 2\r\n\n".length(), stats.bytesIn(), "blank lines are bytes too");
        assertTrue(stats.lastInputNs() >= before, "input makes the connection not idle");
        assertNull(stats.closeReason());
        channel.pipeline().fireChannelInactive();
        assertEquals(CloseReason.DISCONNECTED, stats.closeReason());
    }

    @Test
    void shouldKeepTheFirstReasonForAClose()
    {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertFalse(channel.isOpen());
        assertEquals(CloseReason.IDLE_TIMEOUT, sink.session.stats().closeReason(), "not the disconnect that followed");
    }

    @Test
    void shouldAnswerALineWhoseInputCouldNotBeBufferedAndCarryOnAfterIt()
    {
        // The read buffer cannot grow, so the second read needs a new one from the allocator: it fails.
        channel.config().setAllocator(new FailingAllocator());
        final ByteBuf full = PooledByteBufAllocator.DEFAULT.directBuffer(10, 10);
        full.writeCharSequence("PING 1\r\nPI", StandardCharsets.US_ASCII);
        channel.writeInbound(full);

        write("NG 2\r\nPING 3\r\n");
        write("rest of it\r\nPING 4\r\n");

        assertEquals(List.of("CONNECT 7", "PING 1", "ERROR " + ErrorCode.OUT_OF_MEMORY, "PING 4"), sink.events,
            "the bytes of the failed read are lost, the line is answered in its place, the rest of it is dropped");
        assertTrue(channel.isActive(), "the connection carries on");
    }

    /** Records what it is offered as text; can pretend to be full. Used on the test thread. */
    private static final class RecordingSink implements CommandSink
    {
        final List<String> events = new ArrayList<>();
        Session session;
        /** The read time of each line accepted. */
        final List<Long> readTimes = new ArrayList<>();
        boolean full;
        boolean lastOfferRejected;
        boolean drainsOnCallersLoop;
        /** Offers still to refuse, on top of {@link #full}. */
        int refusals;

        @Override
        public boolean drainsOnCallersLoop()
        {
            return drainsOnCallersLoop;
        }

        private boolean record(final String event)
        {
            final boolean refuse = full || refusals > 0;
            if (refusals > 0)
            {
                refusals--;
            }
            lastOfferRejected = refuse;
            if (!refuse)
            {
                events.add(event);
            }
            return !refuse;
        }

        @Override
        public boolean offerConnect(final Session session)
        {
            this.session = session;
            return record("CONNECT " + session.id());
        }

        @Override
        public boolean offerCommand(final Session session, final ParsedLine line)
        {
            if (line.command() == Command.INVALID)
            {
                return record("ERROR " + line.error());
            }
            final boolean accepted = record(line.line().toString(line.lineIndex(), line.lineLength(), StandardCharsets.UTF_8));
            if (accepted)
            {
                readTimes.add(line.readNanos());
            }
            return accepted;
        }

        @Override
        public boolean offerDisconnect(final Session session)
        {
            return record("DISCONNECT " + session.id());
        }
    }
}
