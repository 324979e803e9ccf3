package dev.topics.loadgen.run;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * Immutable, any thread: the named scenarios of benchmarking.md with their defaults, sized for a
 * 2-core machine shared by the broker and the loadgen. Command-line options override any figure.
 */
public enum Scenario
{
    SINGLE(1, 1, 1, false, 64, 5_000, 0, "pure latency at a low rate"),
    FANOUT(1, 8, 1, false, 64, 5_000, 0, "one topic fanned out to many subscribers"),
    FANOUT_PATTERN(1, 8, 1, true, 64, 5_000, 0, "fanout with subscribers on the pattern " + Topology.PATTERN),
    TOPICS(4, 4, 64, false, 64, 40_000, 0, "many topics and many publishers"),
    MANY(4, 100, 100, false, 64, 50_000, 0, "many of everything: each subscriber reads one topic"),
    MAX(2, 2, 2, false, 64, 0, 0, "throughput: as fast as accepted, bounded in flight"),
    FANOUT_MAX(1, 10, 1, false, 64, 0, 0, "fan-out throughput: deliveries/s to 10 subscribers"),
    SWEEP(1, 1, 1, false, 64, 20_000, 0, "x --sweep-factor per step: the knee where p99 passes a bound"),
    SLOW_NEIGHBOUR(1, 4, 1, false, 1024, 10_000, 1, "one never reads: its neighbours must not suffer");

    /** Publishers, subscribers and topics, and whether the subscribers subscribe by pattern. */
    private final Topology topology;
    private final int payloadBytes;
    private final double ratePerSec;
    private final int slowSubscribers;
    /** What the scenario measures, for the help text. */
    private final String purpose;

    /** {@code byPattern}: every subscriber subscribes to {@link Topology#PATTERN}, not to its topics. */
    Scenario(
        final int publishers,
        final int subscribers,
        final int topics,
        final boolean byPattern,
        final int payloadBytes,
        final double ratePerSec,
        final int slowSubscribers,
        final String purpose)
    {
        this.topology = new Topology(publishers, subscribers, topics, byPattern);
        this.payloadBytes = payloadBytes;
        this.ratePerSec = ratePerSec;
        this.slowSubscribers = slowSubscribers;
        this.purpose = purpose;
    }

    public static Scenario parse(final String text)
    {
        try
        {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        catch (final IllegalArgumentException e)
        {
            final StringJoiner names = new StringJoiner(", ");
            for (final Scenario scenario : values())
            {
                names.add(scenario.label());
            }
            throw new IllegalArgumentException("unknown scenario '" + text + "', expected one of " + names, e);
        }
    }

    /** Lower-case, dashed name as typed on the command line. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The default publishers, subscribers and topics, and how they connect (by pattern or not). */
    public Topology topology()
    {
        return topology;
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

    /** One line for the help text: the name, its defaults and what it measures. */
    public String describe()
    {
        final String shape = String.format(Locale.ROOT, "P=%d S=%d T=%d B=%d rate=%s%s", topology.publishers(),
            topology.subscribers(), topology.topics(), payloadBytes, ratePerSec == 0 ? "max" : String.valueOf((long) ratePerSec),
            slowSubscribers > 0 ? " +" + slowSubscribers + " slow" : "");
        return String.format(Locale.ROOT, "%-15s %-38s %s", label(), shape, purpose);
    }
}
