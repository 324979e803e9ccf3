package dev.topics.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * What every port's frame decoder does around its framing: takes the clock once per read (every
 * request it completes carries that time), counts the bytes read, publishes how much it holds for
 * an incomplete request (for the {@link MemoryGuard}), and survives an {@link OutOfMemoryError}
 * while Netty gathers the input: the request being gathered is lost and answered in its place,
 * and the subclass restarts its framing.
 *
 * <p>One instance per channel, used on that channel's event-loop thread, except
 * {@link #incompleteLineBytes()}, which the memory guard reads from another.
 */
public abstract class RequestFrameDecoder extends ByteToMessageDecoder implements HeldInput
{
    /** Where framed requests go: the connection's handler. */
    protected final FrameSink sink;
    /** When the bytes being decoded were read. */
    private long readNanos;
    /**
     * Capacity of the buffer holding an incomplete request after the last read, 0 when none: what
     * this connection makes the broker hold for its input. Written only when it changes.
     */
    private volatile int incompleteBytes;

    protected RequestFrameDecoder(final FrameSink sink)
    {
        this.sink = sink;
    }

    /** Bytes held for this connection's incomplete request; any thread (the memory guard). */
    @Override
    public final int incompleteLineBytes()
    {
        return incompleteBytes;
    }

    @Override
    public final void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception
    {
        readNanos = System.nanoTime();
        if (msg instanceof ByteBuf bytes)
        {
            sink.onRead(bytes.readableBytes());
        }
        try
        {
            super.channelRead(ctx, msg);
        }
        catch (final OutOfMemoryError ex)
        {
            // The cumulation could not grow; Netty has released what was read, so the stream has
            // a hole: what this request gathered so far is dropped with the rest of it.
            final ByteBuf gathered = internalBuffer();
            gathered.skipBytes(gathered.readableBytes());
            if (restartAfterLostInput())
            {
                heldForIncompleteRequest(0);
                sink.onOutOfMemory();
            }
        }
    }

    /** When the bytes being decoded were read ({@link System#nanoTime()}, once per read). */
    protected final long readNanos()
    {
        return readNanos;
    }

    /** Publishes the bytes now held for an incomplete request. */
    protected final void heldForIncompleteRequest(final int bytes)
    {
        if (incompleteBytes != bytes)
        {
            incompleteBytes = bytes;
        }
    }

    /**
     * Input was lost to an out-of-memory error: restart the framing so the rest of the lost
     * request is discarded.
     *
     * @return true to answer the lost request in its place (out of memory); false when the
     * connection takes nothing more anyway.
     */
    protected abstract boolean restartAfterLostInput();
}
