package dev.topics.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A blocking test client speaking the line protocol over a real socket, plain or TLS, reading
 * replies as raw bytes so tests can assert exact framing.
 *
 * <p>Used by one test thread at a time. Every read gives up after {@link #TIMEOUT_MS}, so a missing
 * reply fails the test instead of hanging it.
 */
public final class LineClient extends SocketClient
{
    /** Connects a plain socket to {@code address}. */
    public LineClient(final InetSocketAddress address) throws IOException
    {
        this(connect(address));
    }

    /** Speaks over a socket connected by the caller: a TLS socket after its handshake, for one. */
    public LineClient(final Socket socket) throws IOException
    {
        super(socket);
    }

    /** Sends {@code text} as UTF-8, exactly as given (add the line ending yourself). */
    public LineClient sendRaw(final String text) throws IOException
    {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    public LineClient sendRaw(final byte[] bytes) throws IOException
    {
        write(bytes);
        return this;
    }

    /** Sends {@code line} followed by CRLF. */
    public LineClient send(final String line) throws IOException
    {
        return sendRaw(line + "\r\n");
    }

    /** Reads one reply line including its line ending, as raw bytes. */
    public byte[] readLineBytes() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true)
        {
            for (int i = start; i < end; i++)
            {
                if (buffer[i] == '\n')
                {
                    line.write(buffer, start, i + 1 - start);
                    start = i + 1;
                    return line.toByteArray();
                }
            }
            line.write(buffer, start, end - start);
            if (refill() < 0)
            {
                throw new IOException("connection closed after " + line.size() + " bytes of a line: " + line);
            }
        }
    }

    /** Reads one reply line, checks it ends with CRLF, and returns it without the CRLF. */
    public String readLine() throws IOException
    {
        final String line = new String(readLineBytes(), StandardCharsets.UTF_8);
        if (!line.endsWith("\r\n"))
        {
            throw new IOException("reply not terminated by CRLF: " + line);
        }
        return line.substring(0, line.length() - 2);
    }
}
