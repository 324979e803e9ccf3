package dev.topics.loadgen.report;

import dev.topics.loadgen.run.RunResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Used by the main thread after the runs: draws latency by percentile for every target of one
 * scenario step into a PNG, as HdrHistogram's plotter does: the x axis is {@code 1/(1-p)} on a
 * log scale, so 90%, 99%, 99.9% ... are evenly spaced and the tail gets the room it deserves.
 *
 * <p>Both axes are drawn as linear axes over {@code log10} of the values: XChart's own
 * logarithmic axes compute their ticks with BigDecimal arithmetic that takes minutes on these
 * ranges. The y labels are mapped back to microseconds; the x axis is labelled in "nines"
 * (2 = 99%) because XChart's tick search never ends with a label function on that axis for some
 * data. The drawing is still bounded in time by {@link #write}'s caller-facing timeout.
 */
public final class PercentilePlot
{
    /** x positions are capped here (99.9999%): the last value of a histogram is at 100%. */
    private static final double MAX_X = 1e6;
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private PercentilePlot()
    {
    }

    /**
     * Draws on a helper thread and gives up after {@code timeoutMs}, so a charting pathology can
     * never hang the loadgen after its runs.
     *
     * @return false if the plot was abandoned or failed
     */
    public static boolean write(
        final String title,
        final List<RunResult> runs,
        final Path png,
        final long timeoutMs) throws InterruptedException
    {
        final boolean[] done = new boolean[1];
        final Thread painter = new Thread(() ->
        {
            try
            {
                write(title, runs, png);
                done[0] = true;
            }
            catch (final IOException | RuntimeException e)
            {
                System.err.println("plot " + png + " failed: " + e);
            }
        }, "lg-plot");
        painter.setDaemon(true);
        painter.start();
        painter.join(timeoutMs);
        if (painter.isAlive())
        {
            System.err.println("plot " + png + " abandoned after " + timeoutMs + " ms");
            return false;
        }
        return done[0];
    }

    static void write(final String title, final List<RunResult> runs, final Path png) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(1000).height(600).title(title)
            .xAxisTitle("percentile in nines: 1 = 90%, 2 = 99%, 3 = 99.9%, 4 = 99.99%, 5 = 99.999%")
            .yAxisTitle("latency (us, from intended send time)").build();
        chart.getStyler().setXAxisDecimalPattern("0.#");
        chart.getStyler().setyAxisTickLabelsFormattingFunction(PercentilePlot::microsecondsLabel);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        boolean any = false;
        for (final RunResult run : runs)
        {
            final Histogram histogram = run.latency();
            if (histogram.getTotalCount() == 0)
            {
                continue;
            }
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            for (final HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE))
            {
                final double percentile = value.getPercentileLevelIteratedTo();
                if (!(percentile < 100.0))
                {
                    // 100% (or a rounding hair above) has no finite 1/(1-p); the max goes below.
                    break;
                }
                xs.add(Math.log10(Math.min(MAX_X, 1.0 / (1.0 - percentile / 100.0))));
                ys.add(logUs(histogram.highestEquivalentValue(value.getValueIteratedTo())));
            }
            // The largest sample sits at percentile 1 - 1/count.
            xs.add(Math.log10(Math.min(MAX_X, Math.max(1, histogram.getTotalCount()))));
            ys.add(logUs(histogram.getMaxValue()));
            chart.addSeries(run.spec().target().label(), xs, ys).setMarker(SeriesMarkers.NONE);
            any = true;
        }
        if (any)
        {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static double logUs(final long valueNs)
    {
        return Math.log10(Math.max(0.1, valueNs / 1000.0));
    }

    /** Axis label of y = log10(us). */
    static String microsecondsLabel(final double logUs)
    {
        final double us = Math.pow(10, logUs);
        return us >= 1000 ? String.format(Locale.ROOT, "%,.0f", us) : String.format(Locale.ROOT, "%.3g", us);
    }
}
