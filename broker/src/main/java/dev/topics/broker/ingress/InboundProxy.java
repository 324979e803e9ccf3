package dev.topics.broker.ingress;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.topics.broker.report.EngineSnapshot;
import dev.topics.transport.CommandSink;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.NameList;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.ReplyEncoder;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.DirectBuffer;

/**
 * Offers connection events and parsed commands into the inbound ring without ever blocking: a
 * full ring answers false and the transport pauses that connection. Asks the session's protocol
 * for the command's ingress frame here, on the event loop (a PUB's delivery frame, a PING's
 * reply), so the engine thread only routes it. Knows no command by name: a new command passes
 * through unchanged. A {@code PUB} that arrives while the {@link MemoryBudget} is full is answered
 * {@code ERR out-of-memory} instead, before its frame takes any memory.
 *
 * <p>Called concurrently by every event-loop thread (the ring may be multi-producer); the only
 * shared state is the ring and the volatile lifecycle flags.
 */
public final class InboundProxy implements CommandSink
{
    private static final long FULL = -1;
    private static final long CLOSED = -2;

    private final RingBuffer<InboundEvent> ring;
    private final Runnable afterPublish;
    private final boolean drainsOnCallersLoop;
    /** One per writer shard, that is per event loop: each is used only by its own loop. */
    private final FrameArena[] arenas;
    /** The cluster link thread's own arena for the frames of peer messages (used by that thread only). */
    private final FrameArena peerArena = new FrameArena();
    private final MemoryBudget memory;
    private volatile boolean shuttingDown;
    private volatile boolean closed;

