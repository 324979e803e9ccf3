package dev.topics.broker;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import dev.topics.broker.egress.WriterProxy;
import dev.topics.broker.engine.Engine;
import dev.topics.broker.ingress.InboundEvent;
import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine polled by the one event loop, through an {@link EventPoller} on the inbound ring, as
 * the writers poll the outbound ring: after the loop's reads have published their commands, one
 * task runs the engine over everything published, and the writer (a task on the same loop) writes
 * the result. A message crosses no thread and pays no wake-up, as in Redis, with both rings still
 * in between. Measured on 2 cores, where every thread crossing costs more than the work of a
 * message (docs/benchmarks.md, "Engine placement").
 *
 * <p>Only with a single event loop, so the inbound ring has one producer. Everything but
 * {@link #stop} runs on that loop. The engine never blocks it: when the outbound ring is full,
 * the proxy runs the writer right there to make room ({@link WriterProxy}'s {@code onRingFull}).
 */
final class EventLoopEngine implements EngineRunner
{
    private static final Logger LOG = Logger.getLogger(EventLoopEngine.class.getName());
    /** Commands applied per task before the loop is given back to its sockets. */
    static final int MAX_EVENTS_PER_POLL = 4096;

    private final RingBuffer<InboundEvent> ring;
    private final EventPoller<InboundEvent> poller;
    private final Engine engine;
    private final WriterProxy out;
    private final LoggingExceptionHandler<InboundEvent> exceptionHandler;
    private final EventExecutor eventLoop;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable pollTask = this::poll;
    private final EventPoller.Handler<InboundEvent> handler = this::onEvent;
    private int eventsThisPoll;

    /**
     * @param ring single-producer (the one event loop publishes), with a wait strategy that
     *             signals nobody on publish (nobody waits on it).
     */
    EventLoopEngine(
        final RingBuffer<InboundEvent> ring,
        final EventExecutor eventLoop,
        final Engine engine,
        final WriterProxy out,
        final LoggingExceptionHandler<InboundEvent> exceptionHandler)
    {
        this.ring = ring;
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        this.eventLoop = eventLoop;
        this.engine = engine;
        this.out = out;
        this.exceptionHandler = exceptionHandler;
    }

    @Override
    public void start()
    {
        // Nothing to start: the event loop runs the engine when there is work.
    }

    /** Makes sure a poll is queued on the loop; from the loop itself this is a queue offer. */
    @Override
    public void wakeUp()
    {
        if (!scheduled.get() && scheduled.compareAndSet(false, true))
        {
            eventLoop.execute(pollTask);
        }
    }

    private void poll()
    {
        // Cleared before polling: anything published after this line queues a new poll.
        scheduled.set(false);
        eventsThisPoll = 0;
        try
        {
            poller.poll(handler);
        }
        catch (final Exception ex)
        {
            // onEvent catches everything itself; this is the poller's own failure.
            LOG.log(Level.SEVERE, ex, () -> "engine poll failed, carrying on");
        }
        // The engine's endOfBatch may not have run if the poll stopped early: wake the writer.
        out.endOfBatch();
        if (eventsThisPoll >= MAX_EVENTS_PER_POLL)
        {
            wakeUp(); // more may be waiting: let the loop read and write sockets, then come back
        }
    }

    private boolean onEvent(final InboundEvent event, final long sequence, final boolean endOfBatch)
    {
        try
        {
            engine.onEvent(event, sequence, endOfBatch);
        }
        catch (final Throwable ex)
        {
            // Never thrown out of the poller: it would apply the same event again.
            exceptionHandler.handleEventException(ex, sequence, event);
        }
        return ++eventsThisPoll < MAX_EVENTS_PER_POLL;
    }

    @Override
    public boolean stop(final long timeoutMs)
    {
        try
        {
            eventLoop.submit(() ->
            {
                while (poller.getSequence().get() < ring.getCursor())
                {
                    poll();
                }
                engine.onShutdown();
            }).get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (final ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            LOG.log(Level.WARNING, ex, () -> "the engine did not stop within " + timeoutMs + " ms");
            return false;
        }
    }
}
