package dev.topics.broker.egress;

import com.lmax.disruptor.EventHandler;
import dev.topics.transport.Session;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.Replies;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;

/**
 * Drains the outbound ring for one shard of sessions: writes each event to its socket, and flushes
 * every touched session once per batch, so a burst costs one flush per connection, not one per
 * message. A session whose unsent bytes pass {@code --max-pending} is disconnected as a slow
 * consumer instead of being written to.
 *
 * <p>Runs on its own writer thread; it alone writes to the sessions of its shard.
 */
public final class Writer implements EventHandler<OutboundEvent>
{
    private final int shard;
    private final ArrayList<Session> touched = new ArrayList<>();

    public Writer(final int shard)
    {
        this.shard = shard;
    }

    @Override
    public void onEvent(final OutboundEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.shard == shard)
        {
            try
            {
                write(event);
            }
            finally
            {
                event.clear();
            }
        }
        if (endOfBatch)
        {
            flushTouched();
        }
    }

    private void write(final OutboundEvent event)
    {
        final Session session = event.session;
        if (session.isClosing())
        {
            // Closed by QUIT or as a slow consumer: whatever was still routed to it is dropped.
            releasePayload(event);
            return;
        }
        final ByteBufAllocator alloc = session.alloc();
        if (!session.isWritable())
        {
            // Over --max-pending: cut it off so memory stays bounded and nobody else waits for it.
            releasePayload(event);
            session.disconnectSlowConsumer(Replies.error(alloc, ErrorCode.SLOW_CONSUMER));
            return;
        }
        switch (event.type)
        {
            // A duplicate has its own indices over the shared bytes and hands the event's
            // reference to the channel, which releases it once written.
            case DELIVER -> session.write(event.payload.duplicate());
            case FRAME -> session.write(event.payload);
            case VALUE -> writeValue(event, alloc);
            case SUBSCRIBED -> session.write(Replies.subscribed(alloc, event.topic));
            case UNSUBSCRIBED -> session.write(Replies.unsubscribed(alloc, event.topic));
            case NOVALUE -> session.write(Replies.noValue(alloc, event.topic));
            case STATS -> session.write(Replies.text(alloc, event.text));
            case HELP -> session.write(Replies.help(alloc));
            case ERROR -> session.write(Replies.error(alloc, event.error));
            case BYE ->
            {
                session.writeAndClose(Replies.bye(alloc));
                return;
            }
            default -> throw new IllegalStateException("unknown outbound type " + event.type);
        }
        if (session.markFlushPending())
        {
            touched.add(session);
        }
    }

    private static void writeValue(final OutboundEvent event, final ByteBufAllocator alloc)
    {
        try
        {
            event.session.write(Replies.value(alloc, event.payload));
        }
        finally
        {
            event.payload.release();
        }
    }

    private static void releasePayload(final OutboundEvent event)
    {
        if (event.payload != null)
        {
            event.payload.release();
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
