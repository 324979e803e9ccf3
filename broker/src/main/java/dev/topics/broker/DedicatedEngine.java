package dev.topics.broker;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import dev.topics.broker.engine.Engine;
import dev.topics.broker.ingress.InboundEvent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * The engine on a thread of its own ({@code topics-engine-0}): a Disruptor batch event processor
 * waiting on the inbound ring with the configured wait strategy. The placement for a machine with
 * a core to spare, and for several event loops publishing at once.
 *
 * <p>Started and stopped by the launching thread; the engine runs on the thread it starts.
 */
final class DedicatedEngine implements EngineRunner
{
    private static final Logger LOG = Logger.getLogger(DedicatedEngine.class.getName());

    private final RingBuffer<InboundEvent> ring;
    private final BatchEventProcessor<InboundEvent> processor;
    private final Thread thread;
    private final Engine engine;

    DedicatedEngine(
        final RingBuffer<InboundEvent> ring,
        final ThreadFactory threads,
        final Engine engine,
        final LoggingExceptionHandler<InboundEvent> exceptionHandler)
    {
        this.ring = ring;
        this.engine = engine;
        this.processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), engine);
        // Replaces the default handler, which would halt the engine and block every producer.
        processor.setExceptionHandler(exceptionHandler);
        ring.addGatingSequences(processor.getSequence());
        this.thread = threads.newThread(processor);
    }

    @Override
    public void wakeUp()
    {
        // The ring's wait strategy wakes the engine thread on every publish.
    }

    @Override
    public void start()
    {
        thread.start();
    }

    @Override
    public boolean stop(final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (processor.getSequence().get() < ring.getCursor() && System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(100_000);
        }
        if (processor.getSequence().get() < ring.getCursor())
        {
            LOG.warning("the inbound ring did not drain before the shutdown timeout; halting the engine");
        }
        processor.halt(); // onShutdown then runs on the engine thread
        try
        {
            return engine.awaitStopped(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
