package dev.topics.transport.resp;

import dev.topics.testing.NettyLeakGuard;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.topics.transport.resp.RespBytes.ALLOC;
import static dev.topics.transport.resp.RespBytes.buffer;
import static dev.topics.transport.resp.RespBytes.bytes;
import static dev.topics.transport.resp.RespBytes.repeat;
import static dev.topics.transport.resp.RespBytes.text;
import static dev.topics.transport.resp.RespEncoder.RESP2;
import static dev.topics.transport.resp.RespEncoder.RESP3;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RespEncoder's deliveries: Redis' {@code message} and {@code pmessage} pushes re-encoded from the
 * canonical frame. Expected bytes captured from redis-server 7.0.15 (port 16398): a Python socket
 * client subscribed to {@code ch} and to the pattern {@code c*} (RESP2, then after {@code HELLO 3})
 * while another published to {@code ch} the messages {@code hello}, the empty string,
 * {@code a\r\nb} and 9, 10, 99 and 100 {@code x}s; it printed {@code repr()} of what the subscriber
 * read (src/test/resources/resp/capture-replies.py).
 */
@ExtendWith(NettyLeakGuard.class)
class RespEncoderPushTest
{
    /** Junk before and after the frame, as in a shared arena chunk. */
    private static final String BEFORE = "UPDATED other junk\r\n";

    private static String push(final RespEncoder encoder, final String topic, final String message, final String pattern)
    {
        final String frame = "UPDATED " + topic + " " + message + "\r\n";
        final ByteBuf chunk = buffer(BEFORE + frame + "UPDATED next x\r\n");
        try
        {
            final byte[] patternBytes = pattern == null ? null : bytes(pattern);
            final int length = encoder.pushLength(frame.length(), topic.length(), patternBytes);
            final ByteBuf out = ALLOC.buffer(length, length);
            encoder.writePush(out, chunk, BEFORE.length(), frame.length(), topic.length(), patternBytes);
            assertEquals(length, out.readableBytes(), "pushLength is what writePush writes");
            return text(out);
        }
        finally
        {
            chunk.release();
        }
    }

    private static String message(final String head, final String channel, final String message)
    {
        return head + "3\r\n$7\r\nmessage\r\n$" + channel.length() + "\r\n" + channel + "\r\n$" + message.length() + "\r\n"
            + message + "\r\n";
    }

    private static String pmessage(final String head, final String pattern, final String channel, final String message)
    {
        return head + "4\r\n$8\r\npmessage\r\n$" + pattern.length() + "\r\n" + pattern + "\r\n$" + channel.length() + "\r\n"
            + channel + "\r\n$" + message.length() + "\r\n" + message + "\r\n";
    }

    @Test
    void shouldPushAMessageAsRedis()
    {
        assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n", push(RESP2, "ch", "hello", null));
        assertEquals(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n", push(RESP3, "ch", "hello", null));
    }

    @Test
    void shouldPushAPatternMessageAsRedis()
    {
        assertEquals("*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$5\r\nhello\r\n", push(RESP2, "ch", "hello", "c*"));
        assertEquals(">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$5\r\nhello\r\n", push(RESP3, "ch", "hello", "c*"));
    }

    @Test
    void shouldPushAnEmptyMessage()
    {
        assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$0\r\n\r\n", push(RESP2, "ch", "", null));
        assertEquals(">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$0\r\n\r\n", push(RESP3, "ch", "", "c*"));
    }

    @Test
    void shouldPushBinaryMessagesWithLineBreaksAsTheyAre()
    {
        assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4\r\na\r\nb\r\n", push(RESP2, "ch", "a\r\nb", null));
        assertEquals(">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$4\r\na\r\nb\r\n", push(RESP3, "ch", "a\r\nb", "c*"));
        final String binary = "\u0000\u00ff \r\n\u0080 UPDATED x\r\n";
        assertEquals(message("*", "ch", binary), push(RESP2, "ch", binary, null));
    }

    @Test
    void shouldCountEveryDigitAtTheBoundaries()
    {
        for (final int n : new int[]{1, 9, 10, 99, 100, 999, 1000, 65_536})
        {
            final String body = repeat('x', n);
            final String topic = repeat('t', n);
            final String pattern = repeat('p', n);
            assertEquals(message("*", "ch", body), push(RESP2, "ch", body, null), "message of " + n);
            assertEquals(message(">", topic, body), push(RESP3, topic, body, null), "topic of " + n);
            assertEquals(pmessage("*", pattern, topic, body), push(RESP2, topic, body, pattern), "pattern of " + n);
            assertEquals(pmessage(">", "c*", "ch", body), push(RESP3, "ch", body, "c*"), "pmessage of " + n);
        }
        // as captured: 9 and 10 bytes
        assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$9\r\nxxxxxxxxx\r\n", push(RESP2, "ch", repeat('x', 9), null));
        assertEquals(">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$10\r\nxxxxxxxxxx\r\n", push(RESP3, "ch", repeat('x', 10), "c*"));
    }

    @Test
    void shouldWriteThePushAfterWhatTheBatchAlreadyHolds()
    {
        final String frame = "UPDATED ch hi\r\n";
        final ByteBuf chunk = buffer(frame);
        final ByteBuf batch = ALLOC.buffer(64).writeBytes(bytes("+OK\r\n"));
        try
        {
            RESP2.writePush(batch, chunk, 0, frame.length(), 2, null);
            assertEquals("+OK\r\n*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", RespBytes.chars(io.netty.buffer.ByteBufUtil.getBytes(batch)));
            assertEquals(frame.length(), chunk.readableBytes(), "the frame is only read");
        }
        finally
        {
            chunk.release();
            batch.release();
        }
    }

    @Test
    void shouldDeliverTheCanonicalFrameAsTheTextProtocolDoes()
    {
        final ByteBuf line = buffer("PUB news hello there");
        final dev.topics.transport.codec.ParsedLine pub = new dev.topics.transport.codec.ParsedLine()
            .start(dev.topics.transport.codec.Command.PUB, line, 0, line.readableBytes()).withTopic(4, 4).withArgument(9, 11);
        try
        {
            final int length = RESP3.deliveryLength(pub);
            final ByteBuf out = ALLOC.buffer(length, length);
            RESP3.writeDelivery(out, pub);
            assertEquals("UPDATED news hello there\r\n", text(out));
        }
        finally
        {
            line.release();
        }
    }
}
