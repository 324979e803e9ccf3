package dev.topics.loadgen.run;

import dev.topics.loadgen.adapter.Target;

import java.util.List;

/**
 * Immutable, any thread: everything one run needs to know.
 *
 * @param scenario        scenario name, as on the command line
 * @param step            label of this run within its scenario (a sweep's rate), or ""
 * @param target          the broker to drive
 * @param publishers      publisher connections
 * @param subscribers     subscriber connections whose latency and counts are measured
 * @param topics          topics the streams are spread over (see {@link Topology})
 * @param byPattern       every subscriber subscribes to {@link Topology#PATTERN}, not to its topics
 * @param payloadBytes    bytes of each message's payload, at least {@link PayloadCodec#HEADER_BYTES}
 * @param ratePerSec      total publish rate of the open-loop schedule; 0 = as fast as accepted
 * @param warmupNs        sending but not measuring, to warm up JITs and caches
 * @param durationNs      measured period
 * @param maxInFlight     max-rate runs only: messages a publisher may have undelivered
 * @param slowSubscribers extra subscribers that never read (slow-neighbour): of topic 0, or of
 *                        the pattern when {@code byPattern}
 * @param spinNs          a publisher spins instead of parking when this close to its next send
 * @param brokerPids      the broker's process ids for CPU and memory figures (summed: several for a
 *                        cluster), or none
 * @param setupTimeoutNs  bound on connecting and on each setup handshake
 * @param drainTimeoutNs  bound on waiting for the last deliveries after the publishers stopped
 */
public record RunSpec(
    String scenario,
    String step,
    Target target,
    int publishers,
    int subscribers,
    int topics,
    boolean byPattern,
    int payloadBytes,
    double ratePerSec,
    long warmupNs,
    long durationNs,
    int maxInFlight,
    int slowSubscribers,
    long spinNs,
    List<Long> brokerPids,
    long setupTimeoutNs,
    long drainTimeoutNs)
{
    public RunSpec
    {
        brokerPids = List.copyOf(brokerPids);
        if (payloadBytes < PayloadCodec.HEADER_BYTES)
        {
            throw new IllegalArgumentException("payload must be at least " + PayloadCodec.HEADER_BYTES + " bytes");
        }
        if (ratePerSec < 0 || durationNs <= 0 || warmupNs < 0)
        {
            throw new IllegalArgumentException("rate, warmup and duration must not be negative");
        }
    }

    public boolean isMaxRate()
    {
        return ratePerSec == 0;
    }

    public Topology topology()
    {
        return new Topology(publishers, subscribers, topics, byPattern);
    }

    public RunSpec withTarget(final Target newTarget, final List<Long> newBrokerPids)
    {
        return new RunSpec(scenario, step, newTarget, publishers, subscribers, topics, byPattern, payloadBytes,
            ratePerSec, warmupNs, durationNs, maxInFlight, slowSubscribers, spinNs, newBrokerPids, setupTimeoutNs,
            drainTimeoutNs);
    }

    /** Name of the run's files: scenario, step and target. */
    public String fileStem()
    {
        return groupName() + "-" + target.label();
    }

    /** Scenario and step: runs with the same group name are compared with one another. */
    public String groupName()
    {
        return step.isEmpty() ? scenario : scenario + "-" + step;
    }

    public String rateLabel()
    {
        return isMaxRate() ? "max" : String.valueOf(Math.round(ratePerSec));
    }
}
