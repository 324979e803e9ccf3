package dev.topics.broker.egress;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ReplyEncoder;
import dev.topics.transport.codec.TopicMatch;
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
     * Sends the delivery frame {@code chunk[offset, offset + length)} in the session's own
     * encoding, as received by exact subscription; takes over one reference to {@code chunk} that
     * the caller retained for it.
     *
     * @param readNanos when the PUB was read, from which the writer times the delivery.
     */
    public void deliver(
        final Session session, final ByteBuf chunk, final int offset, final int length, final long readNanos)
    {
        deliver(session, session.encoder(), chunk, offset, length, readNanos, 0, null, 0);
    }

    /**
     * Sends the canonical delivery frame {@code chunk[offset, offset + length)}, written by
     * {@code encoder}; takes over one reference to {@code chunk} that the caller retained for it.
     *
     * @param readNanos   when the PUB was read, from which the writer times the delivery.
     * @param topicLength the topic's length in the frame.
     * @param pattern     the pattern this delivery is for (one per matching subscription), or null.
     * @param publishId   tells the publishes apart, so each is re-encoded once per writer and form.
     */
    public void deliver(
        final Session session,
        final ReplyEncoder encoder,
        final ByteBuf chunk,
        final int offset,
        final int length,
        final long readNanos,
        final int topicLength,
        final byte[] pattern,
        final long publishId)
    {
        final long sequence = claim();
        try
        {
            // Only what a delivery is written from: the hot path sets no more fields than it needs.
            final OutboundEvent event = ring.get(sequence);
            event.shard = session.shard();
            event.type = OutboundType.DELIVER;
            event.session = session;
            event.encoder = encoder;
            event.payload = chunk;
            event.payloadOffset = offset;
            event.payloadLength = length;
            event.readNanos = readNanos;
            event.topicLength = topicLength;
            event.topic = pattern;
            event.publishId = (int)publishId;
        }
        finally
        {
            commit(sequence);
        }
    }

    /**
     * Sends the reply to {@code command} in the session's first encoding, no count, not silent.
     *
     * @param topic   SUB, UNSUB, GET: the topic, which must never change afterwards.
     * @param payload GET's latest frame, PING's and AUTH's ingress frame: one reference, taken over.
     * @param text    STATS: the line; CLIENTS: the lines, joined by CRLF.
     */
    public void reply(
        final Session session, final Command command, final byte[] topic, final ByteBuf payload, final String text)
    {
        reply(session, session.encoder(), command, topic, TopicMatch.EXACT, payload, text, 0, 0, false);
    }

    /**
     * Sends the reply to {@code command}, to be written by {@code encoder}; the fields are those of
     * {@link dev.topics.transport.codec.Reply}.
     *
     * @param payload one reference, taken over.
     */
    public void reply(
        final Session session,
        final ReplyEncoder encoder,
        final Command command,
        final byte[] topic,
        final TopicMatch match,
        final ByteBuf payload,
        final String text,
        final long count,
        final int detail,
        final boolean silent)
    {
        final long sequence = claim();
        try
        {
            final OutboundEvent event = fill(sequence, OutboundType.REPLY, session, encoder, command, payload);
            event.topic = topic;
            final ReplyFields fields = event.reply;
            fields.match = match;
            fields.text = text;
            fields.count = count;
            fields.detail = detail;
            fields.silent = silent;
        }
        finally
        {
            commit(sequence);
        }
    }

    /** Sends a reply listing names and, for NUMSUB, a number for each (see {@link dev.topics.transport.codec.Reply}). */
    public void replyList(
        final Session session,
        final ReplyEncoder encoder,
        final Command command,
        final byte[][] names,
        final long[] numbers,
        final int detail,
        final boolean silent)
    {
        final long sequence = claim();
        try
        {
            final OutboundEvent event = fill(sequence, OutboundType.REPLY, session, encoder, command, null);
            final ReplyFields fields = event.reply;
            fields.names = names;
            fields.numbers = numbers;
            fields.detail = detail;
            fields.silent = silent;
        }
        finally
        {
            commit(sequence);
        }
    }

    /** Sends the error {@code error} in the session's first encoding, caused by no command in particular. */
    public void error(final Session session, final ErrorCode error)
    {
        error(session, session.encoder(), error, null, 0, null, false);
    }

    /**
     * Sends the error {@code error} that refuses {@code command} (null: none in particular).
     *
     * @param payload the refused command's ingress frame (a protocol's own wording), taken over; or null.
     */
    public void error(
        final Session session,
        final ReplyEncoder encoder,
        final ErrorCode error,
        final Command command,
        final int detail,
        final ByteBuf payload,
        final boolean silent)
    {
        final long sequence = claim();
        try
        {
            final OutboundEvent event = fill(sequence, OutboundType.ERROR, session, encoder, command, payload);
            final ReplyFields fields = event.reply;
            fields.error = error;
            fields.detail = detail;
            fields.silent = silent;
        }
        finally
        {
            commit(sequence);
        }
    }

    /** Used slots of the outbound ring. */
    public long used()
    {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    /** Resets the claimed slot to {@code type} with no fields set beyond those given. */
    private OutboundEvent fill(
        final long sequence,
        final OutboundType type,
        final Session session,
        final ReplyEncoder encoder,
        final Command command,
        final ByteBuf payload)
    {
        final OutboundEvent event = ring.get(sequence);
        event.shard = session.shard();
        event.type = type;
        event.session = session;
        event.encoder = encoder;
        event.command = command;
        event.payload = payload;
        event.payloadOffset = 0;
        event.payloadLength = 0;
        event.readNanos = 0;
        event.topicLength = 0;
        event.topic = null;
        event.reply.reset();
        return event;
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
