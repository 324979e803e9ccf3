package dev.topics.transport.resp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds a RESP value in memory, in the types of one protocol version: RESP3's maps ({@code %}),
 * sets ({@code ~}) and verbatim strings ({@code =}) become RESP2's flat arrays and bulk strings.
 * For replies made rarely (the COMMAND table once, INFO and CLIENT LIST on request), never for
 * deliveries.
 *
 * <p>Mutable; one thread.
 */
final class RespBuilder
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private final boolean resp3;

    RespBuilder(final int version)
    {
        this.resp3 = version >= 3;
    }

    RespBuilder array(final int size)
    {
        return header('*', size);
    }

    /** A map of {@code entries} key-value pairs: {@code %n} in RESP3, an array of 2n in RESP2. */
    RespBuilder map(final int entries)
    {
        return resp3 ? header('%', entries) : header('*', 2L * entries);
    }

    /** A set: {@code ~n} in RESP3, an array in RESP2. */
    RespBuilder set(final int size)
    {
        return header(resp3 ? '~' : '*', size);
    }

    /** A set of simple strings, as Redis lists a command's flags and ACL categories. */
    RespBuilder simpleSet(final String... values)
    {
        set(values.length);
        for (final String value : values)
        {
            simple(value);
        }
        return this;
    }

    /** A set of bulk strings, as Redis lists a command's tips. */
    RespBuilder bulkSet(final String... values)
    {
        set(values.length);
        for (final String value : values)
        {
            bulk(value);
        }
        return this;
    }

    RespBuilder simple(final String value)
    {
        out.write('+');
        ascii(value);
        return crlf();
    }

    RespBuilder bulk(final String value)
    {
        return bulk(RespWriter.bytes(value));
    }

    RespBuilder bulk(final byte[] value)
    {
        header('$', value.length);
        out.write(value, 0, value.length);
        return crlf();
    }

    RespBuilder integer(final long value)
    {
        return header(':', value);
    }

    /** Text as Redis sends INFO or CLIENT LIST: a verbatim {@code txt} string in RESP3, else a bulk string. */
    RespBuilder text(final byte[] value)
    {
        if (!resp3)
        {
            return bulk(value);
        }
        header('=', value.length + 4L);
        ascii("txt:");
        out.write(value, 0, value.length);
        return crlf();
    }

    byte[] toByteArray()
    {
        return out.toByteArray();
    }

    private RespBuilder header(final char type, final long value)
    {
        out.write(type);
        ascii(Long.toString(value));
        return crlf();
    }

    private void ascii(final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        out.write(bytes, 0, bytes.length);
    }

    private RespBuilder crlf()
    {
        out.write('\r');
        out.write('\n');
        return this;
    }
}
