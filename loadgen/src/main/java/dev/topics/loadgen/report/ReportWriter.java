package dev.topics.loadgen.report;

import dev.topics.loadgen.run.Histograms;
import dev.topics.loadgen.run.RunResult;
import dev.topics.loadgen.run.RunSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Used by the main thread after the runs: writes the files of {@code --out DIR}: per run a
 * {@code .hgrm} percentile distribution (microseconds) and a JSON summary, per scenario step a
 * PNG plot comparing its targets, plus {@code summary.json} and {@code table.txt} for all runs.
 */
public final class ReportWriter
{
    /** HdrHistogram's unit scaling: values are recorded in ns and reported in us. */
    private static final double NS_PER_US = 1000.0;

    private static final long PLOT_TIMEOUT_MS = 30_000;

    private final Path dir;

    public ReportWriter(final Path dir)
    {
        this.dir = dir;
    }

    public void writeAll(final List<RunResult> results, final String table) throws IOException, InterruptedException
    {
        Files.createDirectories(dir);
        final Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        for (final RunResult result : results)
        {
            writeHgrm(result, dir.resolve(result.spec().fileStem() + ".hgrm"));
            Files.writeString(dir.resolve(result.spec().fileStem() + ".json"), JsonSummary.render(result));
            groups.computeIfAbsent(result.spec().groupName(), name -> new ArrayList<>()).add(result);
        }
        for (final Map.Entry<String, List<RunResult>> group : groups.entrySet())
        {
            PercentilePlot.write(group.getKey() + ": publish -> delivery latency", group.getValue(),
                dir.resolve(group.getKey() + ".png"), PLOT_TIMEOUT_MS);
        }
        Files.writeString(dir.resolve("summary.json"), JsonSummary.renderAll(results));
        Files.writeString(dir.resolve("table.txt"), table);
    }

    static void writeHgrm(final RunResult result, final Path file) throws IOException
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8))
        {
            result.latency().outputPercentileDistribution(out, NS_PER_US);
        }
    }

    /** The result of a run that could not even start (connection refused, setup timeout). */
    public static RunResult failedRun(final RunSpec spec, final String why)
    {
        return new RunResult(spec, Histograms.newHistogram(), Histograms.newHistogram(), 0, 0, 0, 0, 0, 0, 0, 0,
            Double.NaN, Double.NaN, Double.NaN, -1, "", List.of(why == null ? "failed" : why));
    }
}
