package dev.topics.transport;

import dev.topics.transport.codec.ReplyEncoder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

import java.net.SocketAddress;

/**
 * One client connection as the rest of the broker sees it: an id, the shard (event loop) it lives
 * on, its channel, the encoder of the protocol it speaks, and its traffic figures.
 *
 * <p>Created on the channel's event loop and immutable apart from two attachments, so any thread
 * may read it. The engine's attachment belongs to the engine thread. The egress attachment and
 * every write to the channel belong to the writer of its shard, which runs on that same event loop; the {@link ConnectionStats} are written there too and
 * readable anywhere.
 */
public final class Session
{
    private final long id;
    private final Channel channel;
    private final int shard;
    private final ReplyEncoder encoder;
    private final WireProtocol protocol;
    /** Kept, because a closed channel may no longer know its peer when the close is logged. */
    private final SocketAddress remoteAddress;
    private final ConnectionStats stats;
    private Object egress;
    private Object engineState;

    /**
     * @param shard   the index of the event loop {@code channel} is registered with.
     * @param encoder how replies and deliveries are written in this connection's protocol.
     */
    public Session(final long id, final Channel channel, final int shard, final ReplyEncoder encoder)
    {
        this(id, channel, shard, encoder, WireProtocol.TEXT);
    }

    /**
     * @param shard    the index of the event loop {@code channel} is registered with.
     * @param encoder  how replies and deliveries are written when the connection opens (a RESP
     *                 connection may change version later: the engine keeps the current one).
     * @param protocol the listener's protocol, which STATS counts by.
     */
    public Session(
        final long id, final Channel channel, final int shard, final ReplyEncoder encoder, final WireProtocol protocol)
    {
        this.protocol = protocol;
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

    /** The encoder the connection started with; the engine tracks the one in effect now. */
    public ReplyEncoder encoder()
    {
        return encoder;
    }

    /** The protocol of the listener this connection came through. */
    public WireProtocol protocol()
    {
        return protocol;
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

    /** The engine's record of this connection while it is connected, or null; engine thread only. */
    public Object engineState()
    {
        return engineState;
    }

    /** Attaches (or, with null, detaches) the engine's record of this connection; engine thread only. */
    public void attachEngineState(final Object state)
    {
        this.engineState = state;
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
