package dev.topics.transport.resp;

import dev.topics.testing.NettyLeakGuard;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.topics.transport.resp.RespBytes.ALLOC;
import static dev.topics.transport.resp.RespBytes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RespWriter's numbers: the digits it counts are the digits it writes, as Long.toString has them. */
@ExtendWith(NettyLeakGuard.class)
class RespWriterTest
{
    @Test
    void shouldWriteEveryNumberAsItsDecimalDigits()
    {
        final long[] values = {0, 1, 9, 10, 99, 100, 999, 1000, 65_535, Integer.MAX_VALUE, 999_999_999_999_999_999L,
            1_000_000_000_000_000_000L, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE + 1, Long.MIN_VALUE};
        for (final long value : values)
        {
            final String expected = ":" + value + "\r\n";
            final int length = RespWriter.headerLength(value);
            assertEquals(expected.length(), length, "length of " + value);
            final ByteBuf out = ALLOC.buffer(length, length);
            assertEquals(expected, text(RespWriter.writeHeader(out, ':', value)));
        }
    }

    @Test
    void shouldMeasureBulkStringsExactly()
    {
        for (final int n : new int[]{0, 9, 10, 99, 100, 12_345})
        {
            final byte[] bytes = RespBytes.bytes(RespBytes.repeat('b', n));
            final ByteBuf out = ALLOC.buffer(RespWriter.bulkLength(n), RespWriter.bulkLength(n));
            assertEquals("$" + n + "\r\n" + RespBytes.repeat('b', n) + "\r\n", text(RespWriter.writeBulk(out, bytes)));
        }
    }
}
