package dev.topics.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples the memory in use for the {@link MemoryBudget} every {@link #PERIOD_US} µs from half the
 * budget on (less often below: {@link #periodUs}), and when it is full because of what connections
 * hold (output pending for slow readers, input waiting for the end of its line), cuts the
 * connections holding the most, largest first, until it is not.
 *
 * <p>Stored latest values are not cut this way: they are the data, bounded by refusing (or, with
 * {@code --when-full evict}, evicting) at {@link MemoryBudget#refuseAtBytes()}. Connections are
 * cut only once the total reached {@link MemoryBudget#refusePublishAtBytes()} (half the reserve
 * is gone) and they together hold at least twice the reserve (1/8 of the budget), so a publisher
 * whose input is being buffered when stored values fill the budget is answered
 * {@code ERR out-of-memory}, not disconnected: a flooder of 256 KiB lines was seen holding 4 MiB
 * of input while the engine's ring was full. They are cut, largest first, until what is left
 * would bring the total under the refusal threshold by half the reserve, or they hold less than
 * the reserve.
 *
 * <p>Runs on one event loop (a scheduled task); reads other connections' figures through volatile
 * fields and has their own event loops close them.
 */
final class MemoryGuard implements Runnable
{
    private static final Logger LOG = Logger.getLogger(MemoryGuard.class.getName());

    /**
     * How often the allocator's figure is read: it takes the allocator's locks (and allocates a
     * little), so not per message.
     */
    static final long PERIOD_US = 1_000;
    /** The period between 1/8 and 1/2 of the budget. */
    static final long CALM_PERIOD_US = 10_000;
    /** The period below 1/8 of the budget: an idle broker. */
    static final long IDLE_PERIOD_US = 50_000;

    private final MemoryBudget budget;
    /** Bytes in the allocator's buffers in use now. */
    private final LongSupplier directBytesInUse;
    private final ChannelGroup connections;
    /** Cut in the last round and maybe not closed yet: no new round until they are. */
    private final List<Channel> closing = new ArrayList<>();
    /** Failed samples; counted into the transport's internal errors. */
    private final LongAdder failures;
    private EventExecutor loop;
    private volatile ScheduledFuture<?> next;
    private volatile boolean stopped;

    MemoryGuard(
        final MemoryBudget budget, final LongSupplier directBytesInUse, final ChannelGroup connections, final LongAdder failures)
    {
        this.failures = failures;
        this.budget = budget;
        this.directBytesInUse = directBytesInUse;
        this.connections = connections;
    }

    /** Samples once now and then periodically on {@code loop}. */
    void start(final EventExecutor loop)
    {
        this.loop = loop;
        check();
        loop.execute(this);
    }

    void stop()
    {
        stopped = true;
        final ScheduledFuture<?> scheduled = next;
        if (scheduled != null)
        {
            scheduled.cancel(false);
        }
    }

    /** On the guard's loop: samples, and schedules the next sample. */
    @Override
    public void run()
    {
        if (stopped)
        {
            return;
        }
        final long total = check();
        try
        {
            next = loop.schedule(this, periodUs(total, budget.maxBytes()), TimeUnit.MICROSECONDS);
        }
        catch (final RuntimeException shuttingDown)
        {
            // The loop is stopping: so is the guard.
        }
    }

    /**
     * When to sample next after {@code usedBytes}: every millisecond from half the budget on;
     * below, filling the rest before the next sample takes gigabytes per second (over 3 GB/s at
     * 10 ms from half, over 1 GB/s at 50 ms from an eighth, for the smallest budget of 32m), and a
     * wake-up costs: an idle broker sampling every millisecond spent 3% of a core on it (30 ms of
     * CPU in 10 s, against 1 ms without the guard; measured on this 2-core machine).
     */
    static long periodUs(final long usedBytes, final long maxBytes)
    {
        if (usedBytes >= maxBytes / 2)
        {
            return PERIOD_US;
        }
        return usedBytes >= maxBytes / 8 ? CALM_PERIOD_US : IDLE_PERIOD_US;
    }

    /** One sample, and the cuts it calls for; returns the total in use (0 if the sample failed). */
    long check()
    {
        try
        {
            final long total = budget.sample(directBytesInUse.getAsLong());
            if (total >= budget.refusePublishAtBytes() && previousCutsClosed())
            {
                cutLargest(total);
            }
            return total;
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            // Never out of a periodic task: Netty would cancel it, and the budget would stop
            // being sampled. Counted; the next sample tries again.
            failures.increment();
            if (failures.sum() == 1)
            {
                LOG.log(Level.SEVERE, ex, () -> "memory guard failed, carrying on");
            }
            return 0;
        }
    }

    private boolean previousCutsClosed()
    {
        closing.removeIf(channel -> !channel.isOpen());
        return closing.isEmpty();
    }

    /** Rare (memory is full): may allocate. */
    private void cutLargest(final long total)
    {
        final List<Holder> holders = new ArrayList<>();
        long held = 0;
        for (final Channel channel : connections)
        {
            final Holder holder = Holder.of(channel);
            if (holder != null)
            {
                holders.add(holder);
                held += holder.bytes();
            }
        }
        final long reserve = budget.reserveBytes();
        if (held < 2 * reserve)
        {
            return; // the stored values fill it: refusing PUBs is all there is to do
        }
        holders.sort(Comparator.comparingLong(Holder::bytes).reversed());
        long toFree = total - budget.refuseAtBytes() + reserve / 2;
        for (final Holder holder : holders)
        {
            if (toFree <= 0 || held < reserve)
            {
                return;
            }
            holder.handler.cutForMemory(holder.channel, holder.pendingOutputBytes, holder.incompleteLineBytes);
            closing.add(holder.channel);
            toFree -= holder.bytes();
            held -= holder.bytes();
        }
    }

    /** What one connection holds, as read from the guard's thread. */
    private record Holder(Channel channel, ConnectionHandler handler, long pendingOutputBytes, long incompleteLineBytes)
    {
        static Holder of(final Channel channel)
        {
            final ConnectionHandler handler = channel.pipeline().get(ConnectionHandler.class);
            final HeldInput decoder = heldInput(channel);
            if (handler == null || decoder == null || handler.isCutForMemory() || !channel.isActive())
            {
                return null;
            }
            final ChannelOutboundBuffer output = channel.unsafe().outboundBuffer();
            final long pending = output == null ? 0 : output.totalPendingWriteBytes();
            final long line = decoder.incompleteLineBytes();
            return pending + line == 0 ? null : new Holder(channel, handler, pending, line);
        }

        long bytes()
        {
            return pendingOutputBytes + incompleteLineBytes;
        }

        /** The connection's frame decoder, text or RESP, or null before the pipeline is built. */
        private static HeldInput heldInput(final Channel channel)
        {
            for (final Map.Entry<String, ChannelHandler> entry : channel.pipeline())
            {
                if (entry.getValue() instanceof HeldInput input)
                {
                    return input;
                }
            }
            return null;
        }
    }
}
