package dev.topics.broker.egress;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;

/**
 * One writer's delivery latencies, from the read of a {@code PUB}'s line on its event loop to the
 * flush that wrote the delivery to the subscriber's channel: one sample per delivery written, so
 * a message fanned out to N subscribers counts N times, each with its own flush.
 *
 * <p>{@link #delivered} and {@link #written} run on the writer's event loop only: it is the single
 * writer of this HdrHistogram {@link SingleWriterRecorder}. A plain {@code Recorder} would allow
 * several writers and pays for it with an atomic histogram (two more atomic increments per value,
 * of its count and of the total); a single writer only pays the recorder's phaser, two atomic
 * increments per record. {@link #addIntervalTo} may be called from any thread while the writer
 * records: that is what the recorder's phaser is for.
 *
 * <p>Values are nanoseconds, as {@link System#nanoTime()} gives them, so recording divides
 * nothing and the histogram keeps more than the microseconds reported: lowest discernible value
 * 1 µs (HdrHistogram rounds it down to 512 ns steps, kept up to about 1 ms), highest 60 s, 3
 * significant digits. It is sized once for that range, so recording never allocates; a value
 * outside the range is clamped to it rather than thrown.
 */
public final class DeliveryLatency
{
    static final long LOWEST_DISCERNIBLE_NS = TimeUnit.MICROSECONDS.toNanos(1);
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder recorder =
        new SingleWriterRecorder(LOWEST_DISCERNIBLE_NS, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);

    // Writer thread only. Deliveries since the last flush, as runs of equal read times: a PUB
    // fanned out on this loop, and every PUB of one read, share a read time, so a run is recorded
    // with one count and pays the recorder's atomics once, not once per delivery. Smoke runs of
    // DeliveryLatencyBenchmark (shared 2-core machine, load 9-10, wide error): 4-9 ns per delivery
    // when 8 to 64 share a read time against 8-12 ns for a record each (20-30 ns with a
    // multi-writer Recorder); 15-23 against 12-15 ns when none do, where deliveries are few.
    private final long[] runReadNanos;
    private final long[] runCounts;
    private int runs;

    // Readers, one at a time (this object's lock): the interval histogram handed back to the recorder.
    private Histogram recycled;

    /** @param maxRuns the most deliveries a writer writes between two flushes: one drain's events. */
    public DeliveryLatency(final int maxRuns)
    {
        this.runReadNanos = new long[maxRuns];
        this.runCounts = new long[maxRuns];
    }

    /** A histogram of this class's range and precision, for a reader to add intervals into. */
    static Histogram newHistogram()
    {
        return new Histogram(LOWEST_DISCERNIBLE_NS, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /** Writer: a delivery of a PUB read at {@code readNanos} was written; timed at the next flush. */
    public void delivered(final long readNanos)
    {
        final int last = runs - 1;
        if (last >= 0 && runReadNanos[last] == readNanos)
        {
            runCounts[last]++;
            return;
        }
        if (runs == runReadNanos.length)
        {
            // Not reached while a writer flushes at least every maxRuns deliveries; should it
            // be, these are timed a little early rather than lost.
            written(System.nanoTime());
        }
        runReadNanos[runs] = readNanos;
        runCounts[runs] = 1;
        runs++;
    }

    /** Writer: whether deliveries wait for {@link #written}. */
    public boolean hasPending()
    {
        return runs > 0;
    }

    /** Writer: every delivery since the last call was flushed at {@code flushedNanos}. */
    public void written(final long flushedNanos)
    {
        for (int i = 0; i < runs; i++)
        {
            recorder.recordValueWithCount(clamp(flushedNanos - runReadNanos[i]), runCounts[i]);
        }
        runs = 0;
    }

    /**
     * Any thread: adds to {@code into} everything recorded since the previous call and starts a
     * new interval. Never stalls the writer. A record in progress on the writer's thread is waited
     * for in the recorder's sleeps of 0.5 ms (which {@code Thread.sleep} rounds to 1 ms): rare, as
     * a record takes tens of nanoseconds, and impossible when the reader is the writer's own loop
     * (the engine polled there).
     */
    synchronized void addIntervalTo(final Histogram into)
    {
        recycled = recorder.getIntervalHistogram(recycled);
        into.add(recycled);
    }

    private static long clamp(final long latencyNs)
    {
        return Math.min(Math.max(latencyNs, 0), HIGHEST_TRACKABLE_NS);
    }
}
