package dev.topics.loadgen.report;

import dev.topics.loadgen.run.RunResult;
import dev.topics.loadgen.run.RunSpec;

import java.util.List;
import java.util.Locale;

/**
 * Stateless, any thread: renders a run's figures as JSON (hand-written: a dozen fields do not
 * need a JSON library in the shaded jar). Latencies are in microseconds.
 */
public final class JsonSummary
{
    private JsonSummary()
    {
    }

    public static String render(final RunResult r)
    {
        final RunSpec s = r.spec();
        final StringBuilder json = new StringBuilder("{\n");
        field(json, "scenario", quote(s.scenario()));
        field(json, "step", quote(s.step()));
        field(json, "target", quote(s.target().label()));
        field(json, "address", quote(s.target().addressText()));
        field(json, "publishers", s.publishers());
        field(json, "subscribers", s.subscribers());
        field(json, "topics", s.topics());
        field(json, "payloadBytes", s.payloadBytes());
        field(json, "rateMsgsPerSec", s.isMaxRate() ? "\"max\"" : number(s.ratePerSec()));
        field(json, "warmupSec", number(s.warmupNs() / 1e9));
        field(json, "durationSec", number(s.durationNs() / 1e9));
        field(json, "slowSubscribers", s.slowSubscribers());
        json.append("  \"latencyUs\": {");
        for (final double percentile : ResultTable.PERCENTILES)
        {
            json.append('"').append(label(percentile)).append("\": ").append(number(r.percentileUs(percentile)))
                .append(", ");
        }
        json.append("\"max\": ").append(number(r.maxUs())).append(", \"count\": ")
            .append(r.latency().getTotalCount()).append("},\n");
        field(json, "sendLagP99Us", number(r.sendLag().getValueAtPercentile(99) / 1000.0));
        field(json, "sent", r.sent());
        field(json, "expected", r.expected());
        field(json, "delivered", r.delivered());
        field(json, "lost", r.lost());
        field(json, "duplicated", r.duplicated());
        field(json, "reordered", r.reordered());
        field(json, "unexpected", r.unexpected());
        field(json, "deliveredPerSec", number(r.deliveredPerSec()));
        field(json, "loadgenCpuPercentOfOneCore", number(r.loadgenCpuPercent()));
        field(json, "brokerCpuPercentOfOneCore", number(r.brokerCpuPercent()));
        field(json, "brokerCpuSecPerMillionDeliveries", number(r.brokerCpuSecPerMillion()));
        field(json, "brokerRssKiB", r.brokerRssKiB());
        field(json, "slowSubscriber", quote(r.slowSubscriber()));
        field(json, "failures", strings(r.failures()));
        json.append("  \"passed\": ").append(r.passed()).append("\n}\n");
        return json.toString();
    }

    /** All runs as one JSON array. */
    public static String renderAll(final List<RunResult> results)
    {
        final StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++)
        {
            json.append(render(results.get(i)).stripTrailing());
            json.append(i + 1 < results.size() ? ",\n" : "\n");
        }
        return json.append("]\n").toString();
    }

    private static void field(final StringBuilder json, final String name, final Object value)
    {
        json.append("  \"").append(name).append("\": ").append(value).append(",\n");
    }

    private static String label(final double percentile)
    {
        final String text = Double.toString(percentile);
        return "p" + (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text);
    }

    private static String number(final double value)
    {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String strings(final List<String> values)
    {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++)
        {
            json.append(i == 0 ? "" : ", ").append(quote(values.get(i)));
        }
        return json.append(']').toString();
    }

    static String quote(final String text)
    {
        final StringBuilder quoted = new StringBuilder("\"");
        for (final char c : text.toCharArray())
        {
            switch (c)
            {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    }
                    else
                    {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
