package dev.topics.broker.egress;

import dev.topics.transport.ConnectionStats;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write batch that small deliveries are copied into, and the output figures, on an EmbeddedChannel. */
class SessionOutputTest
{
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ConnectionStats stats;
    private final SessionOutput session;

    {
        final Session attachedTo = new Session(1, channel, 0, Replies.TEXT);
        stats = attachedTo.stats();
        session = SessionOutput.of(attachedTo);
    }

    private final ByteBuf line = Unpooled.copiedBuffer("UPDATED news hello\r\n", StandardCharsets.US_ASCII);

    @AfterEach
    void release()
    {
        line.release();
        channel.finishAndReleaseAll();
    }

    private List<ByteBuf> flushed()
    {
        session.flush();
        final List<ByteBuf> out = new ArrayList<>();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null)
        {
            out.add(buffer);
        }
        return out;
    }

    @Test
    void shouldNotPinAWholeChunkForOneShortLine()
    {
        session.writeCopy(line, line.readerIndex(), line.readableBytes());
        final List<ByteBuf> out = flushed();
        assertEquals(1, out.size());
        assertEquals("UPDATED news hello\r\n", out.get(0).toString(StandardCharsets.US_ASCII));
        assertTrue(out.get(0).capacity() <= 256, "capacity " + out.get(0).capacity());
        assertEquals(0, line.readerIndex(), "the shared frame is read, not consumed");
        out.forEach(ByteBuf::release);
    }

    @Test
    void shouldSplitIntoChunksAndKeepOrderWithOtherWrites()
    {
        final int copies = SessionOutput.BATCH_CHUNK_BYTES / line.readableBytes() + 10;
        for (int i = 0; i < copies; i++)
        {
            session.writeCopy(line, line.readerIndex(), line.readableBytes());
        }
        session.write(Unpooled.copiedBuffer("PONG\r\n", StandardCharsets.US_ASCII));
        session.writeCopy(line, line.readerIndex(), line.readableBytes());
        final List<ByteBuf> out = flushed();
        final StringBuilder text = new StringBuilder();
        for (final ByteBuf buffer : out)
        {
            assertTrue(buffer.readableBytes() <= SessionOutput.BATCH_CHUNK_BYTES);
            text.append(buffer.toString(StandardCharsets.US_ASCII));
            buffer.release();
        }
        final String expected = "UPDATED news hello\r\n".repeat(copies) + "PONG\r\n" + "UPDATED news hello\r\n";
        assertEquals(expected, text.toString());
        assertTrue(out.size() >= 4, "two chunks, the PONG, then a new batch: " + out.size());
    }

    @Test
    void shouldPublishTheOutputTotalsOncePerFlush()
    {
        session.countDelivery();
        session.writeCopy(line, line.readerIndex(), line.readableBytes());
        session.write(Unpooled.copiedBuffer("PONG\r\n", StandardCharsets.US_ASCII));
        assertEquals(0, stats.bytesOut(), "not per write: once per flush");
        flushed().forEach(ByteBuf::release);
        assertEquals(1, stats.messagesOut());
        assertEquals(line.readableBytes() + "PONG\r\n".length(), stats.bytesOut());
        assertEquals(0, stats.pendingBytes(), "the socket took everything");
    }

    @Test
    void shouldShowABacklogAndSeeItDrainThoughNothingNewIsWritten()
    {
        final StalledSocket socket = new StalledSocket();
        final EmbeddedChannel slow = new EmbeddedChannel(socket);
        final Session reader = new Session(2, slow, 0, Replies.TEXT);
        final SessionOutput output = SessionOutput.of(reader);
        output.write(Unpooled.copiedBuffer("PONG\r\n", StandardCharsets.US_ASCII));
        output.flush();
        assertTrue(reader.stats().pendingBytes() >= "PONG\r\n".length(), "pending " + reader.stats().pendingBytes());
        assertEquals(output.pendingBytes(), reader.stats().pendingBytes());

        socket.stalled = false;
        slow.flush(); // the socket takes it, the writer writes nothing more
        assertEquals(0, output.pendingBytes());
        slow.advanceTimeBy(1, TimeUnit.SECONDS);
        slow.runScheduledPendingTasks();
        assertEquals(0, reader.stats().pendingBytes(), "read again a second later");
        assertTrue(slow.finishAndReleaseAll());
    }

    /** A socket that takes nothing until told to: flushes stop here. Used on the test thread. */
    private static final class StalledSocket extends ChannelOutboundHandlerAdapter
    {
        boolean stalled = true;

        @Override
        public void flush(final ChannelHandlerContext ctx)
        {
            if (!stalled)
            {
                ctx.flush();
            }
        }
    }
}
