package dev.topics.loadgen.run;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Stateless, any thread: the one histogram shape every latency in the loadgen is recorded in.
 * Values are nanoseconds, 3 significant digits, up to an hour; larger values are clamped so a
 * pathological stall is reported as huge rather than crashing the recording thread.
 */
public final class Histograms
{
    public static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
    public static final int SIGNIFICANT_DIGITS = 3;

    private Histograms()
    {
    }

    public static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    public static SingleWriterRecorder newRecorder()
    {
        return new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /** Clamps into the recordable range; a negative value means clocks disagreed, recorded as 0. */
    public static long clamp(final long valueNs)
    {
        if (valueNs < 0)
        {
            return 0;
        }
        return Math.min(valueNs, HIGHEST_TRACKABLE_NS);
    }
}
