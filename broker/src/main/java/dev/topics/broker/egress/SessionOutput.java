package dev.topics.broker.egress;

import dev.topics.transport.CloseReason;
import dev.topics.transport.ConnectionStats;
import dev.topics.transport.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.util.concurrent.TimeUnit;

/**
 * The writer's state for one connection: its write batch of copied frames, whether it has
 * unflushed writes, whether it is being closed, and its output totals, which it publishes to the
 * session's {@link ConnectionStats} once per flush rather than once per message. Attached to its
 * {@link Session} on the first write.
 *
 * <p>Owned by the writer of the session's shard, on that shard's event loop, like the channel it
 * writes to; no other thread touches it.
 */
final class SessionOutput
{
    /** Largest write batch of copied frames; a full one is handed to the channel. */
    static final int BATCH_CHUNK_BYTES = 16 * 1024;
    private static final int BATCH_INITIAL_BYTES = 256;
    /** How often the pending bytes of a connection with a backlog are read again while nothing is written. */
    private static final long PENDING_REFRESH_MS = 1_000;

    private final Channel channel;
    private final ConnectionStats stats;
    private final Runnable refreshPending = this::refreshPending;
    private boolean flushPending;
    private boolean closing;
    private boolean refreshScheduled;
    private ByteBuf batch;
    private long messagesOut;
    private long bytesOut;

    private SessionOutput(final Channel channel, final ConnectionStats stats)
    {
        this.channel = channel;
        this.stats = stats;
    }

    /** The state attached to {@code session}, attaching a new one on first use. */
    static SessionOutput of(final Session session)
    {
        final Object attached = session.egress();
        if (attached != null)
        {
            return (SessionOutput)attached;
        }
        final SessionOutput output = new SessionOutput(session.channel(), session.stats());
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

    /**
     * Bytes queued and not yet taken by the socket, as Netty counts them against the water marks
     * (each queued buffer adds a fixed overhead): what {@code --max-pending} limits. Read through
     * the public distances to the marks; Netty's own total is for its I/O thread only (this is
     * that thread, but {@code ChannelOutboundBuffer} is for transport implementors).
     */
    long pendingBytes()
    {
        if (!channel.isActive())
        {
            return 0; // Netty has dropped a closed channel's queue
        }
        final long beforeUnwritable = channel.bytesBeforeUnwritable();
        if (beforeUnwritable > 0)
        {
            return Math.max(0, channel.config().getWriteBufferHighWaterMark() + 1 - beforeUnwritable);
        }
        return channel.bytesBeforeWritable() + channel.config().getWriteBufferLowWaterMark() - 1;
    }

    /** Counts one delivery ({@code UPDATED} line), whichever way its bytes are written. */
    void countDelivery()
    {
        messagesOut++;
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
    void disconnect(final ByteBuf errorFrame, final CloseReason reason)
    {
        closing = true;
        stats.closing(reason);
        flushPending = false;
        if (batch != null)
        {
            batch.release();
            batch = null;
        }
        if (errorFrame != null)
        {
            bytesOut += errorFrame.readableBytes();
            channel.writeAndFlush(errorFrame, channel.voidPromise());
        }
        stats.onOutput(messagesOut, bytesOut);
        channel.close();
        publishPending();
    }

    /** Queues {@code frame} for writing and takes ownership of it; it is released once written. */
    void write(final ByteBuf frame)
    {
        writeBatch();
        bytesOut += frame.readableBytes();
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
        batchWithRoom(length).writeBytes(source, offset, length);
        bytesOut += length;
    }

    /**
     * The write batch, with at least {@code length} writable bytes, for the caller to write exactly
     * that many at its writer index and then call {@link #wroteToBatch}.
     */
    ByteBuf batchWithRoom(final int length)
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
        return batch;
    }

    /** Counts {@code length} bytes the caller wrote into {@link #batchWithRoom}'s buffer. */
    void wroteToBatch(final int length)
    {
        bytesOut += length;
    }

    /** The channel's allocator. */
    ByteBufAllocator alloc()
    {
        return channel.alloc();
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

    /** Flushes queued writes, clears the mark, and publishes the output figures. */
    void flush()
    {
        flushPending = false;
        writeBatch();
        stats.onOutput(messagesOut, bytesOut);
        channel.flush();
        publishPending();
    }

    /** Writes {@code frame}, flushes everything queued before it, then closes the connection. */
    void writeAndClose(final ByteBuf frame, final CloseReason reason)
    {
        flushPending = false;
        closing = true;
        stats.closing(reason);
        writeBatch();
        bytesOut += frame.readableBytes();
        stats.onOutput(messagesOut, bytesOut);
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        publishPending();
    }

    /**
     * Publishes what the socket has not taken yet, after a flush. While some bytes are pending,
     * they are read again every {@link #PENDING_REFRESH_MS}, so CLIENTS sees a backlog drain even
     * when nothing new is written to the connection.
     */
    private void publishPending()
    {
        final long pending = pendingBytes();
        stats.onPending(pending);
        if (pending > 0 && !refreshScheduled)
        {
            refreshScheduled = true;
            channel.eventLoop().schedule(refreshPending, PENDING_REFRESH_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void refreshPending()
    {
        refreshScheduled = false;
        publishPending();
    }
}
