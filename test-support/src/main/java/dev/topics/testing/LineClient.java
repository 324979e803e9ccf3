package dev.topics.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A blocking test client speaking the line protocol over a real socket, plain or TLS, reading
 * replies as raw bytes so tests can assert exact framing.
 *
 * <p>Used by one test thread at a time. Every read gives up after {@link #TIMEOUT_MS}, so a missing
 * reply fails the test instead of hanging it.
 */
public final class LineClient implements AutoCloseable
{
    public static final int TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    /** Connects a plain socket to {@code address}. */
    public LineClient(final InetSocketAddress address) throws IOException
    {
        this(new Socket(address.getAddress(), address.getPort()));
    }

    /** Speaks over a socket connected by the caller: a TLS socket after its handshake, for one. */
    public LineClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public Socket socket()
    {
        return socket;
    }

    /** Sends {@code text} as UTF-8, exactly as given (add the line ending yourself). */
    public LineClient sendRaw(final String text) throws IOException
    {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    public LineClient sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
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
            start = 0;
            end = 0; // nothing buffered, also when the read below throws
            end = in.read(buffer);
            if (end < 0)
            {
                end = 0;
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

    /** True once the server has closed the connection (reads end-of-stream). */
    public boolean isClosedByServer() throws IOException
    {
        if (start < end)
        {
            return false;
        }
        try
        {
            return in.read() < 0;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /**
     * Reads until the server closes the connection and returns what came before the end (bytes
     * already buffered included), so a test can check that nothing it must not see was sent.
     */
    public String readUntilClosed() throws IOException
    {
        final ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(buffer, start, end - start);
        start = 0;
        end = 0;
        try
        {
            int b;
            while ((b = in.read()) >= 0)
            {
                rest.write(b);
            }
        }
        catch (final SocketException reset)
        {
            // A reset is a close as well.
        }
        return rest.toString(StandardCharsets.UTF_8);
    }

    /** Closes with a TCP reset instead of an orderly FIN. */
    public void reset() throws IOException
    {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
