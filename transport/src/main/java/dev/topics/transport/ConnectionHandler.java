package dev.topics.transport;

import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.LineParser;
import dev.topics.transport.codec.ParsedLine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns one connection's framed lines into offers to the {@link CommandSink}, in order, and
 * applies back-pressure: when the sink has no room, reading from this socket stops and the
 * waiting items are offered again shortly, so nothing accepted from the socket is dropped and the
 * event loop never blocks.
 *
 * <p>One instance per channel; every method runs on that channel's event-loop thread.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = Logger.getLogger(ConnectionHandler.class.getName());
    private static final long RETRY_DELAY_US = 100;

    /** Markers queued among the line buffers so every event keeps its place in the order. */
    private static final Object CONNECT = new Object();
    private static final Object DISCONNECT = new Object();
    private static final Object LINE_TOO_LONG = new Object();

    private final long sessionId;
    private final CommandSink sink;
    private final LineParser parser;
    private final TransportCounters counters;
    private final ParsedLine parsed = new ParsedLine();
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private final Runnable retry = this::offerWaiting;
    private ChannelHandlerContext ctx;
    private Session session;
    private boolean retryScheduled;
    private boolean readingPaused;

    ConnectionHandler(final long sessionId, final CommandSink sink, final LineParser parser, final TransportCounters counters)
    {
        this.sessionId = sessionId;
        this.sink = sink;
        this.parser = parser;
        this.counters = counters;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        this.ctx = ctx;
        this.session = new Session(sessionId, ctx.channel());
        LOG.fine(() -> "open " + session);
        offerInOrder(CONNECT);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        offerInOrder(msg);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        LOG.fine(() -> "close " + session);
        offerInOrder(DISCONNECT);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof TooLongFrameException)
        {
            offerInOrder(LINE_TOO_LONG);
            return;
        }
        if (cause instanceof IOException)
        {
            // A reset or broken pipe is an ordinary way for a client to leave.
            LOG.log(Level.FINE, cause, () -> "connection error on " + session);
        }
        else
        {
            counters.internalErrors.increment();
            LOG.log(Level.WARNING, cause, () -> "closing " + session + " after an unexpected error");
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
        Object item;
        while ((item = waiting.peek()) != null)
        {
            if (!offer(item))
            {
                scheduleRetry();
                return;
            }
            waiting.poll();
            release(item);
        }
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
            return sink.offerCommand(session, parsed.asError(ErrorCode.LINE_TOO_LONG));
        }
        final ByteBuf line = (ByteBuf)item;
        return !parser.parse(line, parsed) || sink.offerCommand(session, parsed);
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
            ctx.executor().schedule(retry, RETRY_DELAY_US, TimeUnit.MICROSECONDS);
        }
    }
}
