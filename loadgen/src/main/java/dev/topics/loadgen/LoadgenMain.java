package dev.topics.loadgen;

import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.report.ReportWriter;
import dev.topics.loadgen.report.ResultTable;
import dev.topics.loadgen.run.LoadRun;
import dev.topics.loadgen.run.ProgressPrinter;
import dev.topics.loadgen.run.RunResult;
import dev.topics.loadgen.run.RunSpec;
import dev.topics.loadgen.run.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Runs on the main thread: parses the command line, plans the runs (every scenario step against
 * every target, targets interleaved so drift hits them alike), runs them one after another and
 * reports. Exit code 0 when every run passed, 1 when one lost, duplicated or reordered anything
 * or failed, 2 on bad usage.
 */
@Command(name = "topics-loadgen", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
    version = "topics-loadgen 0.1.0", usageHelpWidth = 120,
    description = {
        "Open-loop, coordinated-omission-correct load generator for topics (text or RESP port), Redis Pub/Sub "
            + "and NATS.",
        "Latency = delivery time - intended send time of the schedule, in microseconds."})
public final class LoadgenMain implements Callable<Integer>
{
    @Option(names = {"-t", "--target"}, paramLabel = "KIND[-NAME][=HOST:PORT[/HOST:PORT+...]]", defaultValue = "topics",
        description = {"Broker to drive: topics (127.0.0.1:8889), redis (:6379) or nats (:4222). Repeat to compare.",
            "topics-resp (:6380) is the topics broker's RESP port (--resp-port), driven with the Redis adapter "
                + "(SUBSCRIBE/PSUBSCRIBE/PUBLISH); its ratio row is topics-resp/redis, same client against both.",
            "KIND-NAME labels one of several brokers of a kind (-t topics-io=:18890 -t topics-dedicated=:18891, "
                + "-t topics-resp-io=:16380): each label gets its own rows, files and --broker-pid; each topics label "
                + "its own <label>/best row.",
            "KIND[-NAME]=PUBHOST:PORT/SUBHOST:PORT+SUBHOST:PORT... drives a cluster across its nodes: every publisher "
                + "connects to the address before '/', the subscribers round-robin to those after it (subscriber s to "
                + "the (s mod n)-th); each run first publishes probes until every subscriber received one, bounded by "
                + "--setup-timeout, as subscriptions may reach the publishers' node late."})
    List<String> targets = new ArrayList<>();

    @Option(names = {"-s", "--scenario"}, split = ",", paramLabel = "NAME", defaultValue = "single",
        description = "Scenarios (listed below) or all; comma-separated.")
    List<String> scenarios = new ArrayList<>();

    @Option(names = {"-p", "--publishers"}, paramLabel = "P", description = "Publisher connections P. Default: per scenario.")
    Integer publishers;

    @Option(names = {"-S", "--subscribers"}, paramLabel = "S", description = "Subscriber connections S. Default: per scenario.")
    Integer subscribers;

    @Option(names = {"-T", "--topics"}, paramLabel = "T", description = "Topics T. Default: per scenario.")
    Integer topics;

    @Option(names = {"-b", "--payload-bytes"}, paramLabel = "B", description = "Payload bytes B (min 32). Default: per scenario.")
    Integer payloadBytes;

    @Option(names = {"-r", "--rate"}, paramLabel = "MSGS_PER_SEC|max",
        description = "Total publish rate of the open-loop schedule, or max. Default: per scenario.")
    String rate;

