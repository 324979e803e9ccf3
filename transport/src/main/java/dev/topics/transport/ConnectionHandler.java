package dev.topics.transport;

import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ParsedLine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

import javax.net.ssl.SSLException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns one connection's framed requests (lines, or RESP arrays) into offers to the {@link CommandSink}, in order, and
 * applies back-pressure: when the sink has no room, reading from this socket stops and the
 * waiting items are offered again shortly, so nothing accepted from the socket is dropped and the
 * event loop never blocks. It also keeps the connection's {@link AuthGate} and closes a connection
 * that stayed idle past the idle timeout. Its {@link FrontEnd} makes each request one or more
 * neutral commands, in the connection's protocol.
 *
 * <p>One instance per channel; every method runs on that channel's event-loop thread.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter implements FrameSink
{
    private static final Logger LOG = Logger.getLogger(ConnectionHandler.class.getName());
    private static final long RETRY_DELAY_US = 100;

    /** Markers queued among the line buffers so every event keeps its place in the order. */
    private static final Object CONNECT = new Object();
    private static final Object DISCONNECT = new Object();
    private static final Object LINE_TOO_LONG = new Object();
    private static final Object OUT_OF_MEMORY = new Object();
    private static final Object PROTOCOL_ERROR = new Object();

    private final long sessionId;
    private final ShardLookup shards;
    private final CommandSink sink;
    private final FrontEnd frontEnd;
    private final TransportCounters counters;
    private final ParsedLine parsed = new ParsedLine();
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    /** The read time of each line in {@link #waiting}, in the same order. */
    private final LongFifo waitingReadNanos = new LongFifo();
    private final MemoryBudget memory;
    private final Runnable retry = this::offerWaiting;
    private ChannelHandlerContext ctx;
    private Session session;
    private boolean retryScheduled;
    /** The last retry found no room either; the next one waits {@link #RETRY_DELAY_US}. */
    private boolean retryFailed;
    private boolean readingPaused;
    /** How many commands of the request at the head of {@link #waiting} were already accepted. */
    private int headPart;
    /** Set once the connection is to close: every later request is dropped without being offered. */
    private boolean closing;
    /** The connection is to close (too many wrong tokens, a protocol error); its closing command is not yet in the sink. */
    private boolean quitPending;
    /** Set by the memory guard (any thread) once it chose to cut this connection. */
    private volatile boolean cutForMemory;
    /** The wording of the protocol error offered as {@link #PROTOCOL_ERROR}. */
    private int protocolErrorDetail;

    ConnectionHandler(
        final long sessionId,
        final CommandSink sink,
        final FrontEnd frontEnd,
        final TransportCounters counters,
        final ShardLookup shards,
        final MemoryBudget memory)
    {
        this.memory = memory;
        this.sessionId = sessionId;
        this.shards = shards;
        this.sink = sink;
        this.frontEnd = frontEnd;
        this.counters = counters;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        this.ctx = ctx;
        this.session = new Session(sessionId, ctx.channel(), shards.shardOf(ctx.channel().eventLoop()),
            frontEnd.encoder(), frontEnd.protocol());
        LOG.fine(() -> "open " + session);
        offerInOrder(CONNECT);
        super.channelActive(ctx);
    }

    /**
     * One request, at {@code buffer[start, end)} (a line without its line ending), read at
     * {@code readNanos}, from this connection's frame decoder: offered where it lies when nothing
     * is waiting before it, else copied (a retained slice) to wait its turn, with how many of its
     * commands were already accepted. A waiting request keeps its read time: the wait is part of
     * its latency, which would otherwise hide back-pressure.
     */
    @Override
    public void onLine(final ByteBuf buffer, final int start, final int end, final long readNanos)
    {
        if (!waiting.isEmpty())
        {
            waiting.add(buffer.retainedSlice(start, end - start));
            waitingReadNanos.add(readNanos);
            pauseReading();
            return;
        }
        final int stoppedAt = offerLine(buffer, start, end, readNanos, 0);
        if (stoppedAt < 0)
        {
            return;
        }
        headPart = stoppedAt;
        waiting.add(buffer.retainedSlice(start, end - start));
        waitingReadNanos.add(readNanos);
        pauseReading();
    }

    /** {@code bytes} were read from the socket, before framing: counted, and the connection is not idle. */
    @Override
    public void onRead(final int bytes)
    {
        session.stats().onRead(bytes, System.nanoTime());
    }

    /** A request longer than --max-line ended: answered in its place among this connection's requests. */
    @Override
    public void onLineTooLong()
    {
        offerInOrder(LINE_TOO_LONG);
    }

    /**
     * Input that cannot be framed (RESP): answered {@code protocol-error}, worded by {@code detail},
     * in its place, then the connection closes, as Redis does: nothing after it can be trusted.
     * The decoder drops everything after it.
     */
    @Override
    public void onProtocolError(final int detail)
    {
        protocolErrorDetail = detail;
        offerInOrder(PROTOCOL_ERROR);
    }

    /**
     * The input of a line could not be gathered (out of memory): the line is lost, answered
     * {@code ERR out-of-memory} in its place; the decoder discards the rest of it.
     */
    @Override
    public void onOutOfMemory()
    {
        memory.refused();
        LOG.fine(() -> "out of memory gathering a line of " + session + ", line discarded");
        offerInOrder(OUT_OF_MEMORY);
    }

    /** Whether the memory guard already chose to cut this connection; any thread. */
    boolean isCutForMemory()
    {
        return cutForMemory;
    }

    /**
     * Memory guard, any thread: marks this connection as cut and closes it on its own event loop
     * with {@code ERR out-of-memory} (best effort, as for a slow consumer), logging why.
     */
    void cutForMemory(final Channel channel, final long pendingOutputBytes, final long incompleteLineBytes)
    {
        cutForMemory = true;
        channel.eventLoop().execute(() ->
        {
            // On the loop: ctx was set by channelActive, which ran first if the channel is active.
            if (ctx == null || !channel.isActive())
            {
                return;
            }
            memory.cut();
            session.stats().closing(CloseReason.OUT_OF_MEMORY);
            LOG.warning(() -> "cut for memory: " + session + " pending_bytes=" + pendingOutputBytes
                + " incomplete_line_bytes=" + incompleteLineBytes + " memory_used=" + memory.usedBytes()
                + " memory_max=" + memory.maxBytes());
            try
            {
                channel.writeAndFlush(session.encoder().error(ctx.alloc(), ErrorCode.OUT_OF_MEMORY, null), channel.voidPromise());
            }
            catch (final OutOfMemoryError ex)
            {
                memory.refused(); // the closing line is best effort; the close is what frees memory
            }
            channel.close();
        });
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        LOG.fine(() -> "close " + session);
        session.stats().closing(CloseReason.DISCONNECTED);
        offerInOrder(DISCONNECT);
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (!(event instanceof IdleStateEvent))
        {
            super.userEventTriggered(ctx, event);
            return;
        }
        // While reading is paused by our own back-pressure the peer may well be sending: not idle.
        if (!readingPaused && ctx.channel().isActive())
        {
            counters.idleCloses.increment();
            session.stats().closing(CloseReason.IDLE_TIMEOUT);
            LOG.fine(() -> "closing idle " + session);
            // An ordinary close: channelInactive offers DISCONNECT like any other disconnect.
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (hasCause(cause, SSLException.class))
        {
            // A failed handshake or a plain-text client on a TLS port: the client's problem.
            counters.tlsFailures.increment();
            LOG.log(Level.FINE, cause, () -> "TLS failure on " + session);
        }
        else if (cause instanceof OutOfMemoryError)
        {
            // Somewhere in the pipeline an allocation failed (Netty closes a connection whose read
            // buffer could not be allocated): counted and logged, no stack trace, never the way
            // the budget is found.
            memory.refused();
            LOG.warning(() -> "out of memory on " + session + ", closing it: " + cause.getMessage());
        }
        else if (cause instanceof IOException)
        {
            // A reset or broken pipe is an ordinary way for a client to leave.
            LOG.log(Level.FINE, cause, () -> "connection error on " + session);
        }
        else
        {
            counters.internalErrors.increment();
            LOG.log(Level.WARNING, cause, () -> "closing " + session + " after an unexpected error");
        }
        if (session != null)
        {
            session.stats().closing(cause instanceof OutOfMemoryError ? CloseReason.OUT_OF_MEMORY : CloseReason.ERROR);
        }
        ctx.close();
    }

    private void offerInOrder(final Object item)
    {
        if (waiting.isEmpty() && offer(item))
        {
            release(item);
            return;
        }
        waiting.add(item);
        pauseReading();
    }

    private void offerWaiting()
    {
        retryScheduled = false;
        boolean progressed = false;
        Object item;
        while ((item = waiting.peek()) != null)
        {
            if (!offer(item))
            {
                retryFailed = !progressed;
                scheduleRetry();
                return;
            }
            progressed = true;
            waiting.poll();
            if (item instanceof ByteBuf)
            {
                waitingReadNanos.remove();
                headPart = 0;
            }
            release(item);
        }
        retryFailed = false;
        resumeReading();
    }

    private boolean offer(final Object item)
    {
        if (item == CONNECT)
        {
            return sink.offerConnect(session);
        }
        if (item == DISCONNECT)
        {
            return sink.offerDisconnect(session);
        }
        if (item == LINE_TOO_LONG)
        {
            return closing || sink.offerCommand(session, parsed.asError(ErrorCode.LINE_TOO_LONG));
        }
        if (item == OUT_OF_MEMORY)
        {
            return closing || sink.offerCommand(session, parsed.asError(ErrorCode.OUT_OF_MEMORY));
        }
        if (item == PROTOCOL_ERROR)
        {
            return offerProtocolError();
        }
        final ByteBuf line = (ByteBuf)item;
        final int stoppedAt = offerLine(line, line.readerIndex(), line.writerIndex(), waitingReadNanos.peek(), headPart);
        if (stoppedAt < 0)
        {
            return true;
        }
        headPart = stoppedAt;
        return false;
    }

    /** The protocol error's answer, then the closing command; the connection takes nothing more. */
    private boolean offerProtocolError()
    {
        if (!closing)
        {
            if (!sink.offerCommand(session, parsed.asError(ErrorCode.PROTOCOL_ERROR).detail(protocolErrorDetail)))
            {
                return false;
            }
            closing = true;
            quitPending = true;
            session.stats().closing(CloseReason.ERROR);
        }
        return !quitPending || offerQuit();
    }

    /**
     * Offers the commands of one request from command {@code firstPart} on; each one's effect on
     * the connection is committed only once the sink accepted it.
     *
     * @return -1 when every command was offered (or is to be dropped), else the number of the
     * command the sink had no room for, to offer from later.
     */
    private int offerLine(
        final ByteBuf buffer, final int start, final int end, final long readNanos, final int firstPart)
    {
        if (quitPending)
        {
            return offerQuit() ? -1 : firstPart;
        }
        for (int part = firstPart; !closing; part++)
        {
            if (!frontEnd.command(buffer, start, end, part, parsed))
            {
                return -1;
            }
            parsed.readAt(readNanos);
            if (!sink.offerCommand(session, parsed))
            {
                return part;
            }
            if (parsed.command() == Command.PUB)
            {
                session.stats().onMessageIn();
            }
            if (frontEnd.accepted(parsed))
            {
                // A closing command rather than a direct close: its answer (if any) and the close
                // then follow the error through the rings, in order with every other reply.
                closing = true;
                quitPending = true;
                session.stats().closing(CloseReason.AUTH_FAILED);
                return offerQuit() ? -1 : part + 1;
            }
        }
        return -1;
    }

    private boolean offerQuit()
    {
        frontEnd.closeCommand(parsed);
        if (!sink.offerCommand(session, parsed))
        {
            return false;
        }
        quitPending = false;
        return true;
    }

    private static boolean hasCause(final Throwable error, final Class<? extends Throwable> type)
    {
        for (Throwable t = error; t != null; t = t.getCause())
        {
            if (type.isInstance(t))
            {
                return true;
            }
        }
        return false;
    }

    private static void release(final Object item)
    {
        if (item instanceof ByteBuf)
        {
            ((ByteBuf)item).release();
        }
    }

    private void pauseReading()
    {
        if (!readingPaused)
        {
            readingPaused = true;
            counters.readPauses.increment();
            ctx.channel().config().setAutoRead(false);
        }
        scheduleRetry();
    }

    private void resumeReading()
    {
        if (readingPaused)
        {
            readingPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void scheduleRetry()
    {
        if (!retryScheduled)
        {
            retryScheduled = true;
            if (sink.drainsOnCallersLoop() && !retryFailed)
            {
                // The engine's poll is already queued on this loop: retry right after it. A
                // delay here left the loop idle while the ring was empty again (422 pauses of
                // 100 us in 5 s of max, engine on the event loop). Only once in a row: should
                // that retry find no room either, the delay keeps the loop from spinning.
                ctx.executor().execute(retry);
            }
            else
            {
                ctx.executor().schedule(retry, RETRY_DELAY_US, TimeUnit.MICROSECONDS);
            }
        }
    }
}
