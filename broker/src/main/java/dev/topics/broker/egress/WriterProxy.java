package dev.topics.broker.egress;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
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
    private final Runnable onRingFull;
    private final int[] unwoken;
    /** Ring cursor when each writer was last woken; a writer left idle too long gates the ring. */
    private final long[] wokenAtSequence;
    private final long lagBeforeWake;

    /**
     * @param wakeUp     wakes the writer of a shard; called on the engine thread.
     * @param onRingFull run when the ring is full, after every writer was woken: nothing when the
     *                   writers run on other threads, running them when they share this one.
     */
    public WriterProxy(
        final RingBuffer<OutboundEvent> ring,
        final int writerCount,
        final IntConsumer wakeUp,
        final Runnable onRingFull)
    {
        this.ring = ring;
        this.wakeUp = wakeUp;
        this.onRingFull = onRingFull;
        this.unwoken = new int[writerCount];
        this.wokenAtSequence = new long[writerCount];
        Arrays.fill(wokenAtSequence, ring.getCursor());
        this.lagBeforeWake = ring.getBufferSize() / 4;
    }

    /** Wakes every writer, whether it has events of its own or not. */
    private void wakeAll()
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

    /**
     * Sends the delivery frame {@code chunk[offset, offset + length)}; takes over one reference to
     * {@code chunk} that the caller retained for it.
     *
     * @param readNanos when the PUB was read, from which the writer times the delivery.
     */
    public void deliver(
        final Session session, final ByteBuf chunk, final int offset, final int length, final long readNanos)
    {
        offer(OutboundType.DELIVER, session, null, chunk, offset, length, readNanos, null, null, null);
    }

    /**
     * Sends the reply to {@code command}, encoded by the session's protocol.
     *
     * @param topic   SUB, UNSUB, GET: the topic, which must never change afterwards.
     * @param payload GET's latest frame, PING's and AUTH's ingress frame: one reference, taken over.
     * @param text    STATS: the line; CLIENTS: the lines, joined by CRLF.
     */
    public void reply(
        final Session session, final Command command, final byte[] topic, final ByteBuf payload, final String text)
    {
        offer(OutboundType.REPLY, session, command, payload, 0, 0, 0, topic, text, null);
    }

    public void error(final Session session, final ErrorCode error)
    {
        offer(OutboundType.ERROR, session, null, null, 0, 0, 0, null, null, error);
    }

    /** Used slots of the outbound ring. */
    public long used()
    {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    /** The one claim, fill and publish of this ring: a claimed slot is always published. */
    private void offer(
        final OutboundType type,
        final Session session,
        final Command command,
        final ByteBuf payload,
        final int payloadOffset,
        final int payloadLength,
        final long readNanos,
        final byte[] topic,
        final String text,
        final ErrorCode error)
    {
        final long sequence = claim();
        try
        {
            final OutboundEvent event = ring.get(sequence);
            event.shard = session.shard();
            event.type = type;
            event.session = session;
            event.command = command;
            event.payload = payload;
            event.payloadOffset = payloadOffset;
            event.payloadLength = payloadLength;
            event.readNanos = readNanos;
            event.topic = topic;
            event.text = text;
            event.error = error;
        }
        finally
        {
            commit(sequence);
        }
    }

    private long claim()
    {
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            // Every writer's poller gates the ring, even one with no events of its own, so all
            // must be awake (or, sharing this thread, run) to make room, or this would wait forever.
            wakeAll();
            onRingFull.run();
            return ring.next();
        }
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
