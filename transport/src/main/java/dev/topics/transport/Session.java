package dev.topics.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.net.SocketAddress;

/**
 * One client connection as the rest of the broker sees it: an id, and a way to write to it.
 *
 * <p>Created on the channel's event loop; {@link #id()} and {@link #shard} may be read by any
 * thread. Writes may come from any one thread at a time (the writer that owns this session's
 * shard); Netty queues them onto the event loop in order. The flush mark is owned by that writer.
 */
public final class Session
{
    private final long id;
    private final Channel channel;
    private boolean flushPending;

    public Session(final long id, final Channel channel)
    {
        this.id = id;
        this.channel = channel;
    }

    public long id()
    {
        return id;
    }

    /** Which of {@code shards} writers owns this session. */
    public int shard(final int shards)
    {
        return (int)(id % shards);
    }

    public ByteBufAllocator alloc()
    {
        return channel.alloc();
    }

    public SocketAddress remoteAddress()
    {
        return channel.remoteAddress();
    }

    /** Queues {@code frame} for writing and takes ownership of it; it is released once written. */
    public void write(final ByteBuf frame)
    {
        channel.write(frame, channel.voidPromise());
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
        channel.flush();
    }

    /** Writes {@code frame}, flushes everything queued before it, then closes the connection. */
    public void writeAndClose(final ByteBuf frame)
    {
        flushPending = false;
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    }

    public void close()
    {
        channel.close();
    }

    @Override
    public String toString()
    {
        return "session-" + id + "(" + channel.remoteAddress() + ")";
    }
}
