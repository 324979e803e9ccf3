package dev.topics.transport.resp;

import dev.topics.testing.FailingAllocator;
import dev.topics.testing.NettyLeakGuard;
import dev.topics.transport.FrameSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RespFrameDecoder} alone on an {@link EmbeddedChannel}, with a sink that records what it
 * framed: whole requests, ignored ones, Redis' protocol errors, over-long requests skipped.
 */
@ExtendWith(NettyLeakGuard.class)
class RespFrameDecoderTest
{
    private static final int MAX_LINE = 64;

    private final Recorder sink = new Recorder();
    private EmbeddedChannel channel = new EmbeddedChannel(new RespFrameDecoder(MAX_LINE, sink));

    @AfterEach
    void close()
    {
        channel.finishAndReleaseAll();
    }

    private void write(final String text)
    {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    private static String error(final RespProtocolError error)
    {
        return "PROTOCOL " + RespProtocolError.text(error.detail((byte)0));
    }

    @Test
    void shouldFrameArraysWholeWithTheirLastCrlf()
    {
        write("*2\r\n$9\r\nsubscribe\r\n$1\r\na\r\n*3\r\n$7\r\nPUBLISH\r\n$1\r\na\r\n$4\r\nx\r\ny\r\n");
        assertEquals(List.of("*2\r\n$9\r\nsubscribe\r\n$1\r\na\r\n", "*3\r\n$7\r\nPUBLISH\r\n$1\r\na\r\n$4\r\nx\r\ny\r\n"),
            sink.events);
    }

    @Test
    void shouldFrameInlineLinesWithoutTheirLineEnding()
    {
        write("PING\r\nSUBSCRIBE a \"b c\"\nECHO 'it''s'x\r\n");
        // The last one has unbalanced quotes (a closing quote followed by something else).
        assertEquals(List.of("PING", "SUBSCRIBE a \"b c\"", error(RespProtocolError.UNBALANCED_QUOTES)), sink.events);
    }

    @Test
    void shouldIgnoreEmptyArraysAndBlankLines()
    {
        write("*0\r\n*-1\r\n\r\n   \t \r\n\nPING\r\n");
        assertEquals(List.of("PING"), sink.events);
    }

    @Test
    void shouldReportRedisProtocolErrorsThenDropEverything()
    {
        write("PING\r\n*x\r\nPING\r\n");
        write("PING\r\n");
        assertEquals(List.of("PING", error(RespProtocolError.INVALID_MULTIBULK_LENGTH)), sink.events);
    }

    @Test
    void shouldWordEachProtocolErrorAsRedisDoes()
    {
        assertEquals("PROTOCOL Protocol error: expected '$', got 'x'", firstError("*2\r\n$4\r\nPING\r\nx\r\n"));
        assertEquals(error(RespProtocolError.INVALID_BULK_LENGTH), firstError("*1\r\n$-1\r\n"));
        assertEquals(error(RespProtocolError.INVALID_BULK_LENGTH), firstError("*1\r\n$01\r\n"));
        assertEquals(error(RespProtocolError.INVALID_BULK_LENGTH), firstError("*1\r\n$\r\n"));
        assertEquals(error(RespProtocolError.INVALID_BULK_LENGTH), firstError("*1\r\n$600000000\r\n"));
        assertEquals(error(RespProtocolError.INVALID_MULTIBULK_LENGTH), firstError("*3\n$4\r\nPING\r\n"));
        assertEquals(error(RespProtocolError.INVALID_MULTIBULK_LENGTH), firstError("*3000000000\r\n"));
        assertEquals(error(RespProtocolError.UNBALANCED_QUOTES), firstError("PING \"a\r\n"));
        assertEquals(error(RespProtocolError.TOO_BIG_INLINE), firstError("x".repeat(MAX_LINE + 2)));
        assertEquals(error(RespProtocolError.TOO_BIG_INLINE), firstError("x".repeat(MAX_LINE + 1) + "\r\n"));
        assertEquals(error(RespProtocolError.TOO_BIG_MBULK_COUNT), firstError("*" + "1".repeat(MAX_LINE + 1)));
        assertEquals(error(RespProtocolError.TOO_BIG_BULK_COUNT), firstError("*1\r\n$" + "1".repeat(MAX_LINE + 1)));
    }

    private String firstError(final String input)
    {
        channel.finishAndReleaseAll();
        sink.events.clear();
        channel = new EmbeddedChannel(new RespFrameDecoder(MAX_LINE, sink));
        write(input);
        assertEquals(1, sink.events.size(), sink.events::toString);
        return sink.events.get(0);
    }

    @Test
    void shouldAcceptAnInlineLineOfExactlyTheMaximum()
    {
        final String line = "x".repeat(MAX_LINE);
        write(line + "\r");
        write("\n");
        assertEquals(List.of(line), sink.events);
    }

    @Test
    void shouldSkipARequestWithAnOverlongBulkAndCarryOn()
    {
        final String big = "y".repeat(MAX_LINE + 1);
        write("*3\r\n$7\r\nPUBLISH\r\n$1\r\na\r\n$" + big.length() + "\r\n" + big.substring(0, 10));
        for (int i = 10; i < big.length(); i += 7)
        {
            write(big.substring(i, Math.min(big.length(), i + 7)));
        }
        assertEquals(List.of(), sink.events);
        write("\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(List.of("TOO LONG", "*1\r\n$4\r\nPING\r\n"), sink.events);
    }

    @Test
    void shouldSkipARequestTooLongInAllThoughEachBulkIsShort()
    {
        final StringBuilder request = new StringBuilder("*" + (RespFrameDecoder.MAX_REQUEST_OVERHEAD + 2) + "\r\n$9\r\nSUBSCRIBE\r\n");
        for (int i = 0; i <= RespFrameDecoder.MAX_REQUEST_OVERHEAD; i++)
        {
            request.append("$1\r\nc\r\n");
        }
        write(request.toString());
        write("PING\r\n");
        assertEquals(List.of("TOO LONG", "PING"), sink.events);
    }

    @Test
    void shouldNotCheckTheTwoBytesAfterABulkAsRedisDoesNot()
    {
        write("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n");
        assertEquals(List.of("*1\r\n$4\r\nPINGxx", "*1\r\n$4\r\nPING\r\n"), sink.events);
    }

    @Test
    void shouldCountEveryReadBeforeFraming()
    {
        write("*1\r\n$4\r\nPI");
        write("NG\r\n");
        assertEquals(List.of(10, 4), sink.reads);
    }

    @Test
    void shouldTellTheMemoryGuardWhatAnIncompleteRequestHolds()
    {
        final RespFrameDecoder decoder = channel.pipeline().get(RespFrameDecoder.class);
        write("*2\r\n$4\r\nPING\r\n$3\r\nab");
        assertTrue(decoder.incompleteLineBytes() > 0);
        write("c\r\n");
        assertEquals(0, decoder.incompleteLineBytes());
    }

    @Test
    void shouldAnswerARequestWhoseInputCouldNotBeGatheredThenStartAgainAfterTheNextLineFeed()
    {
        // The read buffer cannot grow, so the second read needs a new one from the allocator: it fails.
        channel.config().setAllocator(new FailingAllocator());
        final ByteBuf full = PooledByteBufAllocator.DEFAULT.directBuffer(10, 10);
        full.writeCharSequence("PING 1\r\n*1", StandardCharsets.US_ASCII);
        channel.writeInbound(full);
        write("\r\n$4\r\nPING\r\n");
        write("\r\nPING 4\r\n");
        assertEquals(List.of("PING 1", "OOM", "PING 4"), sink.events);
    }

    @Test
    void shouldReadStrictIntegersAsRedisString2ll()
    {
        assertEquals(0, parse("0"));
        assertEquals(-1, parse("-1"));
        assertEquals(Long.MAX_VALUE, parse("9223372036854775807"));
        for (final String bad : List.of("", "-", "-0", "01", "+1", "1a", " 1", "9223372036854775808"))
        {
            assertEquals(Long.MIN_VALUE, parse(bad), bad);
        }
    }

    private static long parse(final String text)
    {
        final ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        try
        {
            return RespFrameDecoder.parseLong(buf, 0, buf.writerIndex());
        }
        finally
        {
            buf.release();
        }
    }

    /** Records what the decoder hands on. */
    static final class Recorder implements FrameSink
    {
        final List<String> events = new ArrayList<>();
        final List<Integer> reads = new ArrayList<>();

        @Override
        public void onRead(final int bytes)
        {
            reads.add(bytes);
        }

        @Override
        public void onLine(final ByteBuf buffer, final int start, final int end, final long readNanos)
        {
            events.add(buffer.toString(start, end - start, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void onLineTooLong()
        {
            events.add("TOO LONG");
        }

        @Override
        public void onOutOfMemory()
        {
            events.add("OOM");
        }

        @Override
        public void onProtocolError(final int detail)
        {
            events.add("PROTOCOL " + RespProtocolError.text(detail));
        }
    }
}
