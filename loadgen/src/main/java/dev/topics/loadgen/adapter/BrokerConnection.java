package dev.topics.loadgen.adapter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection to a broker, set up by the run's coordinating thread and then handed to
 * exactly one reading thread (and at most one writing thread); not thread-safe otherwise.
 *
 * <p>Plain blocking {@link SocketChannel}: one thread per connection blocks in {@code read} or
 * {@code write}, which costs no CPU while idle and batches naturally under load. Only the
 * bounded {@link #poll} (the setup handshake waiting for the PONG that proves subscriptions are
 * active, the end-of-run probe of a slow subscriber) uses a selector, so that it ends in time.
 */
public final class BrokerConnection implements AutoCloseable
{
    /** Large enough for many small frames per read, and for the largest payload we send. */
    public static final int READ_BUFFER_BYTES = 256 * 1024;

    private final Target target;
    private final SocketChannel channel;
    private final FrameDecoder decoder;
    private final byte[] readBytes;
    private final ByteBuffer readBuffer;
    private final ByteBuffer pongBuffer;

    private BrokerConnection(final Target target, final SocketChannel channel, final int readBufferBytes)
    {
        this.target = target;
        this.channel = channel;
        this.decoder = target.kind().protocol().newDecoder();
        this.readBytes = new byte[readBufferBytes];
        this.readBuffer = ByteBuffer.wrap(readBytes);
        this.pongBuffer = ByteBuffer.wrap(target.kind().protocol().pong());
    }

    /** Connects to the target's (publisher) address and sends the protocol's hello. */
    public static BrokerConnection open(
        final Target target,
        final int receiveBufferBytes,
        final int maxPayloadBytes,
        final long timeoutNs) throws IOException
    {
        return open(target, target.address(), receiveBufferBytes, maxPayloadBytes, timeoutNs);
    }

    /**
     * Connects to {@code address}, one of the target's nodes, and sends the protocol's hello.
     *
     * @param receiveBufferBytes SO_RCVBUF to ask for, or 0 for the system default (a slow
     *                           subscriber asks for a small one so the broker notices sooner)
     */
    public static BrokerConnection open(
        final Target target,
        final InetSocketAddress address,
        final int receiveBufferBytes,
        final int maxPayloadBytes,
        final long timeoutNs) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (receiveBufferBytes > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            channel.socket().connect(address, (int) Math.max(1, timeoutNs / 1_000_000));
            final BrokerConnection connection = new BrokerConnection(
                target, channel, Math.max(READ_BUFFER_BYTES, 4 * maxPayloadBytes + 4096));
            connection.writeFully(ByteBuffer.wrap(target.kind().protocol().hello()));
            return connection;
        }
        catch (final IOException | RuntimeException e)
        {
            channel.close();
            throw new IOException("cannot connect to " + target.label() + " at " + address.getHostString() + ":"
                + address.getPort() + ": " + e.getMessage(), e);
        }
    }

    public Target target()
    {
        return target;
    }

    /**
     * Subscribes to {@code topics}, or to the patterns {@code topics} when {@code patterns}, and
     * returns once the broker confirmed they are active.
     */
    public void subscribe(final String[] topics, final boolean patterns, final long timeoutNs) throws IOException
    {
        final WireProtocol protocol = target.kind().protocol();
        int bytes = 64;
        for (final String topic : topics)
        {
            bytes += 64 + 2 * topic.length();
        }
        final ByteBuffer out = ByteBuffer.allocate(bytes);
        for (int i = 0; i < topics.length; i++)
        {
            if (patterns)
            {
                protocol.encodePatternSubscribe(out, topics[i], i + 1);
            }
            else
            {
                protocol.encodeSubscribe(out, topics[i], i + 1);
            }
        }
        out.flip();
        writeFully(out);
        awaitPong(timeoutNs);
    }

    /** Sends a PING and waits for its PONG: everything sent before is processed. */
    public void awaitPong(final long timeoutNs) throws IOException
    {
        writeFully(ByteBuffer.wrap(target.kind().protocol().ping()));
        final SetupListener listener = new SetupListener();
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (listener.pongs == 0)
        {
            final long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0)
            {
                throw new IOException(target + " did not answer PING within " + timeoutNs / 1_000_000 + " ms");
            }
            if (poll(listener, leftNs) < 0)
            {
                throw new IOException(target + " closed the connection during setup");
            }
            if (listener.error != null)
            {
                throw new IOException(target + " answered " + listener.error);
            }
        }
    }

    /**
     * Blocking read: waits for bytes, then decodes every complete frame; a partial frame stays in
     * the buffer for the next call. The reading thread's loop, which costs no CPU while idle.
     *
     * @return bytes read, or -1 at end of stream
     */
    public int readAndDecode(final InboundListener listener) throws IOException
    {
        return decode(channel.read(readBuffer), listener);
    }

    /**
     * Bounded read: waits at most {@code timeoutNs} for bytes, reads what is there and decodes it
     * like {@link #readAndDecode}. The connection is blocking again afterwards.
     *
     * @return bytes read, 0 when none arrived in time, or -1 at end of stream
     */
    public int poll(final InboundListener listener, final long timeoutNs) throws IOException
    {
        channel.configureBlocking(false);
        try (Selector selector = Selector.open())
        {
            channel.register(selector, SelectionKey.OP_READ);
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNs)));
            return decode(channel.read(readBuffer), listener);
        }
        finally
        {
            // Closing the selector deregistered the channel, so it may block again.
            channel.configureBlocking(true);
        }
    }

    private int decode(final int read, final InboundListener listener) throws IOException
    {
        if (read <= 0)
        {
            return read;
        }
        listener.onRead(System.nanoTime());
        final int end = readBuffer.position();
        final int consumed = decoder.decode(readBytes, 0, end, listener);
        if (consumed == 0 && end == readBytes.length)
        {
            throw new IOException(target + " sent a frame larger than " + readBytes.length + " bytes");
        }
        System.arraycopy(readBytes, consumed, readBytes, 0, end - consumed);
        readBuffer.position(end - consumed);
        return read;
    }

    /** Answers a server PING; only from the thread that owns writing on this connection. */
    public void sendPong() throws IOException
    {
        pongBuffer.clear();
        writeFully(pongBuffer);
    }

    public void writeFully(final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // Closing after a reset: nothing left to release.
        }
    }

    /** Counts what the setup handshake needs to see; a NATS server may ping us meanwhile. */
    private final class SetupListener implements InboundListener
    {
        int pongs;
        String error;

        @Override
        public void onPong()
        {
            pongs++;
        }

        @Override
        public void onServerPing()
        {
            try
            {
                sendPong();
            }
            catch (final IOException e)
            {
                error = "failure answering PING: " + e.getMessage();
            }
        }

        @Override
        public void onError(final byte[] buffer, final int offset, final int length)
        {
            error = new String(buffer, offset, length, StandardCharsets.UTF_8);
        }
    }
}
