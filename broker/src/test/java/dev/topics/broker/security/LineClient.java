package dev.topics.broker.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A blocking test client speaking the line protocol over a plain or TLS socket, asserting on the
 * exact lines received. Every read times out, so a missing reply fails the test instead of hanging.
 *
 * <p>Used by one test thread at a time.
 */
final class LineClient implements AutoCloseable
{
    private static final int READ_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    LineClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static LineClient connect(final InetSocketAddress address) throws IOException
    {
        return new LineClient(new Socket(address.getAddress(), address.getPort()));
    }

    Socket socket()
    {
        return socket;
    }

    /** Sends {@code text} as it is: the caller writes the line endings. */
    LineClient send(final String text) throws IOException
    {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** The next line without its {@code \r\n}; fails when the connection ends first. */
    String readLine() throws IOException
    {
        final String line = readLineOrNull();
        if (line == null)
        {
            throw new IOException("connection closed while a line was expected");
        }
        return line;
    }

    /**
     * Reads until the server closes the connection and returns what came before the end, so a
     * test can check that nothing it must not see was sent.
     */
    String readUntilClosed() throws IOException
    {
        final ByteArrayOutputStream rest = new ByteArrayOutputStream();
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

    private String readLineOrNull() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0)
        {
            if (b == '\n' && previous == '\r')
            {
                final byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
        return null;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
