package dev.topics.loadgen.run;

import java.util.Locale;

/**
 * Immutable, any thread: the named scenarios of benchmarking.md with their defaults, sized for a
 * 2-core machine shared by the broker and the loadgen. Command-line options override any figure.
 */
public enum Scenario
{
    /** One publisher, one subscriber, a low rate: pure latency. */
    SINGLE(1, 1, 1, 64, 5_000, 0),
    /** One topic fanned out to many subscribers. */
    FANOUT(1, 8, 1, 64, 5_000, 0),
    /** Many topics and many publishers. */
    TOPICS(4, 4, 64, 64, 40_000, 0),
    /** Publishers send as fast as the broker accepts (bounded in-flight): throughput. */
    MAX(2, 2, 2, 64, 0, 0),
    /** Steps the rate up from --rate, finding the knee where p99 passes a bound. */
    SWEEP(1, 1, 1, 64, 20_000, 0),
    /** One subscriber that never reads among fast ones: its neighbours must not suffer. */
    SLOW_NEIGHBOUR(1, 4, 1, 1024, 10_000, 1);

    private final int publishers;
    private final int subscribers;
    private final int topics;
    private final int payloadBytes;
    private final double ratePerSec;
    private final int slowSubscribers;

    Scenario(
        final int publishers,
        final int subscribers,
        final int topics,
        final int payloadBytes,
        final double ratePerSec,
        final int slowSubscribers)
    {
        this.publishers = publishers;
        this.subscribers = subscribers;
        this.topics = topics;
        this.payloadBytes = payloadBytes;
        this.ratePerSec = ratePerSec;
        this.slowSubscribers = slowSubscribers;
    }

    public static Scenario parse(final String text)
    {
        try
        {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("unknown scenario '" + text
                + "', expected single, fanout, topics, max, sweep or slow-neighbour", e);
        }
    }

    /** Lower-case, dashed name as typed on the command line. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public int publishers()
    {
        return publishers;
    }

    public int subscribers()
    {
        return subscribers;
    }

    public int topics()
    {
        return topics;
    }

    public int payloadBytes()
    {
        return payloadBytes;
    }

    /** Total messages per second; 0 means as fast as accepted. */
    public double ratePerSec()
    {
        return ratePerSec;
    }

    public int slowSubscribers()
    {
        return slowSubscribers;
    }

    /** One line for the help text. */
    public String describe()
    {
        return String.format(Locale.ROOT, "%-15s P=%d S=%d T=%d B=%d rate=%s%s", label(), publishers, subscribers,
            topics, payloadBytes, ratePerSec == 0 ? "max" : String.valueOf((long) ratePerSec),
            slowSubscribers > 0 ? " +" + slowSubscribers + " slow subscriber" : "");
    }
}