    @Option(names = {"-w", "--warmup"}, paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
        description = "Warm-up before measuring (ms, s or m).")
    long warmupNs;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
        description = "Measured period per run (ms, s or m).")
    long durationNs;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
        description = "Write per run .hgrm and JSON, plus a PNG percentile plot per scenario step.")
    Path outDir;

    @Option(names = "--max-in-flight", paramLabel = "MESSAGES", defaultValue = "20000",
        description = "Rate max only: undelivered messages a publisher may have outstanding.")
    int maxInFlight;

    @Option(names = "--sweep-steps", paramLabel = "N", defaultValue = "6", description = "Sweep: number of rate steps.")
    int sweepSteps;

    @Option(names = "--sweep-factor", paramLabel = "X", defaultValue = "2", description = "Sweep: rate multiplier per step.")
    double sweepFactor;

    @Option(names = "--knee-p99-us", paramLabel = "US", defaultValue = "1000",
        description = "Sweep: the knee is the highest rate whose p99 stays under this, lossless.")
    double kneeP99Us;

    @Option(names = "--slow-subscribers", paramLabel = "N", description = "Subscribers that never read. Default: per scenario.")
    Integer slowSubscribers;

    @Option(names = "--spin-us", paramLabel = "US", defaultValue = "50",
        description = "A publisher spins (not parks) this close to a send; capped at a quarter interval.")
    long spinUs;

    @Option(names = "--broker-pid", paramLabel = "LABEL=PID[+PID...]",
        description = "Process id of the broker of the target with this label (topics, topics-io, redis ...), "
            + "for broker CPU and memory figures; a cluster's node PIDs joined by '+', whose figures are summed.")
    Map<String, String> brokerPids = new LinkedHashMap<>();

    @Option(names = "--setup-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
        description = "Bound on connecting, confirming subscriptions and probing until every subscriber receives.")
    long setupTimeoutNs;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
        description = "After the end, give up waiting when nothing arrived for this long.")
    long drainTimeoutNs;

    public static void main(final String[] args)
    {
        // Plots are drawn off-screen; a missing display must not matter.
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The command line, its help footer listing every scenario as {@link Scenario#describe} says it. */
    static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new LoadgenMain());
        final List<String> footer = new ArrayList<>(List.of("", "Scenario defaults (options override them):"));
        for (final Scenario scenario : Scenario.values())
        {
            footer.add("  " + scenario.describe());
        }
        footer.add("");
        footer.add("Example: topics-loadgen -t topics=127.0.0.1:8889 -t redis=127.0.0.1:6379 -s single,fanout --out results");
        footer.add("         topics-loadgen -t topics-resp=127.0.0.1:16380 -t redis=127.0.0.1:16379 --broker-pid topics-resp=PID");
        footer.add("         topics-loadgen -t nats-cluster=127.0.0.1:14222/127.0.0.1:14223+127.0.0.1:14224 -s single,max");
        commandLine.getCommandSpec().usageMessage().footer(footer.toArray(new String[0]));
        return commandLine;
    }

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final List<RunSpec> plan = plan();
        final List<RunResult> results = new ArrayList<>();
        final ProgressPrinter progress = ProgressPrinter.forConsole();
        for (final RunSpec spec : plan)
        {
            results.add(runOne(spec, progress));
        }
        final String table = new ResultTable(kneeP99Us).render(results);
        System.out.println(table);
        if (outDir != null)
        {
            new ReportWriter(outDir).writeAll(results, table);
            System.out.println("wrote " + outDir.toAbsolutePath());
        }
        return results.stream().allMatch(RunResult::passed) ? 0 : 1;
    }

    private static RunResult runOne(final RunSpec spec, final ProgressPrinter progress) throws InterruptedException
    {
        try
        {
            return new LoadRun(spec, progress).execute();
        }
        catch (final IOException e)
        {
            System.err.println(spec.groupName() + " " + spec.target() + " failed: " + e.getMessage());
            return ReportWriter.failedRun(spec, e.getMessage());
        }
    }

    /** Every step of every scenario, and within a step every target, in run order. */
    List<RunSpec> plan()
    {
        try
        {
            return plan(parseTargets());
        }
        catch (final IllegalArgumentException e)
        {
            throw usage(e.getMessage());
        }
    }

    /** The targets in order; their labels must be unique and every --broker-pid must name one. */
    private List<Target> parseTargets()
    {
        final Map<String, Target> byLabel = new LinkedHashMap<>();
        for (final String text : targets)
        {
            final Target target = Target.parse(text);
            if (byLabel.putIfAbsent(target.label(), target) != null)
            {
                throw usage("two targets are labelled " + target.label() + ": tell them apart as KIND-NAME");
            }
        }
        for (final String label : brokerPids.keySet())
        {
            if (!byLabel.containsKey(label))
            {
                throw usage("--broker-pid " + label + " names no target; the targets are " + byLabel.keySet());
            }
            brokerPidsOf(label);
        }
        return List.copyOf(byLabel.values());
    }

    private List<RunSpec> plan(final List<Target> parsedTargets)
    {
        final List<Scenario> parsedScenarios = new ArrayList<>();
        for (final String name : scenarios)
        {
            if (name.trim().equalsIgnoreCase("all"))
            {
                parsedScenarios.addAll(List.of(Scenario.values()));
            }
            else
            {
                parsedScenarios.add(Scenario.parse(name));
            }
        }
        final List<RunSpec> plan = new ArrayList<>();
        for (final Scenario scenario : parsedScenarios)
        {
            for (final RunSpec step : steps(scenario))
            {
                for (final Target target : parsedTargets)
                {
                    plan.add(step.withTarget(target, brokerPidsOf(target.label())));
                }
            }
        }
        return plan;
    }

    /** The PIDs given for {@code label}: {@code PID} or {@code PID+PID...}; none if not given. */
    private List<Long> brokerPidsOf(final String label)
    {
        final String text = brokerPids.get(label);
        if (text == null)
        {
            return List.of();
        }
        final List<Long> pids = new ArrayList<>();
        for (final String pid : text.split("\\+", -1))
        {
            try
            {
                pids.add(Long.parseLong(pid.trim()));
            }
            catch (final NumberFormatException e)
            {
                throw usage("--broker-pid " + label + "=" + text + ": expected PID or PID+PID+...");
            }
        }
        return pids;
    }

    private List<RunSpec> steps(final Scenario scenario)
    {
        final double baseRate = rate == null ? scenario.ratePerSec()
            : rate.equalsIgnoreCase("max") ? 0 : Double.parseDouble(rate);
        if (scenario != Scenario.SWEEP)
        {
            return List.of(spec(scenario, "", baseRate));
        }
        if (baseRate == 0)
        {
            throw usage("a sweep needs a numeric --rate to start from");
        }
        final List<RunSpec> steps = new ArrayList<>();
        double stepRate = baseRate;
        for (int i = 0; i < sweepSteps; i++)
        {
            steps.add(spec(scenario, "r" + Math.round(stepRate), stepRate));
            stepRate *= sweepFactor;
        }
        return steps;
    }

    private CommandLine.ParameterException usage(final String message)
    {
        return new CommandLine.ParameterException(new CommandLine(this), message);
    }

    private RunSpec spec(final Scenario scenario, final String step, final double ratePerSec)
    {
        return new RunSpec(scenario.label(), step, Target.parse("topics"),
            publishers != null ? publishers : scenario.topology().publishers(),
            subscribers != null ? subscribers : scenario.topology().subscribers(),
            topics != null ? topics : scenario.topology().topics(),
            scenario.topology().byPattern(),
            payloadBytes != null ? payloadBytes : scenario.payloadBytes(),
            ratePerSec, warmupNs, durationNs, maxInFlight,
            slowSubscribers != null ? slowSubscribers : scenario.slowSubscribers(),
            TimeUnit.MICROSECONDS.toNanos(spinUs), List.of(), setupTimeoutNs, drainTimeoutNs);
    }
}
