package dev.topics.benchmarks;

import dev.topics.broker.egress.DeliveryLatency;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;
import org.HdrHistogram.ValueRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Measures what timing its deliveries costs a writer: one op is one delivery, and each invocation
 * is one drain of {@value #DELIVERIES_PER_DRAIN} deliveries followed by the drain's one clock
 * read. {@code deliveriesPerRead} is how many of them share a read time: 1 when every delivery
 * comes from a PUB of its own read, 8 or 64 when a PUB fans out to that many subscribers on this
 * writer's loop (or a read brought several PUBs).
 *
 * <ul>
 *   <li>{@link #runLength}: the writer's {@link DeliveryLatency}: deliveries of one read time
 *       counted as a run, one {@code recordValueWithCount} per run.</li>
 *   <li>{@link #recordEach}: the alternative, {@code SingleWriterRecorder.recordValue} per
 *       delivery (two atomic increments of the recorder's phaser each).</li>
 *   <li>{@link #recordEachMultiWriter}: a plain {@code Recorder} per delivery, whose atomic
 *       histogram adds atomic updates of the count, the total and the min/max.</li>
 * </ul>
 *
 * <p>The recorders are pre-sized, so {@code -prof gc} should show 0 B/op. Nobody reads the
 * intervals here: a STATS read swaps histograms, a rare event beside the deliveries.
 */
@State(Scope.Thread)
public class DeliveryLatencyBenchmark extends HotPathBenchmark
{
    static final int DELIVERIES_PER_DRAIN = 64;
    private static final long LOWEST_NS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    @Param({"1", "8", "64"})
    public int deliveriesPerRead;

    private final long[] readNanos = new long[DELIVERIES_PER_DRAIN];
    private final DeliveryLatency latency = new DeliveryLatency(DELIVERIES_PER_DRAIN);
    private final SingleWriterRecorder singleWriter = new SingleWriterRecorder(LOWEST_NS, HIGHEST_NS, 3);
    private final Recorder multiWriter = new Recorder(LOWEST_NS, HIGHEST_NS, 3);

    @Setup
    public void setUp()
    {
        // Reads 1 µs apart, some tens of µs before the flush, as on a busy loop.
        final long firstRead = System.nanoTime() - TimeUnit.MICROSECONDS.toNanos(80);
        for (int i = 0; i < DELIVERIES_PER_DRAIN; i++)
        {
            readNanos[i] = firstRead + TimeUnit.MICROSECONDS.toNanos(i / deliveriesPerRead);
        }
    }

    @Benchmark
    @OperationsPerInvocation(DELIVERIES_PER_DRAIN)
    public void runLength()
    {
        for (int i = 0; i < DELIVERIES_PER_DRAIN; i++)
        {
            latency.delivered(readNanos[i]);
        }
        latency.written(System.nanoTime());
    }

    @Benchmark
    @OperationsPerInvocation(DELIVERIES_PER_DRAIN)
    public void recordEach()
    {
        recordEachInto(singleWriter);
    }

    @Benchmark
    @OperationsPerInvocation(DELIVERIES_PER_DRAIN)
    public void recordEachMultiWriter()
    {
        recordEachInto(multiWriter);
    }

    /** Each JMH fork runs one benchmark, so this call stays monomorphic. */
    private void recordEachInto(final ValueRecorder recorder)
    {
        final long flushedNanos = System.nanoTime();
        for (int i = 0; i < DELIVERIES_PER_DRAIN; i++)
        {
            recorder.recordValue(Math.min(Math.max(flushedNanos - readNanos[i], 0), HIGHEST_NS));
        }
    }
}
