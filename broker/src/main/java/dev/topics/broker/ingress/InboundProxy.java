package dev.topics.broker.ingress;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.topics.transport.CommandSink;
import dev.topics.transport.Session;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.Replies;

/**
 * Offers connection events and parsed commands into the inbound ring without ever blocking: a
 * full ring answers false and the transport pauses that connection. Encodes the PUB's
 * {@code UPDATED} frame here, on the event loop, so the engine thread only routes it.
 *
 * <p>Called concurrently by every event-loop thread (the ring is multi-producer); the only shared
 * state is the ring and the volatile lifecycle flags.
 */
public final class InboundProxy implements CommandSink
{
    private static final long FULL = -1;
    private static final long CLOSED = -2;

    private final RingBuffer<InboundEvent> ring;
    private volatile boolean shuttingDown;
    private volatile boolean closed;

    public InboundProxy(final RingBuffer<InboundEvent> ring)
    {
        this.ring = ring;
    }

    /** From now on every command is answered {@code ERR shutting-down} instead of being applied. */
    public void beginShutdown()
    {
        shuttingDown = true;
    }

    /** From now on nothing enters the ring: the engine is stopping and would never see it. */
    public void close()
    {
        closed = true;
    }

    @Override
    public boolean offerConnect(final Session session)
    {
        return offer(session, InboundType.CONNECT, null);
    }

    @Override
    public boolean offerDisconnect(final Session session)
    {
        return offer(session, InboundType.DISCONNECT, null);
    }

    @Override
    public boolean offerCommand(final Session session, final ParsedLine line)
    {
        if (shuttingDown)
        {
            return offer(session, InboundType.ERROR, ErrorCode.SHUTTING_DOWN);
        }
        switch (line.command())
        {
            case SUB: return offerWithTopic(session, InboundType.SUB, line);
            case UNSUB: return offerWithTopic(session, InboundType.UNSUB, line);
            case GET: return offerWithTopic(session, InboundType.GET, line);
            case PUB: return offerPublish(session, line);
            case PING: return offerReply(session, InboundType.PING, line);
            // AUTH reaches the sink only when the transport has accepted the token.
            case AUTH: return offerReply(session, InboundType.REPLY, line);
            case STATS: return offer(session, InboundType.STATS, null);
            case HELP: return offer(session, InboundType.HELP, null);
            case QUIT: return offer(session, InboundType.QUIT, null);
            default: return offer(session, InboundType.ERROR, line.error());
        }
    }

    /** Claimed but not yet filled sequence, or {@link #FULL} or {@link #CLOSED}. */
    private long claim()
    {
        if (closed)
        {
            return CLOSED;
        }
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            return FULL;
        }
    }

    private boolean offer(final Session session, final InboundType type, final ErrorCode error)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return sequence == CLOSED;
        }
        final InboundEvent event = ring.get(sequence);
        fill(event, type, session, null);
        event.error = error;
        ring.publish(sequence);
        return true;
    }

    private boolean offerWithTopic(final Session session, final InboundType type, final ParsedLine line)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return sequence == CLOSED;
        }
        fill(ring.get(sequence), type, session, line);
        ring.publish(sequence);
        return true;
    }

    private boolean offerPublish(final Session session, final ParsedLine line)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return sequence == CLOSED;
        }
        final InboundEvent event = ring.get(sequence);
        fill(event, InboundType.PUB, session, line);
        try
        {
            event.payload = Replies.updated(session.alloc(), line);
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            // A claimed slot must always be published, or the ring stalls for everyone.
            event.type = InboundType.ERROR;
            event.error = ErrorCode.INTERNAL;
        }
        ring.publish(sequence);
        return true;
    }

    /** PING's PONG or AUTH's OK: encoded here, passed through by the engine in order. */
    private boolean offerReply(final Session session, final InboundType type, final ParsedLine line)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return sequence == CLOSED;
        }
        final InboundEvent event = ring.get(sequence);
        fill(event, type, session, null);
        try
        {
            event.payload = type == InboundType.PING ? Replies.pong(session.alloc(), line) : Replies.ok(session.alloc());
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            // A claimed slot must always be published, or the ring stalls for everyone.
            event.type = InboundType.ERROR;
            event.error = ErrorCode.INTERNAL;
        }
        ring.publish(sequence);
        return true;
    }

    private static void fill(final InboundEvent event, final InboundType type, final Session session, final ParsedLine line)
    {
        event.type = type;
        event.session = session;
        event.error = null;
        event.payload = null;
        event.topicLength = 0;
        if (line != null)
        {
            event.topicLength = line.topicLength();
            line.copyTopic(event.topic);
        }
    }
}
