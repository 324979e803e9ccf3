package dev.topics.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A blocking test client speaking Redis' RESP over a real socket: it sends commands as RESP arrays
 * of bulk strings (or any raw bytes) and reads back exactly one RESP value at a time as its raw
 * bytes, so tests assert the exact framing a Redis client would parse.
 *
 * <p>{@link #readBytes()} understands every RESP2 and RESP3 type: simple strings {@code +},
 * errors {@code -}, integers {@code :}, bulk strings {@code $} (and the RESP2 nil {@code $-1}),
 * arrays {@code *} (and {@code *-1}), null {@code _}, doubles {@code ,}, booleans {@code #}, big
 * numbers {@code (}, blob errors {@code !}, verbatim strings {@code =}, maps {@code %}, sets
 * {@code ~}, pushes {@code >} and attributes {@code |} (an attribute is returned together with the
 * value it annotates, as one read). It checks the framing (CRLF after every line and every bulk
 * payload) and fails with an {@link IOException} on anything else.
 *
 * <p>Used by one test thread at a time. Every read gives up after {@link #TIMEOUT_MS}, so a missing
 * reply fails the test instead of hanging it.
 */
public final class RespClient extends SocketClient
{
    /** Connects a plain socket to {@code address}. */
    public RespClient(final InetSocketAddress address) throws IOException
    {
        this(connect(address));
    }

    /** Speaks over a socket connected by the caller. */
    public RespClient(final Socket socket) throws IOException
    {
        super(socket);
    }

    /** The RESP array of bulk strings a Redis client sends for {@code args} (UTF-8). */
    public static byte[] encode(final String... args)
    {
        final byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++)
        {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return encode(bytes);
    }

    /** The RESP array of bulk strings a Redis client sends for {@code args}. */
    public static byte[] encode(final byte[]... args)
    {
        final ByteArrayOutputStream command = new ByteArrayOutputStream();
        command.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (final byte[] arg : args)
        {
            command.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            command.writeBytes(arg);
            command.writeBytes(new byte[] {'\r', '\n'});
        }
        return command.toByteArray();
    }

    /** Sends one command as a RESP array of bulk strings. */
    public RespClient send(final String... args) throws IOException
    {
        return sendRaw(encode(args));
    }

    /** Sends one command as a RESP array of bulk strings. */
    public RespClient send(final byte[]... args) throws IOException
    {
        return sendRaw(encode(args));
    }

    /** Sends {@code text} as UTF-8, exactly as given: inline commands, pipelines, broken frames. */
    public RespClient sendRaw(final String text) throws IOException
    {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    public RespClient sendRaw(final byte[] bytes) throws IOException
    {
        write(bytes);
        return this;
    }

    /** Sends one command and reads one value, as UTF-8 text (raw bytes, CRLFs included). */
    public String call(final String... args) throws IOException
    {
        return send(args).read();
    }

    /** Reads exactly one RESP value as UTF-8 text: its raw bytes, CRLFs included. */
    public String read() throws IOException
    {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    /** Reads {@code count} RESP values and returns their raw bytes concatenated, as UTF-8 text. */
    public String read(final int count) throws IOException
    {
        final StringBuilder values = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            values.append(read());
        }
        return values.toString();
    }

    /** Reads exactly one RESP value and returns its raw bytes, CRLFs included. */
    public byte[] readBytes() throws IOException
    {
        final ByteArrayOutputStream value = new ByteArrayOutputStream();
        readValue(value);
        return value.toByteArray();
    }

    private void readValue(final ByteArrayOutputStream value) throws IOException
    {
        final int from = value.size();
        if (start == end)
        {
            fill(value);
        }
        if ("+-:,(_#$!=*~>%|".indexOf(buffer[start]) < 0)
        {
            // Fail at once rather than wait for a line end that may never come.
            final ByteArrayOutputStream rest = new ByteArrayOutputStream();
            rest.write(buffer, start, end - start);
            start = end;
            throw new IOException("not a RESP type byte: 0x" + Integer.toHexString(rest.toByteArray()[0] & 0xff) + " in "
                + show(value.toByteArray()) + "|" + show(rest.toByteArray()));
        }
        readLine(value);
        final byte[] sofar = value.toByteArray();
        final byte type = sofar[from];
        final String header = new String(sofar, from + 1, sofar.length - from - 3, StandardCharsets.US_ASCII);
        switch (type)
        {
            case '+', '-', ':', ',', '(' ->
            {
                // A line, already read.
            }
            case '_' ->
                expectEmpty(type, header);
            case '#' ->
            {
                if (!header.equals("t") && !header.equals("f"))
                {
                    throw new IOException("bad boolean: #" + header);
                }
            }
            case '$', '!', '=' ->
            {
                final long length = length(type, header);
                if (length >= 0)
                {
                    readExactly(value, length);
                    final byte[] crlf = readExactlyBytes(2);
                    value.writeBytes(crlf);
                    if (crlf[0] != '\r' || crlf[1] != '\n')
                    {
                        throw new IOException("bulk payload of " + length + " bytes not followed by CRLF: " + value);
                    }
                }
                else if (type != '$' || length != -1)
                {
                    throw new IOException("bad length " + length + " in " + (char) type + header);
                }
            }
            case '*', '~', '>' ->
            {
                final long count = length(type, header);
                if (count < -1 || count == -1 && type != '*')
                {
                    throw new IOException("bad count " + count + " in " + (char) type + header);
                }
                for (long i = 0; i < count; i++)
                {
                    readValue(value);
                }
            }
            case '%' ->
            {
                final long count = length(type, header);
                for (long i = 0; i < 2 * count; i++)
                {
                    readValue(value);
                }
            }
            case '|' ->
            {
                final long count = length(type, header);
                for (long i = 0; i < 2 * count; i++)
                {
                    readValue(value);
                }
                readValue(value); // the value the attribute annotates
            }
            default -> throw new IOException("not a RESP type byte: '" + (char) type + "' in " + value);
        }
    }

    /** {@code bytes} as text with CR, LF and other control bytes escaped, for messages. */
    public static String show(final byte[] bytes)
    {
        final StringBuilder text = new StringBuilder();
        for (final byte b : bytes)
        {
            if (b == '\r')
            {
                text.append("\\r");
            }
            else if (b == '\n')
            {
                text.append("\\n");
            }
            else if (b >= 0x20 && b < 0x7f)
            {
                text.append((char) b);
            }
            else
            {
                text.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return text.toString();
    }

    private static void expectEmpty(final byte type, final String header) throws IOException
    {
        if (!header.isEmpty())
        {
            throw new IOException("bad " + (char) type + " line: " + header);
        }
    }

    private static long length(final byte type, final String header) throws IOException
    {
        try
        {
            return Long.parseLong(header);
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException("bad length in " + (char) type + header, ex);
        }
    }

    /** Appends one line, CRLF included, to {@code value}; fails on a bare LF. */
    private void readLine(final ByteArrayOutputStream value) throws IOException
    {
        final int from = value.size();
        while (true)
        {
            for (int i = start; i < end; i++)
            {
                if (buffer[i] == '\n')
                {
                    value.write(buffer, start, i + 1 - start);
                    start = i + 1;
                    final byte[] line = value.toByteArray();
                    if (line.length - from < 3 || line[line.length - 2] != '\r')
                    {
                        throw new IOException("RESP line not terminated by CRLF or empty: " + new String(line, StandardCharsets.UTF_8));
                    }
                    return;
                }
            }
            value.write(buffer, start, end - start);
            fill(value);
        }
    }

    private void readExactly(final ByteArrayOutputStream value, final long length) throws IOException
    {
        long left = length;
        while (left > 0)
        {
            if (start == end)
            {
                fill(value);
            }
            final int n = (int) Math.min(left, end - start);
            value.write(buffer, start, n);
            start += n;
            left -= n;
        }
    }

    private byte[] readExactlyBytes(final int length) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        readExactly(bytes, length);
        return bytes.toByteArray();
    }

    private void fill(final ByteArrayOutputStream sofar) throws IOException
    {
        final int n;
        try
        {
            n = refill();
        }
        catch (final SocketTimeoutException ex)
        {
            throw new SocketTimeoutException("no complete RESP value within " + TIMEOUT_MS + " ms; got so far: "
                + sofar.toString(StandardCharsets.UTF_8));
        }
        if (n < 0)
        {
            throw new IOException("connection closed after " + sofar.size() + " bytes of a value: " + sofar.toString(StandardCharsets.UTF_8));
        }
    }
}
