package dev.topics.broker;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The wait strategies the engine can use on the inbound ring, by the name given on the command line.
 *
 * <p>Stateless; called once per ring at start-up by the launching thread.
 */
public enum WaitStrategies
{
    /** Parks until signalled: lowest CPU, pays a wake-up per idle-to-busy transition. */
    BLOCKING,
    /** Like BLOCKING, but a publisher takes the lock only when the engine is actually parked. */
    LITE_BLOCKING,
    /** Spins, then yields, then parks: removes most wake-ups at moderate rates for some CPU. */
    PHASED,
    /** Spins then sleeps briefly: low producer cost, latency of the sleep when idle. */
    SLEEPING,
    /** Yields in a loop: a core per consumer, for machines with cores to spare. */
    YIELDING,
    /** Spins without yielding: only with a dedicated core per consumer. */
    BUSY_SPIN;

    WaitStrategy create()
    {
        return switch (this)
        {
            case BLOCKING -> new BlockingWaitStrategy();
            case LITE_BLOCKING -> new LiteBlockingWaitStrategy();
            case PHASED -> PhasedBackoffWaitStrategy.withLock(20, 200, TimeUnit.MICROSECONDS);
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
