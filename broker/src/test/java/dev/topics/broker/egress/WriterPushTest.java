package dev.topics.broker.egress;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import dev.topics.broker.TestReplyEncoder;
import dev.topics.testing.NettyLeakGuard;
import dev.topics.transport.CloseReason;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.Session;
import dev.topics.transport.WireProtocol;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.Replies;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A writer re-encodes deliveries for a protocol that does not send the canonical frame (RESP's
 * {@code message}/{@code pmessage}), once per publish, encoder and pattern, and honours silence,
 * pushes, QUIT and null replies. Event loops are task queues run on the test thread.
 */
@ExtendWith(NettyLeakGuard.class)
class WriterPushTest
{
    private final RingBuffer<OutboundEvent> ring = RingBuffer.createSingleProducer(OutboundEvent::new, 1024, new BusySpinWaitStrategy());
    private final LongAdder errors = new LongAdder();
    private final ArrayDeque<Runnable> loop0 = new ArrayDeque<>();
    private final Writer writer0 = new Writer(0, ring, loop0::add, errors, new LongAdder(), MemoryBudget.unlimited());
    private final WriterProxy proxy = new WriterProxy(ring, 1, shard -> writer0.wakeUp(), () -> { });
    private final TestReplyEncoder resp = push("E");

    private static TestReplyEncoder push(final String label)
    {
        final TestReplyEncoder encoder = TestReplyEncoder.resp(label);
        encoder.canonical = false;
        return encoder;
    }

    private static Session session(final long id, final EmbeddedChannel channel, final TestReplyEncoder encoder)
    {
        return new Session(id, channel, 0, encoder, WireProtocol.RESP);
    }

    /** A chunk with bytes around the canonical frame, as on an event loop's arena. */
    private static ByteBuf chunk(final String frame)
    {
        return Unpooled.copiedBuffer("<before>" + frame + "<after>", StandardCharsets.US_ASCII);
    }

    private void runWriter()
    {
        proxy.endOfBatch();
        Runnable task;
        while ((task = loop0.poll()) != null)
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

    private void deliver(
        final Session session, final ByteBuf chunk, final String frame, final byte[] pattern, final long publishId)
    {
        chunk.retain();
        proxy.deliver(session, session.encoder(), chunk, "<before>".length(), frame.length(), 0, 4, pattern, publishId);
    }

    @Test
    void shouldEncodeOnePushPerPublishEncoderAndPatternAndWriteItToEachReceiver()
    {
        final EmbeddedChannel channelA = new EmbeddedChannel();
        final EmbeddedChannel channelB = new EmbeddedChannel();
        final EmbeddedChannel channelC = new EmbeddedChannel();
        final EmbeddedChannel channelD = new EmbeddedChannel();
        final EmbeddedChannel channelT = new EmbeddedChannel();
        final TestReplyEncoder other = push("F");
        final Session a = session(1, channelA, resp);
        final Session b = session(2, channelB, resp);
        final Session c = session(3, channelC, resp);
        final Session d = session(4, channelD, other);
        final Session t = new Session(5, channelT, 0, Replies.TEXT);
        final byte[] glob = "n*".getBytes(StandardCharsets.US_ASCII);
        final String frame = "UPDATED news hi\r\n";
        final ByteBuf first = chunk(frame);

        // In the engine's order: exact receivers first, then each pattern's.
        deliver(a, first, frame, null, 7);
        deliver(b, first, frame, null, 7);
        deliver(t, first, frame, null, 7);
        deliver(d, first, frame, null, 7);
        deliver(c, first, frame, null, 7);
        deliver(a, first, frame, glob, 7);
        deliver(b, first, frame, glob, 7);
        runWriter();

        assertEquals("PE:-:" + frame + "PE:n*:" + frame, written(channelA));
        assertEquals("PE:-:" + frame + "PE:n*:" + frame, written(channelB));
        assertEquals("PE:-:" + frame, written(channelC));
        assertEquals("PF:-:" + frame, written(channelD));
        assertEquals(frame, written(channelT), "a text receiver gets the canonical frame as it is");
        assertEquals(List.of("-:" + frame, "-:" + frame, "n*:" + frame), resp.pushCalls,
            "re-encoded when the encoder in between (F) or the pattern changed, never per receiver of one form");
        assertEquals(List.of("-:" + frame), other.pushCalls);
        assertEquals(2, a.stats().messagesOut(), "each push is a delivery");
        assertEquals(1, first.refCnt(), "every delivery's reference was released; the test's own is left");
        first.release();

        resp.pushCalls.clear();
        final String frame2 = "UPDATED news ho\r\n";
        final ByteBuf second = chunk(frame2);
        deliver(a, second, frame2, null, 8);
        deliver(b, second, frame2, null, 8);
        runWriter();
        assertEquals(List.of("-:" + frame2), resp.pushCalls, "a new publish is encoded again, once");
        assertEquals("PE:-:" + frame2, written(channelA));
        assertEquals("PE:-:" + frame2, written(channelB));
        second.release();
        assertEquals(0, second.refCnt());
        assertEquals(0, errors.sum());
    }

    @Test
    void shouldReencodeTheSamePublishForEachPatternInASingleRun()
    {
        final EmbeddedChannel channelA = new EmbeddedChannel();
        final EmbeddedChannel channelB = new EmbeddedChannel();
        final Session a = session(1, channelA, resp);
        final Session b = session(2, channelB, resp);
        final byte[] n = "n*".getBytes(StandardCharsets.US_ASCII);
        final byte[] s = "*s".getBytes(StandardCharsets.US_ASCII);
        final String frame = "UPDATED news x\r\n";
        final ByteBuf chunk = chunk(frame);
        deliver(a, chunk, frame, n, 1);
        deliver(b, chunk, frame, n, 1);
        deliver(a, chunk, frame, s, 1);
        deliver(b, chunk, frame, s, 1);
        deliver(a, chunk, frame, s, 2);
        runWriter();
        assertEquals("PE:n*:" + frame + "PE:*s:" + frame + "PE:*s:" + frame, written(channelA));
        assertEquals("PE:n*:" + frame + "PE:*s:" + frame, written(channelB));
        assertEquals(List.of("n*:" + frame, "*s:" + frame, "*s:" + frame), resp.pushCalls,
            "once per (publish, encoder, pattern): the publish id 2 is encoded anew");
        chunk.release();
        assertEquals(0, chunk.refCnt());
    }

    @Test
    void shouldShareALargePushAndReleaseEverything()
    {
        final EmbeddedChannel channelA = new EmbeddedChannel();
        final EmbeddedChannel channelB = new EmbeddedChannel();
        final Session a = session(1, channelA, resp);
        final Session b = session(2, channelB, resp);
        final String frame = "UPDATED news " + "L".repeat(Writer.COPY_MAX_BYTES) + "\r\n";
        final ByteBuf chunk = chunk(frame);
        deliver(a, chunk, frame, null, 3);
        deliver(b, chunk, frame, null, 3);
        runWriter();
        assertEquals("PE:-:" + frame, written(channelA));
        assertEquals("PE:-:" + frame, written(channelB));
        assertEquals(1, resp.pushCalls.size());
        chunk.release();
        assertEquals(0, chunk.refCnt());
        assertFalse(channelA.finishAndReleaseAll());
        assertFalse(channelB.finishAndReleaseAll());
    }

    @Test
    void shouldWriteASilentReplyOnlyWhenItsEncoderCallsItAPush()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final Session a = session(1, channel, resp);
        final byte[] topic = "news".getBytes(StandardCharsets.US_ASCII);
        final ByteBuf pong = Unpooled.copiedBuffer("pong", StandardCharsets.US_ASCII);
        proxy.reply(a, resp, Command.SUB, topic, TopicMatch.EXACT, null, null, 1, 0, true);
        proxy.reply(a, resp, Command.PING, null, TopicMatch.EXACT, pong, null, 1, 0, true);
        proxy.error(a, resp, ErrorCode.SUBSCRIBED_MODE, Command.GET, 0, null, true);
        runWriter();
        assertEquals("", written(channel), "silenced");
        assertEquals(0, pong.refCnt(), "a silenced reply's payload is released");

        resp.pushes.add(Command.SUB);
        proxy.reply(a, resp, Command.SUB, topic, TopicMatch.EXACT, null, null, 1, 0, true);
        proxy.reply(a, resp, Command.UNSUB, topic, TopicMatch.EXACT, null, null, 0, 0, true);
        proxy.reply(a, resp, Command.UNSUB, topic, TopicMatch.EXACT, null, null, 0, 0, false);
        runWriter();
        assertEquals("RE:SUB:news:1\r\nRE:UNSUB:news:0\r\n", written(channel),
            "the push is written although silent; a silent non-push is not; a loud reply is");
        assertEquals(0, errors.sum());
    }

