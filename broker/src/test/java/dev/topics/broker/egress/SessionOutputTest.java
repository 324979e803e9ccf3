package dev.topics.broker.egress;

import dev.topics.transport.Session;
import dev.topics.transport.codec.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write batch that small deliveries are copied into, on an EmbeddedChannel. */
class SessionOutputTest
{
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final SessionOutput session = SessionOutput.of(new Session(1, channel, 0, Replies.TEXT));
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
}
