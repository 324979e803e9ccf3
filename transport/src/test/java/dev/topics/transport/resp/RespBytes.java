package dev.topics.transport.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test helpers for RespEncoder's bytes: each char of a string is one byte (ISO-8859-1), so a
 * expected reply is written as Redis' bytes are printed, {@code "$5\r\nhello\r\n"}.
 *
 * <p>Stateless; any test thread.
 */
final class RespBytes
{
    static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private RespBytes()
    {
    }

    /** The bytes of {@code frame} as chars, after checking it was allocated at its exact size; releases it. */
    static String text(final ByteBuf frame)
    {
        try
        {
            assertEquals(frame.capacity(), frame.readableBytes(), "exactly the size needed, allocated once");
            return chars(ByteBufUtil.getBytes(frame));
        }
        finally
        {
            frame.release();
        }
    }

    static String chars(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(final String chars)
    {
        return chars.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A buffer holding {@code chars}, as a payload the encoder takes over. */
    static ByteBuf buffer(final String chars)
    {
        return ALLOC.buffer().writeBytes(bytes(chars));
    }

    /** {@code c} repeated {@code n} times. */
    static String repeat(final char c, final int n)
    {
        return String.valueOf(c).repeat(n);
    }

    /**
     * The index just after the one RESP value starting at {@code at}; fails on anything that is
     * not well-formed RESP2 or RESP3.
     */
    static int skipValue(final byte[] in, final int at)
    {
        final int lineEnd = indexOfCrlf(in, at);
        final String head = chars(java.util.Arrays.copyOfRange(in, at + 1, lineEnd));
        final int next = lineEnd + 2;
        return switch ((char)in[at])
        {
            case '+', '-', ':', '_', ',', '#' -> next;
            case '$', '=' ->
            {
                final int length = Integer.parseInt(head);
                if (length < 0)
                {
                    yield next;
                }
                assertEquals('\r', (char)in[next + length]);
                assertEquals('\n', (char)in[next + length + 1]);
                yield next + length + 2;
            }
            case '*', '~', '>' -> skipValues(in, next, Integer.parseInt(head));
            case '%' -> skipValues(in, next, 2 * Integer.parseInt(head));
            default -> throw new AssertionError("not RESP at " + at + ": " + (char)in[at]);
        };
    }

    private static int skipValues(final byte[] in, final int at, final int count)
    {
        int position = at;
        for (int i = 0; i < count; i++)
        {
            position = skipValue(in, position);
        }
        return position;
    }

    private static int indexOfCrlf(final byte[] in, final int from)
    {
        for (int i = from; i + 1 < in.length; i++)
        {
            if (in[i] == '\r' && in[i + 1] == '\n')
            {
                return i;
            }
        }
        throw new AssertionError("no CRLF after " + from);
    }
}
