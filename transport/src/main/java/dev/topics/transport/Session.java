package dev.topics.transport;

import dev.topics.transport.codec.ReplyEncoder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

import java.net.SocketAddress;

/**
 * One client connection as the rest of the broker sees it: an id, the shard (event loop) it lives
 * on, its channel, the encoder of the protocol it speaks, and its traffic figures.
 *
 * <p>Created on the channel's event loop and immutable apart from the egress attachment, so any
 * thread may read it. The attachment and every write to the channel belong to the writer of its
 * shard, which runs on that same event loop; the {@link ConnectionStats} are written there too and
 * readable anywhere.
 */
public final class Session
{
    private final long id;
    private final Channel channel;
    private final int shard;
    private final ReplyEncoder encoder;
    /** Kept, because a closed channel may no longer know its peer when the close is logged. */
    private final SocketAddress remoteAddress;
    private final ConnectionStats stats;
    private Object egress;

    /**
     * @param shard   the index of the event loop {@code channel} is registered with.
     * @param encoder how replies and deliveries are written in this connection's protocol.
     */
    public Session(final long id, final Channel channel, final int shard, final ReplyEncoder encoder)
    {
        this.id = id;
        this.channel = channel;
        this.shard = shard;
        this.encoder = encoder;
        this.remoteAddress = channel.remoteAddress();
        this.stats = new ConnectionStats(System.nanoTime());
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

    public Channel channel()
    {
        return channel;
    }

    public ByteBufAllocator alloc()
    {
        return channel.alloc();
    }

    public ReplyEncoder encoder()
    {
        return encoder;
    }

    /** The peer's address when the connection opened; null when the channel had none. */
    public SocketAddress remoteAddress()
    {
        return remoteAddress;
    }

    /** Traffic figures, written on this connection's event loop, readable on any thread. */
    public ConnectionStats stats()
    {
        return stats;
    }

    /** The writer's per-connection state, or null before its first write; writer's thread only. */
    public Object egress()
    {
        return egress;
    }

    /** Attaches the writer's per-connection state; writer's thread only. */
    public void attachEgress(final Object state)
    {
        this.egress = state;
    }

    @Override
    public String toString()
    {
        return "session-" + id + "(" + remoteAddress + ")";
    }
}
