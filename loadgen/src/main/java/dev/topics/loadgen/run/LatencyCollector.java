package dev.topics.loadgen.run;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.ArrayList;
import java.util.List;

/**
 * Owned by the run's coordinating thread: gathers the interval histograms of several
 * {@link SingleWriterRecorder}s (one per recording thread) into one total, HdrHistogram's
 * recorder pattern: the writers never block, the collector swaps and recycles histograms.
 */
public final class LatencyCollector
{
    private final List<SingleWriterRecorder> recorders = new ArrayList<>();
    private final Histogram total = Histograms.newHistogram();
    private final Histogram lastInterval = Histograms.newHistogram();
    /** Per recorder: the histogram it handed out last time, which it accepts back for reuse. */
    private final List<Histogram> recycled = new ArrayList<>();

    public SingleWriterRecorder newRecorder()
    {
        final SingleWriterRecorder recorder = Histograms.newRecorder();
        recorders.add(recorder);
        recycled.add(null);
        return recorder;
    }

    /** Moves everything recorded since the last call into the total; returns that interval. */
    public Histogram collect()
    {
        lastInterval.reset();
        for (int i = 0; i < recorders.size(); i++)
        {
            final Histogram interval = recorders.get(i).getIntervalHistogram(recycled.get(i));
            lastInterval.add(interval);
            recycled.set(i, interval);
        }
        total.add(lastInterval);
        return lastInterval;
    }

    public Histogram total()
    {
        return total;
    }
}
