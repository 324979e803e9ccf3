package dev.topics.loadgen.report;

import dev.topics.loadgen.run.Histograms;
import dev.topics.loadgen.run.RunResult;
import dev.topics.loadgen.run.RunSpec;
import dev.topics.loadgen.adapter.Target;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Test thread only: builds results with known latencies, as if a run had measured them. */
final class Results {
    private Results() {
    }

    static RunResult withLatenciesUs(String target, long... latenciesUs) {
        return withLatenciesUs("single", target, latenciesUs);
    }

    static RunResult withLatenciesUs(String scenario, String target, long... latenciesUs) {
        Histogram latency = Histograms.newHistogram();
        for (long us : latenciesUs) {
            latency.recordValue(us * 1000);
        }
        RunSpec spec = new RunSpec(scenario, "", Target.parse(target), 1, 1, 1, 64, 1000, 0, 1_000_000_000L, 100, 0,
                0, -1, 1_000_000_000L, 1_000_000_000L);
        return new RunResult(spec, latency, Histograms.newHistogram(), latenciesUs.length, latenciesUs.length,
                latenciesUs.length, 0, 0, 0, 0, latenciesUs.length, 10, Double.NaN, Double.NaN, -1, "", List.of());
    }
}
