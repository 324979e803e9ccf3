package dev.topics.loadgen.report;

import dev.topics.loadgen.adapter.TargetKind;
import dev.topics.loadgen.run.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Stateless after construction, used by the main thread after the runs: renders results as a
 * fixed-width text table. When a scenario step ran against topics and at least one peer, each
 * topics target (several when variants of the broker are compared, {@code topics-io},
 * {@code topics-dedicated}, ...) gets a row {@code <label>/best} with its figure ÷ the best peer's
 * (for latencies and CPU the lowest peer is best, for throughput the highest), so every variant
 * is measured against the same yardstick. A topics target whose client protocol a peer speaks too
 * ({@code topics-resp}: Redis') is measured against those peers only, in a row
 * {@code topics-resp/redis}: with the same client on both sides the ratio is about the servers,
 * not about how cheap one protocol is to parse next to another. A target driven across a
 * cluster's nodes (publishers on one node, subscribers on others: {@link
 * dev.topics.loadgen.adapter.Target#isSplit}) is measured against the peers driven across nodes
 * too, if any, and a one-node target against one-node peers, so that a cluster row is never divided
 * by a single server's figure next to it. A sweep also gets its knee.
 */
public final class ResultTable
{
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    /** Every row's columns; the target column's width ({@code %%-Ns}) is filled in per table. */
    private static final String ROW_FORMAT =
        "%%-22s %%-%ds %%8s %%9s %%9s %%9s %%9s %%9s %%9s %%11s %%7s %%5s %%5s %%7s %%8s %%8s %%7s  %%s%%n";
    private static final int MIN_TARGET_WIDTH = 12;
    /** The yardstick of a ratio row against every peer. */
    private static final String BEST = "best";

    private final double kneeP99Us;

    public ResultTable(final double kneeP99Us)
    {
        this.kneeP99Us = kneeP99Us;
    }

    public String render(final List<RunResult> results)
    {
        final StringBuilder out = new StringBuilder();
        final Map<String, List<RunResult>> groups = groups(results);
        final Map<String, List<Ratio>> ratios = new LinkedHashMap<>();
        groups.forEach((name, group) -> ratios.put(name, ratios(group)));
        final String format = String.format(Locale.ROOT, ROW_FORMAT, targetWidth(results, ratios));
        out.append(String.format(Locale.ROOT, format, "scenario", "target", "rate", "p50us", "p90us", "p99us",
            "p99.9us", "p99.99us", "maxus", "msgs/s", "lost", "dup", "reord", "lg-cpu%", "brk-cpu%",
            "cpu-s/M", "rssMiB", "result"));
        groups.forEach((name, group) ->
        {
            for (final RunResult result : group)
            {
                out.append(row(format, result));
            }
            for (final Ratio ratio : ratios.get(name))
            {
                out.append(ratioRow(format, ratio));
            }
        });
        knees(results, out);
        return out.toString();
    }

    private static Map<String, List<RunResult>> groups(final List<RunResult> results)
    {
        final Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        for (final RunResult result : results)
        {
            groups.computeIfAbsent(result.spec().groupName(), name -> new ArrayList<>()).add(result);
        }
        return groups;
    }

    private static int targetWidth(final List<RunResult> results, final Map<String, List<Ratio>> ratios)
    {
        int width = MIN_TARGET_WIDTH;
        for (final RunResult result : results)
        {
            width = Math.max(width, result.spec().target().label().length());
        }
        for (final List<Ratio> group : ratios.values())
        {
            for (final Ratio ratio : group)
            {
                width = Math.max(width, ratio.label().length());
            }
        }
        return width;
    }

    private static String row(final String format, final RunResult r)
    {
        String verdict = r.passed() ? "ok" : "FAILED" + (r.failures().isEmpty() ? "" : ": " + r.failures().get(0));
        if (!r.slowSubscriber().isEmpty())
        {
            verdict += " (slow: " + r.slowSubscriber() + ")";
        }
        return String.format(Locale.ROOT, format, r.spec().groupName(), r.spec().target().label(),
            r.spec().rateLabel(), us(r.percentileUs(50)), us(r.percentileUs(90)), us(r.percentileUs(99)),
            us(r.percentileUs(99.9)), us(r.percentileUs(99.99)), us(r.maxUs()), count(r.deliveredPerSec()),
            r.lost(), r.duplicated(), r.reordered(), fixed(r.loadgenCpuPercent(), 0), fixed(r.brokerCpuPercent(), 0),
            fixed(r.brokerCpuSecPerMillion(), 2), r.brokerRssKiB() < 0 ? "-" : String.valueOf(r.brokerRssKiB() / 1024),
            verdict);
    }

    /** One ratio row: a topics run, the peers it is divided by, and what the row calls them. */
    private record Ratio(RunResult topics, List<RunResult> peers, String yardstick)
    {
        String label()
        {
            return topics.spec().target().label() + "/" + yardstick;
        }
    }

    /**
     * A ratio per topics target of one scenario step, if it has a peer too: against the peers with
     * the same client protocol if there are any (topics-resp against redis), else the best of all.
     */
    private static List<Ratio> ratios(final List<RunResult> group)
    {
        final List<RunResult> topicsRuns = new ArrayList<>();
        final List<RunResult> peers = new ArrayList<>();
        for (final RunResult result : group)
        {
            (result.spec().target().kind().isTopicsBroker() ? topicsRuns : peers).add(result);
        }
        final List<Ratio> ratios = new ArrayList<>();
        if (peers.isEmpty())
        {
            return ratios;
        }
        for (final RunResult topics : topicsRuns)
        {
            final TargetKind kind = topics.spec().target().kind();
            final List<RunResult> sameShape = sameShape(topics, peers);
            final List<RunResult> sameClient = new ArrayList<>();
            for (final RunResult peer : sameShape)
            {
                if (kind.sameClientProtocol(peer.spec().target().kind()))
                {
                    sameClient.add(peer);
                }
            }
            ratios.add(sameClient.isEmpty()
                ? new Ratio(topics, sameShape, BEST)
                : new Ratio(topics, sameClient, sameClient.get(0).spec().target().kind().label()));
        }
        return ratios;
    }

    /** The peers driven across nodes as {@code topics} is (or on one node as it is); all peers if none is. */
    private static List<RunResult> sameShape(final RunResult topics, final List<RunResult> peers)
    {
        final boolean split = topics.spec().target().isSplit();
        final List<RunResult> sameShape = new ArrayList<>();
        for (final RunResult peer : peers)
        {
            if (peer.spec().target().isSplit() == split)
            {
                sameShape.add(peer);
            }
        }
        return sameShape.isEmpty() ? peers : sameShape;
    }

    private static String ratioRow(final String format, final Ratio ratio)
    {
        final RunResult topics = ratio.topics();
        final List<RunResult> peers = ratio.peers();
        final String[] latencyRatios = new String[PERCENTILES.length + 1];
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            final double percentile = PERCENTILES[i];
            latencyRatios[i] = ratio(topics, peers, r -> r.percentileUs(percentile), false);
        }
        latencyRatios[PERCENTILES.length] = ratio(topics, peers, RunResult::maxUs, false);
        final String label = topics.spec().target().label();
        final String across = topics.spec().target().isSplit()
            && ratio.peers().stream().allMatch(peer -> peer.spec().target().isSplit()) ? " across nodes" : "";
        final String against = ratio.yardstick().equals(BEST)
            ? "best peer" + across
            : ratio.yardstick() + ", same client protocol" + across;
        return String.format(Locale.ROOT, format, topics.spec().groupName(), ratio.label(), "",
            latencyRatios[0], latencyRatios[1], latencyRatios[2], latencyRatios[3], latencyRatios[4],
            latencyRatios[5], ratio(topics, peers, RunResult::deliveredPerSec, true), "", "", "", "",
            ratio(topics, peers, RunResult::brokerCpuPercent, false),
            ratio(topics, peers, RunResult::brokerCpuSecPerMillion, false),
            ratio(topics, peers, r -> r.brokerRssKiB() < 0 ? Double.NaN : r.brokerRssKiB(), false),
            label + " / " + against + " (<1 is better for latency and cost, >1 for msgs/s)");
    }

    /** topics ÷ the best peer's figure, or "-" when a figure is missing or the peer failed. */
    static String ratio(
        final RunResult topics,
        final List<RunResult> peers,
        final ToDoubleFunction<RunResult> figure,
        final boolean higherIsBetter)
    {
        double best = Double.NaN;
        for (final RunResult peer : peers)
        {
            final double value = figure.applyAsDouble(peer);
            if (!peer.passed() || Double.isNaN(value) || value <= 0)
            {
                continue;
            }
            if (Double.isNaN(best) || (higherIsBetter ? value > best : value < best))
            {
                best = value;
            }
        }
        final double own = figure.applyAsDouble(topics);
        if (Double.isNaN(best) || Double.isNaN(own))
        {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", own / best);
    }

    /** For each sweep and target: the highest lossless rate whose p99 stayed under the bound. */
    private void knees(final List<RunResult> results, final StringBuilder out)
    {
        final Map<String, RunResult> knees = new LinkedHashMap<>();
        final Map<String, Boolean> passedBound = new LinkedHashMap<>();
        for (final RunResult result : results)
        {
            if (!result.spec().scenario().equals("sweep"))
            {
                continue;
            }
            final String target = result.spec().target().label();
            final boolean underBound = result.passed() && result.percentileUs(99) <= kneeP99Us;
            passedBound.putIfAbsent(target, false);
            if (underBound && !passedBound.get(target))
            {
                knees.put(target, result);
            }
            else if (!underBound)
            {
                passedBound.put(target, true);
            }
        }
        for (final String target : passedBound.keySet())
        {
            final RunResult knee = knees.get(target);
            out.append(String.format(Locale.ROOT, "sweep knee %-7s p99 <= %.0f us up to %s msgs/s%n", target,
                kneeP99Us, knee == null ? "none of the rates" : knee.spec().rateLabel()));
        }
    }

    static String us(final double value)
    {
        return value >= 10_000 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String count(final double value)
    {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    private static String fixed(final double value, final int decimals)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
