package dev.topics.loadgen.run;

/**
 * Immutable, owned by one publisher thread: the open-loop plan of when each of its messages is
 * meant to leave, independent of when it actually could.
 *
 * <p>Latency is measured from these intended times, not from the moment a message was written,
 * so a stall in the broker (or in the loadgen) shows up in every message that should have been
 * sent during it. That is the coordinated-omission correction of wrk2 and HdrHistogram.
 */
public final class Schedule
{
    private final long startNs;
    private final long intervalNs;

    /**
     * @param startNs    intended time of message 0, System.nanoTime() scale
     * @param intervalNs time between two consecutive messages of this publisher
     */
    public Schedule(final long startNs, final long intervalNs)
    {
        if (intervalNs < 1)
        {
            throw new IllegalArgumentException("intervalNs must be positive: " + intervalNs);
        }
        this.startNs = startNs;
        this.intervalNs = intervalNs;
    }

    /** Interval that spreads {@code totalRatePerSec} messages a second evenly over {@code publishers}. */
    public static long intervalNs(final double totalRatePerSec, final int publishers)
    {
        return Math.max(1L, Math.round(1e9 * publishers / totalRatePerSec));
    }

    public long intervalNs()
    {
        return intervalNs;
    }

    /** When message {@code index} is meant to be sent. */
    public long intendedNs(final long index)
    {
        return startNs + index * intervalNs;
    }

    /** How many messages are due by {@code nowNs}: indexes 0 .. result-1 should have been sent. */
    public long dueBy(final long nowNs)
    {
        if (nowNs < startNs)
        {
            return 0;
        }
        return (nowNs - startNs) / intervalNs + 1;
    }
}
