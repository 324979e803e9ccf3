package dev.topics.benchmarks;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Measures one hop through a Disruptor ring to a handler on another thread: in the broker, the hop
 * from the event loops to the engine when the engine has its own thread
 * ({@code --engine-thread dedicated}), where the inbound ring is multi-producer and the engine
 * waits with {@code --wait-strategy}. With the engine polled by the event loop
 * ({@code --engine-thread io}, the default on 2 cores) no message crosses a thread on its way in,
 * and the outbound ring is never waited on (writers are polled on their event loops):
 *
 * <pre>
 *   benchmark thread ──publish──▶ [ ring, 16K slots ] ──▶ consumer thread (one EventHandler)
 *         ▲                                                        │
 *         └────────── spins on the consumer's sequence (roundTrip) ┘
 * </pre>
 *
 * <ul>
 *   <li>{@link #throughput}: publish as fast as the consumer keeps up; the producer waits only
 *       when the ring is full. Batching makes the consumer's wake-ups rare.</li>
 *   <li>{@link #roundTrip}: publish one event and spin until the consumer has processed it, so
 *       every op pays the full hop, including the consumer's wake-up when its wait strategy
 *       parks. 1/ops-per-second is the hop's latency.</li>
 * </ul>
 *
 * <p>The benchmark thread plays an event loop; the consumer thread plays the engine. The ring is
 * multi-producer, as the broker's inbound ring with a dedicated engine, though only one thread
 * publishes here. {@code waitStrategy} is the consumer's: {@code BLOCKING} (the broker's default
 * {@code --wait-strategy}) parks it and makes each publish take a lock to signal, {@code YIELDING}
 * keeps it on a core. Both threads need a core: on this 2-core machine that is all of it.
 * Publishing claims and fills a pre-allocated slot, so {@code -prof gc} should show about 0 B/op.
 */
@State(Scope.Thread)
public class RingHopBenchmark extends HotPathBenchmark
{
    private static final int RING_SIZE = 16 * 1024;

    /** The consumer's wait strategy. */
    public enum Wait
    {
        BLOCKING, YIELDING;

        WaitStrategy create()
        {
            return this == BLOCKING ? new BlockingWaitStrategy() : new YieldingWaitStrategy();
        }
    }

    /** One pre-allocated slot. Written by the producer between claim and publish, then read by the consumer. */
    static final class HopEvent
    {
        long value;
    }

    /** Sums what it sees, so its work cannot be optimised away. Runs on the consumer thread only. */
    static final class SummingHandler implements EventHandler<HopEvent>
    {
        long sum;

        @Override
        public void onEvent(final HopEvent event, final long sequence, final boolean endOfBatch)
        {
            sum += event.value;
        }
    }

    @Param
    public Wait waitStrategy;

    private RingBuffer<HopEvent> ring;
    private BatchEventProcessor<HopEvent> processor;
    private Sequence consumed;
    private Thread consumer;

    @Setup(Level.Trial)
    public void setUp()
    {
        ring = RingBuffer.createMultiProducer(HopEvent::new, RING_SIZE, waitStrategy.create());
        processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), new SummingHandler());
        consumed = processor.getSequence();
        ring.addGatingSequences(consumed);
        consumer = new Thread(processor, "ring-hop-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        processor.halt();
        consumer.join(TimeUnit.SECONDS.toMillis(5));
    }

    /** Publishes one event; waits only when the ring is full. */
    @Benchmark
    public long throughput()
    {
        return publish();
    }

    /** Publishes one event and spins until the consumer has handled it. */
    @Benchmark
    public long roundTrip()
    {
        final long sequence = publish();
        while (consumed.get() < sequence)
        {
            Thread.onSpinWait();
        }
        return sequence;
    }

    private long publish()
    {
        final long sequence = ring.next();
        ring.get(sequence).value = sequence;
        ring.publish(sequence);
        return sequence;
    }
}
