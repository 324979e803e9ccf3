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
 * What {@link LineClient} and {@link RespClient} share: a blocking socket with a read timeout of
 * {@link #TIMEOUT_MS}, its output stream, and the buffered input (the {@link #buffer} and its
 * unread bytes from {@link #start} to {@link #end}, refilled from the socket by {@link #refill()}),
 * plus the protocol-neutral calls on them: detecting the server's close, draining until it, a
 * reset, and close. The subclasses parse their protocol from the buffer.
 *
 * <p>Not thread-safe: the test thread that owns the client is the only one to use it.
 */
abstract class SocketClient implements AutoCloseable
{
    public static final int TIMEOUT_MS = 10_000;

    final byte[] buffer = new byte[64 * 1024];
    int start;
    int end;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    SocketClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A plain socket connected to {@code address}. */
    static Socket connect(final InetSocketAddress address) throws IOException
    {
        return new Socket(address.getAddress(), address.getPort());
    }

    public Socket socket()
    {
        return socket;
    }

    /** Writes {@code bytes} and flushes them. */
    final void write(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * Empties the buffer and reads what the socket has into it: returns the number of bytes read,
     * or -1 at end-of-stream (the buffer left empty, as it is when the read throws).
     */
    final int refill() throws IOException
    {
        start = 0;
        end = 0; // nothing buffered, also when the read below throws
        final int n = in.read(buffer);
        end = Math.max(n, 0);
        return n;
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
            int n;
            final byte[] chunk = new byte[8192];
            while ((n = in.read(chunk)) >= 0)
            {
                rest.write(chunk, 0, n);
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
