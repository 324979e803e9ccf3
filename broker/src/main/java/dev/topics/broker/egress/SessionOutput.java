package dev.topics.broker.egress;

import dev.topics.transport.Session;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * The writer's state for one connection: its write batch of copied frames, whether it has
 * unflushed writes, and whether it is being closed. Attached to its {@link Session} on the first
 * write.
 *
 * <p>Owned by the writer of the session's shard, on that shard's event loop, like the channel it
 * writes to; no other thread touches it.
 */
final class SessionOutput
{
    /** Largest write batch of copied frames; a full one is handed to the channel. */
    static final int BATCH_CHUNK_BYTES = 16 * 1024;
    private static final int BATCH_INITIAL_BYTES = 256;

    private final Channel channel;
    private boolean flushPending;
    private boolean closing;
    private ByteBuf batch;

    private SessionOutput(final Channel channel)
    {
        this.channel = channel;
    }

    /** The state attached to {@code session}, attaching a new one on first use. */
    static SessionOutput of(final Session session)
    {
        final Object attached = session.egress();
        if (attached != null)
        {
            return (SessionOutput)attached;
        }
        final SessionOutput output = new SessionOutput(session.channel());
        session.attachEgress(output);
        return output;
    }

    /**
     * False once the bytes queued for this connection passed the high water mark
     * ({@code --max-pending}): the client is not reading fast enough.
     *
     * <p>True for a connection already closed (its peer left; the disconnect is on its way to the
     * engine): it is gone, not slow, and a write to it is simply released by Netty. Netty's own
     * {@code isWritable()} alone is false once a closed channel dropped its outbound buffer, which
     * would count every client that leaves while messages are routed to it as a slow consumer.
     */
    boolean isWritable()
    {
        return !channel.isActive() || channel.isWritable();
    }

    /** Bytes queued and not yet taken by the socket, for an unwritable channel. */
    long pendingBytes()
    {
        return channel.bytesBeforeWritable() + channel.config().getWriteBufferLowWaterMark();
    }

    /** True once this connection is being closed by its writer; later writes are dropped. */
    boolean isClosing()
    {
        return closing;
    }

    /**
     * Writes {@code errorFrame} (best effort: it only arrives if the socket drains; none when
     * null), then closes at once, dropping everything still queued so the memory is freed now.
     */
    void disconnect(final ByteBuf errorFrame)
    {
        closing = true;
        flushPending = false;
        if (batch != null)
        {
            batch.release();
            batch = null;
        }
        if (errorFrame != null)
        {
            channel.writeAndFlush(errorFrame, channel.voidPromise());
        }
        channel.close();
    }

    /** Queues {@code frame} for writing and takes ownership of it; it is released once written. */
    void write(final ByteBuf frame)
    {
        writeBatch();
        channel.write(frame, channel.voidPromise());
    }

    /**
     * Copies {@code source[offset, offset + length)} into the write batch (written at the next
     * {@link #write}, {@link #flush} or when it holds {@link #BATCH_CHUNK_BYTES}), leaving
     * {@code source} untouched. For small frames this is cheaper than a shared view (an object, an
     * outbound queue entry and reference-count updates per delivery) and takes no more memory.
     */
    void writeCopy(final ByteBuf source, final int offset, final int length)
    {
        if (batch != null && batch.maxWritableBytes() < length)
        {
            writeBatch();
        }
        if (batch == null)
        {
            // Starts small and grows by doubling up to the chunk size: a connection that gets one
            // short line per drain must not pin a whole chunk while its socket is slow.
            batch = channel.alloc().directBuffer(
                Math.max(BATCH_INITIAL_BYTES, length), Math.max(BATCH_CHUNK_BYTES, length));
        }
        batch.writeBytes(source, offset, length);
    }

    private void writeBatch()
    {
        final ByteBuf pending = batch;
        if (pending != null)
        {
            batch = null;
            channel.write(pending, channel.voidPromise());
        }
    }

    /**
     * Marks this connection as having unflushed writes.
     *
     * @return true if it was not marked yet, so the caller should remember to flush it.
     */
    boolean markFlushPending()
    {
        if (flushPending)
        {
            return false;
        }
        flushPending = true;
        return true;
    }

    /** Flushes queued writes and clears the mark. */
    void flush()
    {
        flushPending = false;
        writeBatch();
        channel.flush();
    }

    /** Writes {@code frame}, flushes everything queued before it, then closes the connection. */
    void writeAndClose(final ByteBuf frame)
    {
        flushPending = false;
        closing = true;
        writeBatch();
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    }
}
