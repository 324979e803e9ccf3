package dev.topics.broker.egress;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import dev.topics.transport.CloseReason;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ReplyEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drains the outbound ring for one shard of sessions, on the event loop those sessions live on:
 * writes each event straight into its channel (no thread hop, no task per write) and flushes
 * every touched session once per drain, so a burst costs one flush per connection, not one per
 * message. The engine wakes it with {@link #wakeUp()} once per batch. A session whose unsent bytes
 * pass {@code --max-pending} is disconnected as a slow consumer instead of being written to, and
 * counted. Replies are encoded here, by each session's protocol encoder. Each delivery written is
 * timed from the read of its PUB to the flush of its drain ({@link DeliveryLatency}).
 *
 * <p>{@link #wakeUp()} is called by the engine thread; everything else runs on this shard's event
 * loop, the only thread that writes to the sessions of this shard.
 */
public final class Writer implements EventPoller.Handler<OutboundEvent>
{
    private static final Logger LOG = Logger.getLogger(Writer.class.getName());
    /** Events looked at per drain before the event loop is given back to reading sockets. */
    static final int MAX_EVENTS_PER_DRAIN = 4096;
    /** Deliveries up to this size are copied into a per-connection batch rather than shared. */
    static final int COPY_MAX_BYTES = 256;

    private final int shard;
    private final EventPoller<OutboundEvent> poller;
    private final Executor eventLoop;
    private final LongAdder errors;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final LongAdder slowConsumers;
    private final MemoryBudget memory;
    private final ArrayList<SessionOutput> touched = new ArrayList<>();
    private final PushCache pushes = new PushCache(COPY_MAX_BYTES);
    /** A drain writes at most {@link #MAX_EVENTS_PER_DRAIN} deliveries before it flushes. */
    private final DeliveryLatency latency = new DeliveryLatency(MAX_EVENTS_PER_DRAIN);
    private int eventsThisDrain;

    /**
     * Registers this writer's poller as a gating sequence of {@code ring}: call before the engine
     * publishes anything.
     */
    public Writer(
        final int shard,
        final RingBuffer<OutboundEvent> ring,
        final Executor eventLoop,
        final LongAdder errors,
        final LongAdder slowConsumers,
        final MemoryBudget memory)
    {
        this.memory = memory;
        this.slowConsumers = slowConsumers;
        this.shard = shard;
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        this.eventLoop = eventLoop;
        this.errors = errors;
    }

    /** This writer's delivery latencies, read by any thread through {@link DeliveryLatencies}. */
    public DeliveryLatency latency()
    {
        return latency;
    }

    /** Engine thread: makes sure a drain is queued on this shard's event loop. */
    public void wakeUp()
    {
        if (!scheduled.get() && scheduled.compareAndSet(false, true))
        {
            eventLoop.execute(drainTask);
        }
    }

    /**
     * Event loop: writes everything published for this shard so far (up to
     * {@link #MAX_EVENTS_PER_DRAIN} events), then flushes. Also called directly by an engine
     * polled on this same event loop, to make room in a full ring.
     */
    public void drain()
    {
        // Cleared before polling: anything published after this line wakes a new drain.
        scheduled.set(false);
        eventsThisDrain = 0;
        try
        {
            poller.poll(this);
        }
        catch (final Exception ex)
        {
            errors.increment();
            LOG.log(Level.SEVERE, ex, () -> "writer " + shard + " failed to poll, carrying on");
        }
        pushes.clear();
        flushTouched();
        if (latency.hasPending())
        {
            // One clock read per drain, after its flushes, for every delivery the drain wrote.
            latency.written(System.nanoTime());
        }
        if (eventsThisDrain >= MAX_EVENTS_PER_DRAIN)
        {
            wakeUp(); // more may be waiting: let the event loop read sockets, then come back
        }
    }

    @Override
    public boolean onEvent(final OutboundEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.shard == shard)
        {
            try
            {
                write(event);
            }
            catch (final RuntimeException ex)
            {
                // Never thrown out of the poller: it would retry the same event forever.
                errors.increment();
                releasePayload(event);
                LOG.log(Level.SEVERE, ex, () -> "writer " + shard + " failed on event " + sequence + ", carrying on");
            }
            catch (final OutOfMemoryError ex)
            {
                // A write batch or reply could not be allocated: this connection would miss what
                // it should have received, so it is cut, never left with a silent gap.
                memory.refused();
                releasePayload(event);
                disconnectOutOfMemory(event.session);
            }
            finally
            {
                event.clear();
            }
        }
        return ++eventsThisDrain < MAX_EVENTS_PER_DRAIN;
    }

    private void write(final OutboundEvent event)
    {
        final Session session = event.session;
        final SessionOutput output = SessionOutput.of(session);
        if (output.isClosing())
        {
            // Closed by QUIT or as a slow consumer: whatever was still routed to it is dropped.
            releasePayload(event);
            return;
        }
        if (!output.isWritable())
        {
            // Over --max-pending: cut it off so memory stays bounded and nobody else waits for it.
            releasePayload(event);
            disconnectSlowConsumer(session, output);
            return;
        }
        final ByteBufAllocator alloc = session.alloc();
        final ReplyEncoder encoder = event.encoder;
        switch (event.type)
        {
            case DELIVER ->
            {
                // Handed over: deliver() releases it however it ends, so a failure caught in
                // onEvent must not release it again.
                final ByteBuf chunk = event.payload;
                event.payload = null;
                if (encoder.sendsCanonicalFrame())
                {
                    deliver(output, chunk, event.payloadOffset, event.payloadLength);
                }
                else
                {
                    push(output, chunk, event);
                }
                latency.delivered(event.readNanos);
            }
            case ERROR ->
            {
                if (event.silent())
                {
                    releasePayload(event);
                    return;
                }
                output.write(encoder.error(alloc, event.error(), event));
            }
            case REPLY ->
            {
                final boolean silenced = event.silent() && !encoder.isPush(event.command);
                if (event.command == Command.QUIT)
                {
                    final ByteBuf reply = silenced ? null : encoder.reply(alloc, event);
                    releasePayload(event);
                    output.writeAndClose(reply == null ? Unpooled.EMPTY_BUFFER : reply, CloseReason.QUIT);
                    return;
                }
                if (silenced)
                {
                    releasePayload(event);
                    return;
                }
                if (!reply(output, encoder, alloc, event))
                {
                    return;
                }
            }
            default -> throw new IllegalStateException("unexpected outbound type " + event.type);
        }
        if (output.markFlushPending())
        {
            touched.add(output);
        }
    }

    /**
     * Writes the reply of {@code event}: a frequent small one (a PUBLISH count) in place into the
     * write batch, any other as the encoder's buffer.
     *
     * @return false when the encoder has no reply to write.
     */
    private static boolean reply(
        final SessionOutput output, final ReplyEncoder encoder, final ByteBufAllocator alloc, final OutboundEvent event)
    {
        final int inlineLength = encoder.inlineReplyLength(event);
        if (inlineLength >= 0)
        {
            encoder.writeInlineReply(output.batchWithRoom(inlineLength), event);
            output.wroteToBatch(inlineLength);
            releasePayload(event);
            return true;
        }
        final ByteBuf reply = encoder.reply(alloc, event);
        releasePayload(event); // in case the encoder left it
        if (reply == null)
        {
            return false;
        }
        output.write(reply);
        return true;
    }

    private void disconnectSlowConsumer(final Session session, final SessionOutput output)
    {
        final long pendingBytes = output.pendingBytes();
        slowConsumers.increment();
        output.disconnect(session.encoder().error(session.alloc(), ErrorCode.SLOW_CONSUMER, null), CloseReason.SLOW_CONSUMER);
        LOG.warning(() -> "slow consumer disconnected: " + session + " pending_bytes=" + pendingBytes);
    }

    private void disconnectOutOfMemory(final Session session)
    {
        final SessionOutput output = SessionOutput.of(session);
        if (output.isClosing())
        {
            return;
        }
        LOG.warning(() -> "out of memory writing to " + session + ", disconnecting it");
        try
        {
            output.disconnect(session.encoder().error(session.alloc(), ErrorCode.OUT_OF_MEMORY, null), CloseReason.OUT_OF_MEMORY);
        }
        catch (final OutOfMemoryError again)
        {
            output.disconnect(null, CloseReason.OUT_OF_MEMORY);
        }
    }

    /**
     * A small frame is copied into the connection's write batch (cheaper than a shared view, and
     * no more memory); a larger one is shared: a slice over the same bytes hands the event's
     * reference to the channel, which releases it once written.
     */
    private static void deliver(final SessionOutput output, final ByteBuf chunk, final int offset, final int length)
    {
        output.countDelivery();
        if (length <= COPY_MAX_BYTES)
        {
            try
            {
                output.writeCopy(chunk, offset, length);
            }
            finally
            {
                chunk.release();
            }
        }
        else
        {
            output.write(chunk.slice(offset, length));
        }
    }

    /**
     * A delivery in a protocol that re-encodes the canonical frame (RESP's {@code message} or
     * {@code pmessage}), encoded once per publish and form ({@link PushCache}): a small one copied
     * into the connection's write batch, a larger one shared.
     */
    private void push(final SessionOutput output, final ByteBuf chunk, final OutboundEvent event)
    {
        output.countDelivery();
        try
        {
            final ByteBuf frame = pushes.frameFor(event, chunk, output.alloc());
            if (frame.readableBytes() <= COPY_MAX_BYTES)
            {
                output.writeCopy(frame, frame.readerIndex(), frame.readableBytes());
            }
            else
            {
                output.write(frame.retainedDuplicate());
            }
        }
        finally
        {
            chunk.release();
        }
    }

    private static void releasePayload(final OutboundEvent event)
    {
        if (event.payload != null)
        {
            event.payload.release();
            event.payload = null;
        }
    }

    private void flushTouched()
    {
        for (int i = 0, n = touched.size(); i < n; i++)
        {
            touched.get(i).flush();
        }
        touched.clear();
    }
}