    @Test
    void shouldCloseWithoutWritingOnASilentQuit()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final Session a = session(1, channel, resp);
        proxy.reply(a, resp, Command.QUIT, null, TopicMatch.EXACT, null, null, 0, 0, true);
        proxy.reply(a, resp, Command.HELP, null, TopicMatch.EXACT, null, null, 0, 0, false);
        runWriter();
        channel.runPendingTasks();
        assertEquals("", written(channel), "neither the silenced QUIT reply nor anything after it");
        assertFalse(channel.isOpen(), "closed all the same");
        assertEquals(CloseReason.QUIT, a.stats().closeReason());

        final EmbeddedChannel loud = new EmbeddedChannel();
        final Session b = session(2, loud, resp);
        proxy.reply(b, resp, Command.QUIT, null, TopicMatch.EXACT, null, null, 0, 0, false);
        runWriter();
        loud.runPendingTasks();
        assertEquals("RE:QUIT:-:0\r\n", written(loud));
        assertFalse(loud.isOpen());
    }

    @Test
    void shouldWriteNothingForANullReplyAndReleaseItsPayload()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final TestReplyEncoder quiet = push("Q");
        quiet.replyNull = true;
        final Session a = session(1, channel, quiet);
        final ByteBuf payload = Unpooled.copiedBuffer("raw", StandardCharsets.US_ASCII);
        proxy.reply(a, quiet, Command.RAW, null, TopicMatch.EXACT, payload, null, 0, 0, false);
        proxy.reply(a, quiet, Command.NUMPAT, null, TopicMatch.EXACT, null, null, 3, 0, false);
        runWriter();
        assertEquals("", written(channel));
        assertEquals(0, payload.refCnt());
        assertTrue(channel.isOpen());

        quiet.replyNull = false;
        proxy.reply(a, quiet, Command.NUMPAT, null, TopicMatch.EXACT, null, null, 3, 0, false);
        proxy.error(a, quiet, ErrorCode.BAD_ARGUMENTS, Command.HELLO, 9, null, false);
        runWriter();
        assertEquals("RQ:NUMPAT:-:3\r\nEQ:bad-arguments:HELLO\r\n", written(channel), "written by the event's encoder");
        assertEquals(0, errors.sum());
    }
}