    /**
     * @param afterPublish run on the event loop after each publish (wakes an engine polled there).
     * @param shards       the number of event loops, each of which gets its own frame arena.
     * @param drainsOnCallersLoop whether the engine is polled by the (one) event loop that offers.
     * @param memory       the budget: over it, a PUB is refused here.
     */
    public InboundProxy(
        final RingBuffer<InboundEvent> ring,
        final Runnable afterPublish,
        final int shards,
        final boolean drainsOnCallersLoop,
        final MemoryBudget memory)
    {
        this.memory = memory;
        this.drainsOnCallersLoop = drainsOnCallersLoop;
        this.ring = ring;
        this.afterPublish = afterPublish;
        this.arenas = new FrameArena[shards];
        for (int i = 0; i < shards; i++)
        {
            arenas[i] = new FrameArena();
        }
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

    /** Gives the arenas' chunks back once the event loops have stopped; the launching thread. */
    public void releaseArenas()
    {
        for (final FrameArena arena : arenas)
        {
            arena.release();
        }
        peerArena.release();
    }

    @Override
    public boolean drainsOnCallersLoop()
    {
        return drainsOnCallersLoop;
    }

    @Override
    public boolean offerConnect(final Session session)
    {
        return offer(session, Command.CONNECT, null, null, null);
    }

    @Override
    public boolean offerDisconnect(final Session session)
    {
        return offer(session, Command.DISCONNECT, null, null, null);
    }

    @Override
    public boolean offerCommand(final Session session, final ParsedLine line)
    {
        if (shuttingDown)
        {
            return offer(session, Command.INVALID, ErrorCode.SHUTTING_DOWN, null, null);
        }
        if (line.command() == Command.PUB && memory.refusesPublish())
        {
            // Answered in order through the rings like every reply; the PUB takes no memory.
            final boolean offered = offer(session, Command.INVALID, ErrorCode.OUT_OF_MEMORY, null, null);
            if (offered)
            {
                memory.refused();
            }
            return offered;
        }
        return offer(session, line.command(), line.error(), line, null);
    }

    /**
     * Offers the metrics endpoint's request for the engine's figures; on an event loop, like every
     * offer (with the engine on the loop, the ring has that one producer). False when the ring is
     * full or the broker is stopping: then the engine will never answer it, and the endpoint says so
     * at once rather than waiting for room.
     */
    public boolean offerSnapshot(final EngineSnapshot snapshot)
    {
        if (shuttingDown)
        {
            return false;
        }
        // offer() also answers true when the ring was closed meanwhile (nothing may enter it):
        // for a request that means no answer will come.
        return offer(null, Command.SNAPSHOT, null, null, snapshot) && !closed;
    }

    /**
     * Offers one message from a cluster peer (see {@code PeerWire}), on the cluster link's thread:
     * the topic into the slot, the frame after it into the link's arena, a chunk shared by many
     * frames as the event loops' PUB frames are (the payload is the chunk, the frame at
     * {@code payloadOffset}). False when the
     * ring is full: the link keeps the message and offers it again. A message whose topic does not
     * fit a slot (a peer with a longer --max-topic-length) becomes a CLUSTER event of type 0, which
     * the engine counts and ignores.
     */
    public boolean offerPeer(
        final DirectBuffer buffer, final int offset, final int length, final int headerLength, final ByteBufAllocator alloc)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return sequence == CLOSED;
        }
        final InboundEvent event = ring.get(sequence);
        try
        {
            event.command = Command.CLUSTER;
            event.session = null;
            event.error = null;
            event.snapshot = null;
            event.silent = false;
            event.payload = null;
            event.readNanos = System.nanoTime();
            event.detail = buffer.getByte(offset);
            event.peer = buffer.getByte(offset + 1);
            event.match = TopicMatch.values()[buffer.getByte(offset + 2) % TopicMatch.values().length];
            event.peerFlags = buffer.getByte(offset + 3);
            event.topicLength = buffer.getShort(offset + 4) & 0xFFFF;
            event.peerValue = buffer.getLong(offset + 8);
            final boolean fits = event.topicLength <= event.topic.length && headerLength + event.topicLength <= length;
            if (!fits)
            {
                event.detail = 0;
                event.topicLength = 0;
            }
            else
            {
                buffer.getBytes(offset + headerLength, event.topic, 0, event.topicLength);
            }
            final int frameOffset = offset + headerLength + event.topicLength;
            final int frameLength = offset + length - frameOffset;
            if (fits && frameLength > 0)
            {
                final ByteBuf chunk = peerArena.reserve(alloc, frameLength);
                event.payload = chunk;
                final int at = chunk.writerIndex();
                final java.nio.ByteBuffer target = chunk.internalNioBuffer(at, frameLength);
                buffer.getBytes(frameOffset, target, target.position(), frameLength);
                chunk.writerIndex(at + frameLength);
                event.payloadOffset = at;
                event.payloadLength = frameLength;
            }
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            if (event.payload != null)
            {
                event.payload.release();
                event.payload = null;
            }
            event.detail = 0; // counted and ignored by the engine
        }
        finally
        {
            ring.publish(sequence);
        }
        afterPublish.run();
        return true;
    }

    /** The one claim, fill and publish of this ring: a claimed slot is always published. */
    private boolean offer(
        final Session session, final Command command, final ErrorCode error, final ParsedLine line, final EngineSnapshot snapshot)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return sequence == CLOSED;
        }
        final InboundEvent event = ring.get(sequence);
        try
        {
            event.command = command;
            event.session = session;
            event.error = error;
            event.payload = null;
            event.topicLength = 0;
            event.match = TopicMatch.EXACT;
            event.readNanos = 0;
            event.snapshot = snapshot;
            event.detail = 0;
            event.silent = false;
            if (line != null)
            {
                event.detail = line.detail();
                event.silent = line.silent();
                event.readNanos = line.readNanos();
                event.match = line.match();
                event.topicLength = line.topicLength();
                if (event.topicLength > 0)
                {
                    line.copyTopic(event.topic);
                }
                fillPayload(event, session, line);
            }
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            if (event.payload != null)
            {
                event.payload.release();
                event.payload = null;
            }
            event.command = Command.INVALID;
            event.error = ErrorCode.INTERNAL;
            if (ex instanceof OutOfMemoryError)
            {
                // The frame's buffer could not be allocated: refused like a PUB over the budget.
                event.error = ErrorCode.OUT_OF_MEMORY;
                memory.refused();
            }
        }
        finally
        {
            ring.publish(sequence);
        }
        afterPublish.run();
        return true;
    }

    /**
     * A PUB's delivery frame goes into the loop's arena, encoded once for every subscriber; a
     * PING's or AUTH's reply is its own small buffer.
     */
    private void fillPayload(final InboundEvent event, final Session session, final ParsedLine line)
    {
        final ReplyEncoder encoder = session.encoder();
        if (line.command() == Command.PUB)
        {
            final int length = encoder.deliveryLength(line);
            final ByteBuf chunk = arenas[session.shard()].reserve(session.alloc(), length);
            event.payload = chunk;
            event.payloadOffset = chunk.writerIndex();
            event.payloadLength = length;
            encoder.writeDelivery(chunk, line);
            return;
        }
        ByteBuf frame = encoder.ingressFrame(session.alloc(), line);
        if (frame == null && line.command() == Command.NUMSUB)
        {
            frame = NameList.pack(session.alloc(), line); // NUMSUB's names, for the engine
        }
        if (frame != null)
        {
            event.payload = frame;
            event.payloadOffset = frame.readerIndex();
            event.payloadLength = frame.readableBytes();
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
}
