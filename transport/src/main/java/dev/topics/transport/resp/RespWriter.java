package dev.topics.transport.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The pieces of RESP every reply is made of, written straight into a {@link ByteBuf} and measured
 * beforehand so the caller can allocate the exact size: decimal numbers without a {@code String},
 * bulk strings, and the headers of aggregates.
 *
 * <p>Stateless; safe on any thread.
 */
final class RespWriter
{
    static final byte[] CRLF = {'\r', '\n'};

    private RespWriter()
    {
    }

    /** How many bytes {@code value} takes in decimal, with its sign. */
    static int digits(final long value)
    {
        if (value < 0)
        {
            return value == Long.MIN_VALUE ? 20 : 1 + digits(-value);
        }
        int digits = 1;
        long limit = 10;
        while (digits < 19 && value >= limit)
        {
            digits++;
            limit *= 10;
        }
        return digits;
    }

    /** Writes {@code value} in decimal, {@link #digits} bytes. */
    static ByteBuf writeDecimal(final ByteBuf out, final long value)
    {
        if (value < 0)
        {
            if (value == Long.MIN_VALUE)
            {
                out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
                return out;
            }
            out.writeByte('-');
            return writeDecimal(out, -value);
        }
        if (value < 10)
        {
            return out.writeByte((int)('0' + value)); // counts and most lengths: the common case
        }
        final int digits = digits(value);
        out.ensureWritable(digits);
        final int start = out.writerIndex();
        if (value <= Integer.MAX_VALUE)
        {
            // int division: cheaper than long on every JIT, and lengths and counts fit.
            int rest = (int)value;
            for (int i = start + digits - 1; i >= start; i--)
            {
                final int next = rest / 10;
                out.setByte(i, '0' + rest - next * 10);
                rest = next;
            }
        }
        else
        {
            long rest = value;
            for (int i = start + digits - 1; i >= start; i--)
            {
                out.setByte(i, (int)('0' + rest % 10));
                rest /= 10;
            }
        }
        return out.writerIndex(start + digits);
    }

    /** Bytes of a header such as {@code *3\r\n} or {@code $5\r\n}: type byte, number, CRLF. */
    static int headerLength(final long value)
    {
        return 1 + digits(value) + 2;
    }

    /** Writes a header such as {@code *3\r\n}, {@code $5\r\n} or {@code :7\r\n}. */
    static ByteBuf writeHeader(final ByteBuf out, final char type, final long value)
    {
        out.writeByte(type);
        return writeDecimal(out, value).writeBytes(CRLF);
    }

    /** Bytes of a bulk string of {@code length} bytes: {@code $<length>\r\n<bytes>\r\n}. */
    static int bulkLength(final int length)
    {
        return headerLength(length) + length + 2;
    }

    /** Writes a bulk string of {@code bytes}. */
    static ByteBuf writeBulk(final ByteBuf out, final byte[] bytes)
    {
        return writeHeader(out, '$', bytes.length).writeBytes(bytes).writeBytes(CRLF);
    }

    /** Writes a bulk string of {@code source[index, index + length)}. */
    static ByteBuf writeBulk(final ByteBuf out, final ByteBuf source, final int index, final int length)
    {
        return writeHeader(out, '$', length).writeBytes(source, index, length).writeBytes(CRLF);
    }

    /** The bytes of {@code s}, one byte per char (ISO-8859-1). */
    static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
