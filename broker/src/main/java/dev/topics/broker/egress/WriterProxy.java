package dev.topics.broker.egress;

import com.lmax.disruptor.RingBuffer;
import dev.topics.transport.Session;
import dev.topics.transport.codec.ErrorCode;
import io.netty.buffer.ByteBuf;

/**
 * The engine's way into the outbound ring: one method per kind of output. May wait when the ring
 * is full; that pressure flows back to publishers through the inbound ring and TCP.
 *
 * <p>Used only by the engine thread (the outbound ring is single-producer).
 */
public final class WriterProxy
{
    private final RingBuffer<OutboundEvent> ring;
    private final int writerCount;

    public WriterProxy(final RingBuffer<OutboundEvent> ring, final int writerCount)
    {
        this.ring = ring;
        this.writerCount = writerCount;
    }

    /** Sends a shared {@code UPDATED} frame; takes over one reference the caller retained for it. */
    public void deliver(final Session session, final ByteBuf updatedFrame)
    {
        final long sequence = claim(session, OutboundType.DELIVER);
        ring.get(sequence).payload = updatedFrame;
        ring.publish(sequence);
    }

    /** Sends an encoded reply; takes over the caller's reference. */
    public void frame(final Session session, final ByteBuf frame)
    {
        final long sequence = claim(session, OutboundType.FRAME);
        ring.get(sequence).payload = frame;
        ring.publish(sequence);
    }

    /** Sends {@code VALUE}; takes over one reference of the latest frame the caller retained for it. */
    public void value(final Session session, final ByteBuf updatedFrame)
    {
        final long sequence = claim(session, OutboundType.VALUE);
        ring.get(sequence).payload = updatedFrame;
        ring.publish(sequence);
    }

    /** SUBSCRIBED, UNSUBSCRIBED or NOVALUE with {@code topic}, which must never change afterwards. */
    public void topicReply(final Session session, final OutboundType type, final byte[] topic)
    {
        final long sequence = claim(session, type);
        ring.get(sequence).topic = topic;
        ring.publish(sequence);
    }

    public void error(final Session session, final ErrorCode error)
    {
        final long sequence = claim(session, OutboundType.ERROR);
        ring.get(sequence).error = error;
        ring.publish(sequence);
    }

    /** HELP or BYE. */
    public void fixed(final Session session, final OutboundType type)
    {
        ring.publish(claim(session, type));
    }

    /** Sends a STATS line (rare, so the engine builds it as a String). */
    public void stats(final Session session, final String text)
    {
        final long sequence = claim(session, OutboundType.STATS);
        ring.get(sequence).text = text;
        ring.publish(sequence);
    }

    /** Used slots of the outbound ring. */
    public long used()
    {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    private long claim(final Session session, final OutboundType type)
    {
        final long sequence = ring.next();
        final OutboundEvent event = ring.get(sequence);
        event.shard = session.shard(writerCount);
        event.type = type;
        event.session = session;
        return sequence;
    }
}
