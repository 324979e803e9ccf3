package dev.topics.loadgen.report;

import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.run.Histograms;
import dev.topics.loadgen.run.RunResult;
import dev.topics.loadgen.run.RunSpec;
import org.HdrHistogram.Histogram;

import java.util.List;

/** Test thread only: builds results with known latencies, as if a run had measured them. */
final class Results
{
    private Results()
    {
    }

    static RunResult withLatenciesUs(final String target, final long... latenciesUs)
    {
        return withLatenciesUs("single", target, latenciesUs);
    }

    static RunResult withLatenciesUs(final String scenario, final String target, final long... latenciesUs)
    {
        final Histogram latency = Histograms.newHistogram();
        for (final long us : latenciesUs)
        {
            latency.recordValue(us * 1000);
        }
        final RunSpec spec = new RunSpec(scenario, "", Target.parse(target), 1, 1, 1, false, 64, 1000, 0, 1_000_000_000L,
            100, 0, 0, List.of(), 1_000_000_000L, 1_000_000_000L);
        return new RunResult(spec, latency, Histograms.newHistogram(), latenciesUs.length, latenciesUs.length,
            latenciesUs.length, 0, 0, 0, 0, latenciesUs.length, 10, Double.NaN, Double.NaN, -1, "", List.of());
    }
}
