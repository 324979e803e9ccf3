package dev.topics.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;

import java.net.SocketAddress;

/**
 * One client connection as the rest of the broker sees it: an id, and a way to write to it.
 *
 * <p>Created on the channel's event loop; {@link #id()} and {@link #shard()} may be read by any
 * thread. Writes, the flush and closing marks belong to the writer of its shard, which runs on
 * that same event loop, so a write goes straight into the channel without a thread hop. The
 * slow-consumer figure is written by that writer and read by the engine afterwards.
 */
public final class Session
{
    private final long id;
    private final Channel channel;
    private final int shard;
    private final SocketAddress remoteAddress;
    /** Largest write batch of copied frames; a full one is handed to the channel. */
    public static final int BATCH_CHUNK_BYTES = 16 * 1024;
    private static final int BATCH_INITIAL_BYTES = 256;

    private boolean flushPending;
    private ByteBuf batch;
    private boolean closing;
    private volatile long slowConsumerPendingBytes = -1;

    /** A session on shard 0, for a single event loop and for tests. */
    public Session(final long id, final Channel channel)
    {
        this(id, channel, 0);
    }

    /** @param shard the index of the event loop {@code channel} is registered with. */
    public Session(final long id, final Channel channel, final int shard)
    {
        this.id = id;
        this.channel = channel;
        this.shard = shard;
        // Kept, because a closed channel may no longer know its peer when the close is logged.
        this.remoteAddress = channel.remoteAddress();
    }

    public long id()
    {
        return id;
    }

    /** The writer shard: the index of the event loop this connection lives on. */
    public int shard()
    {
        return shard;
    }

    public ByteBufAllocator alloc()
    {
        return channel.alloc();
    }

    public SocketAddress remoteAddress()
    {
        return remoteAddress;
    }

    /**
     * False once the bytes queued for this connection and not yet taken by its socket passed the
     * high water mark ({@code --max-pending}): the client is not reading fast enough.
     *
     * <p>True for a connection already closed (its peer left; the disconnect is on its way to the
     * engine): it is gone, not slow, and a write to it is simply released by Netty. Netty's own
     * {@code Channel.isWritable()} is false once the channel has dropped its outbound buffer on
     * close, which would count every client that leaves while messages are routed to it as a slow
     * consumer.
     */
    public boolean isWritable()
    {
        final ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        return outbound == null || outbound.isWritable();
    }

    /** Bytes queued for this connection that its socket has not taken yet. */
    public long pendingBytes()
    {
        final var outbound = channel.unsafe().outboundBuffer();
        return outbound == null ? 0 : outbound.totalPendingWriteBytes();
    }

    /** True once this session is being closed by its writer; later writes are dropped. */
    public boolean isClosing()
    {
        return closing;
    }

    /**
     * Writes {@code errorFrame} (best effort: it only arrives if the socket drains), then closes at
     * once, dropping everything still queued so the memory is freed now.
     */
    public void disconnectSlowConsumer(final ByteBuf errorFrame)
    {
        slowConsumerPendingBytes = pendingBytes();
        closing = true;
        flushPending = false;
        if (batch != null)
        {
            batch.release();
            batch = null;
        }
        channel.writeAndFlush(errorFrame, channel.voidPromise());
        channel.close();
    }

    /** The pending bytes when it was cut off as a slow consumer, or -1 if it never was. */
    public long slowConsumerPendingBytes()
    {
        return slowConsumerPendingBytes;
    }

    /** Queues {@code frame} for writing and takes ownership of it; it is released once written. */
    public void write(final ByteBuf frame)
    {
        writeBatch();
        channel.write(frame, channel.voidPromise());
    }

    /**
     * Copies {@code frame}'s readable bytes into this session's write batch (written at the next
     * {@link #write}, {@link #flush} or when it holds {@link #BATCH_CHUNK_BYTES}), leaving
     * {@code frame} untouched. For small frames this is cheaper than a shared view (an object, an
     * outbound queue entry and reference-count updates per delivery) and takes no more memory.
     */
    public void writeCopy(final ByteBuf frame)
    {
        final int length = frame.readableBytes();
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
        batch.writeBytes(frame, frame.readerIndex(), length);
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
     * Marks this session as having unflushed writes.
     *
     * @return true if it was not marked yet, so the caller should remember to flush it.
     */
    public boolean markFlushPending()
    {
        if (flushPending)
        {
            return false;
        }
        flushPending = true;
        return true;
    }

    /** Flushes queued writes and clears the mark. */
    public void flush()
    {
        flushPending = false;
        writeBatch();
        channel.flush();
    }

    /** Writes {@code frame}, flushes everything queued before it, then closes the connection. */
    public void writeAndClose(final ByteBuf frame)
    {
        flushPending = false;
        closing = true;
        writeBatch();
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    }

    public void close()
    {
        channel.close();
    }

    @Override
    public String toString()
    {
        return "session-" + id + "(" + remoteAddress + ")";
    }
}
