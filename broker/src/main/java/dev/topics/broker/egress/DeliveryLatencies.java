package dev.topics.broker.egress;

import org.HdrHistogram.Histogram;

/**
 * The delivery latencies of all writers read as one histogram, for STATS and for any other reader
 * (a metrics endpoint): each read takes everything recorded since the previous read, whoever made
 * it, so an interval is "since the previous STATS or metrics read".
 *
 * <p>Any thread may read; reads take this object's lock, one at a time. The writers never take it:
 * they record into their own {@link DeliveryLatency}.
 */
public final class DeliveryLatencies
{
    private static final long NANOS_PER_MICRO = 1_000;

    private final DeliveryLatency[] writers;

    public DeliveryLatencies(final DeliveryLatency... writers)
    {
        this.writers = writers.clone();
    }

    /** A histogram of the writers' range and precision, to pass to {@link #readInterval}; values in ns. */
    public static Histogram newIntervalHistogram()
    {
        return DeliveryLatency.newHistogram();
    }

    /**
     * Replaces the content of {@code into} with every delivery latency (ns) recorded since the
     * previous read, and starts a new interval. {@code into} must come from
     * {@link #newIntervalHistogram()}; allocates nothing once each writer has been read once.
     */
    public synchronized void readInterval(final Histogram into)
    {
        into.reset();
        for (final DeliveryLatency writer : writers)
        {
            writer.addIntervalTo(into);
        }
    }

    /**
     * The value at {@code percentile} (0 to 100) of a histogram in ns, in µs rounded up, so that
     * a sample is never reported as 0; 0 for an empty histogram.
     */
    public static long percentileUs(final Histogram intervalNs, final double percentile)
    {
        return intervalNs.getTotalCount() == 0 ? 0 : toMicrosRoundedUp(intervalNs.getValueAtPercentile(percentile));
    }

    /** The largest value of a histogram in ns, in µs rounded up; 0 for an empty histogram. */
    public static long maxUs(final Histogram intervalNs)
    {
        // Checked here: a reset histogram's getMaxValue() is its lowest bucket's top (511 ns), not 0.
        return intervalNs.getTotalCount() == 0 ? 0 : toMicrosRoundedUp(intervalNs.getMaxValue());
    }

    private static long toMicrosRoundedUp(final long nanos)
    {
        return (nanos + NANOS_PER_MICRO - 1) / NANOS_PER_MICRO;
    }
}
