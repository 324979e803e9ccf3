package dev.topics.broker.egress;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.topics.transport.Session;
import dev.topics.transport.codec.ErrorCode;
import io.netty.buffer.ByteBuf;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The engine's way into the outbound ring: one method per kind of output, and the wake-ups of the
 * writers. Each writer is woken once per engine batch (or every {@link #WAKE_EVERY_EVENTS} events
 * for it within a long batch), not once per event. May wait when the ring is full, after waking
 * every writer that has work; that pressure flows back to publishers through the inbound ring and
 * TCP.
 *
 * <p>Used only by the engine thread (the outbound ring is single-producer).
 */
public final class WriterProxy
{
    /** Events for one writer after which it is woken even in the middle of an engine batch. */
    static final int WAKE_EVERY_EVENTS = 256;

    private final RingBuffer<OutboundEvent> ring;
    private final IntConsumer wakeUp;
    private final int[] unwoken;
    /** Ring cursor when each writer was last woken; a writer left idle too long gates the ring. */
    private final long[] wokenAtSequence;
    private final long lagBeforeWake;

    /** A proxy whose writers are never woken: for driving the engine by hand in tests. */
    public WriterProxy(final RingBuffer<OutboundEvent> ring, final int writerCount)
    {
        this(ring, writerCount, shard -> { });
    }

    /** @param wakeUp wakes the writer of a shard; called on the engine thread. */
    public WriterProxy(final RingBuffer<OutboundEvent> ring, final int writerCount, final IntConsumer wakeUp)
    {
        this.ring = ring;
        this.wakeUp = wakeUp;
        this.unwoken = new int[writerCount];
        this.wokenAtSequence = new long[writerCount];
        Arrays.fill(wokenAtSequence, ring.getCursor());
        this.lagBeforeWake = ring.getBufferSize() / 4;
    }

    /** Wakes every writer, whether it has events of its own or not. */
    public void wakeAll()
    {
        for (int shard = 0; shard < unwoken.length; shard++)
        {
            wake(shard);
        }
    }

    private void wake(final int shard)
    {
        unwoken[shard] = 0;
        wokenAtSequence[shard] = ring.getCursor();
        wakeUp.accept(shard);
    }

    /**
     * Wakes every writer that has events it has not been woken for, or that has not been woken for
     * a quarter of the ring; call at the end of a batch.
     */
    public void endOfBatch()
    {
        final long cursor = ring.getCursor();
        for (int shard = 0; shard < unwoken.length; shard++)
        {
            // Also a writer with nothing of its own, once a quarter ring went by since its last
            // drain: its poller gates the ring, and letting it lag until the ring is full would
            // stall the engine while it skips a whole lap.
            if (unwoken[shard] > 0 || cursor - wokenAtSequence[shard] > lagBeforeWake)
            {
                wake(shard);
            }
        }
    }

    /** Sends a shared {@code UPDATED} frame; takes over one reference the caller retained for it. */
    public void deliver(final Session session, final ByteBuf updatedFrame)
    {
        final long sequence = claim(session, OutboundType.DELIVER);
        ring.get(sequence).payload = updatedFrame;
        commit(sequence);
    }

    /** Sends an encoded reply; takes over the caller's reference. */
    public void frame(final Session session, final ByteBuf frame)
    {
        final long sequence = claim(session, OutboundType.FRAME);
        ring.get(sequence).payload = frame;
        commit(sequence);
    }

    /** Hands {@code frame}'s reference to the writer of {@code shard}, which releases it. */
    public void release(final ByteBuf frame, final int shard)
    {
        final long sequence = claim(null, shard, OutboundType.RELEASE);
        ring.get(sequence).payload = frame;
        commit(sequence);
    }

    /** Sends {@code VALUE}; takes over one reference of the latest frame the caller retained for it. */
    public void value(final Session session, final ByteBuf updatedFrame)
    {
        final long sequence = claim(session, OutboundType.VALUE);
        ring.get(sequence).payload = updatedFrame;
        commit(sequence);
    }

    /** SUBSCRIBED, UNSUBSCRIBED or NOVALUE with {@code topic}, which must never change afterwards. */
    public void topicReply(final Session session, final OutboundType type, final byte[] topic)
    {
        final long sequence = claim(session, type);
        ring.get(sequence).topic = topic;
        commit(sequence);
    }

    public void error(final Session session, final ErrorCode error)
    {
        final long sequence = claim(session, OutboundType.ERROR);
        ring.get(sequence).error = error;
        commit(sequence);
    }

    /** HELP or BYE. */
    public void fixed(final Session session, final OutboundType type)
    {
        commit(claim(session, type));
    }

    /** Sends a STATS line (rare, so the engine builds it as a String). */
    public void stats(final Session session, final String text)
    {
        final long sequence = claim(session, OutboundType.STATS);
        ring.get(sequence).text = text;
        commit(sequence);
    }

    /** Used slots of the outbound ring. */
    public long used()
    {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    private long claim(final Session session, final OutboundType type)
    {
        return claim(session, session.shard(), type);
    }

    private long claim(final Session session, final int shard, final OutboundType type)
    {
        long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            // Every writer's poller gates the ring, even one with no events of its own, so all
            // must be awake to make room, or this would wait forever.
            wakeAll();
            sequence = ring.next();
        }
        final OutboundEvent event = ring.get(sequence);
        event.shard = shard;
        event.type = type;
        event.session = session;
        return sequence;
    }

    /** Publishes a filled slot; wakes its writer early when it has many events waiting. */
    private void commit(final long sequence)
    {
        final int shard = ring.get(sequence).shard;
        ring.publish(sequence);
        if (++unwoken[shard] >= WAKE_EVERY_EVENTS)
        {
            wake(shard);
        }
    }
}
