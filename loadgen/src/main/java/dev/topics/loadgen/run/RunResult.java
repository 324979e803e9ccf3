package dev.topics.loadgen.run;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * Immutable once built by the run's coordinating thread: the figures of one run.
 *
 * @param spec                   what was run
 * @param latency                delivery time minus intended send time, ns, measured period only
 * @param sendLag                actual minus intended send time at the publishers, ns: how far the
 *                               loadgen itself fell behind its schedule (empty for max-rate runs)
 * @param sent                   messages published during the whole run
 * @param expected               deliveries that should have happened (sent x subscribers of each)
 * @param delivered              unique deliveries received
 * @param lost                   expected minus delivered
 * @param duplicated             deliveries of a message already received
 * @param reordered              deliveries that arrived after a later message of their stream
 * @param unexpected             deliveries with a foreign header or on an unsubscribed topic
 * @param deliveredPerSec        deliveries received per second during the measured period
 * @param loadgenCpuPercent      this JVM's CPU during the measured period, % of one core
 * @param brokerCpuPercent       the broker's CPU during the measured period, % of one core, or NaN
 * @param brokerCpuSecPerMillion broker CPU seconds per million deliveries, or NaN
 * @param brokerRssKiB           broker resident memory at the end of the measured period, or -1
 * @param slowSubscriber         slow-neighbour runs: what became of the slow subscriber, else ""
 * @param failures               connection errors and broker errors seen, empty on a clean run
 */
public record RunResult(
    RunSpec spec,
    Histogram latency,
    Histogram sendLag,
    long sent,
    long expected,
    long delivered,
    long lost,
    long duplicated,
    long reordered,
    long unexpected,
    double deliveredPerSec,
    double loadgenCpuPercent,
    double brokerCpuPercent,
    double brokerCpuSecPerMillion,
    long brokerRssKiB,
    String slowSubscriber,
    List<String> failures)
{
    /** A run that lost, duplicated or reordered anything, or saw an error, failed, however fast. */
    public boolean passed()
    {
        return lost == 0 && duplicated == 0 && reordered == 0 && unexpected == 0 && failures.isEmpty();
    }

    /** A latency percentile in microseconds. */
    public double percentileUs(final double percentile)
    {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxUs()
    {
        return latency.getMaxValue() / 1000.0;
    }
}
