package dev.topics.loadgen;

import dev.topics.broker.TestBrokers;
import dev.topics.broker.TopicsBroker;
import dev.topics.loadgen.run.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line, end to end, against the in-process topics broker: a short run must lose
 * nothing, count exactly, and leave its files behind. Asserts counts and files, never a time.
 */
class LoadgenEndToEndTest
{
    @Test
    void shouldRunAScenarioWithoutLossAndWriteItsReports(@TempDir final Path out) throws Exception
    {
        try (TopicsBroker broker = TestBrokers.launch())
        {
            final int exitCode = new CommandLine(new LoadgenMain()).execute(
                "--target", "topics=127.0.0.1:" + broker.address().getPort(),
                "--scenario", "fanout", "--subscribers", "3", "--rate", "1000",
                "--warmup", "100ms", "--duration", "300ms", "--out", out.toString());

            assertEquals(0, exitCode);
        }
        final String json = Files.readString(out.resolve("fanout-topics.json"));
        final long sent = field(json, "sent");
        assertTrue(sent > 0);
        assertEquals(3 * sent, field(json, "expected"));
        assertEquals(3 * sent, field(json, "delivered"));
        assertEquals(0, field(json, "lost"));
        assertEquals(0, field(json, "duplicated"));
        assertEquals(0, field(json, "reordered"));
        assertTrue(json.contains("\"passed\": true"), json);
        for (final String file : List.of("fanout-topics.hgrm", "fanout.png", "summary.json", "table.txt"))
        {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        assertTrue(Files.readString(out.resolve("fanout-topics.hgrm")).contains("#[Max"), "an HdrHistogram distribution");
    }

    @Test
    void shouldInterleaveTargetsWithinEachScenarioStep()
    {
        final LoadgenMain main = new LoadgenMain();
        new CommandLine(main).parseArgs("-t", "redis=127.0.0.1:7001", "-t", "nats", "-s", "single,sweep",
            "--sweep-steps", "2", "--rate", "1000");

        final List<String> plan = main.plan().stream()
            .map(spec -> spec.groupName() + " " + spec.target().label() + " " + spec.rateLabel()).toList();

        assertEquals(List.of("single redis 1000", "single nats 1000", "sweep-r1000 redis 1000", "sweep-r1000 nats 1000",
            "sweep-r2000 redis 2000", "sweep-r2000 nats 2000"), plan);
    }

    @Test
    void shouldGiveEveryLabelledTargetItsOwnBrokerPidAndFiles()
    {
        final LoadgenMain main = new LoadgenMain();
        new CommandLine(main).parseArgs("-t", "topics-io=127.0.0.1:7001", "-t", "topics-dedicated=:7002", "-t", "redis",
            "--broker-pid", "topics-io=11", "--broker-pid", "redis=33", "-s", "single");

        final List<String> plan = main.plan().stream()
            .map(spec -> spec.target() + " pid " + spec.brokerPids() + " " + spec.fileStem()).toList();

        assertEquals(List.of("topics-io=127.0.0.1:7001 pid [11] single-topics-io",
            "topics-dedicated=127.0.0.1:7002 pid [] single-topics-dedicated",
            "redis=127.0.0.1:6379 pid [33] single-redis"), plan);
    }

    @Test
    void shouldTakeABrokerPidForTheTopicsRespTarget()
    {
        final LoadgenMain main = new LoadgenMain();
        new CommandLine(main).parseArgs("-t", "topics=:18889", "-t", "topics-resp=127.0.0.1:16380", "-t", "redis",
            "--broker-pid", "topics=11", "--broker-pid", "topics-resp=11", "-s", "single");

        final List<String> plan = main.plan().stream()
            .map(spec -> spec.target() + " pid " + spec.brokerPids() + " " + spec.fileStem()).toList();

        // One broker process serves both ports, so both labels carry its PID.
        assertEquals(List.of("topics=127.0.0.1:18889 pid [11] single-topics",
            "topics-resp=127.0.0.1:16380 pid [11] single-topics-resp",
            "redis=127.0.0.1:6379 pid [] single-redis"), plan);
    }

    @Test
    void shouldTakeEveryNodePidOfAClusterTargetDrivenAcrossNodes()
    {
        final LoadgenMain main = new LoadgenMain();
        new CommandLine(main).parseArgs("-t", "nats-cluster=:14231/:14232+:14233", "-t", "nats=:14230",
            "--broker-pid", "nats-cluster=21+22+23", "--broker-pid", "nats=20", "-s", "single");

        final List<String> plan = main.plan().stream()
            .map(spec -> spec.target() + " pid " + spec.brokerPids() + " " + spec.fileStem()).toList();

        assertEquals(List.of("nats-cluster=127.0.0.1:14231/127.0.0.1:14232+127.0.0.1:14233 pid [21, 22, 23] "
            + "single-nats-cluster", "nats=127.0.0.1:14230 pid [20] single-nats"), plan);
    }

    @Test
    void shouldRejectABrokerPidThatIsNoNumber()
    {
        final LoadgenMain main = new LoadgenMain();
        new CommandLine(main).parseArgs("-t", "nats-cluster=:1/:2", "--broker-pid", "nats-cluster=21+x");

        assertThrows(CommandLine.ParameterException.class, main::plan);
    }

    @Test
    void shouldKeepAPatternScenarioOnItsPatternWhenItsFiguresAreOverridden()
    {
        final LoadgenMain main = new LoadgenMain();
        new CommandLine(main).parseArgs("-t", "redis", "-s", "fanout,fanout-pattern", "--topics", "3");

        final List<String> plan = main.plan().stream()
            .map(spec -> spec.groupName() + " T=" + spec.topics() + " byPattern=" + spec.byPattern()).toList();

        assertEquals(List.of("fanout T=3 byPattern=false", "fanout-pattern T=3 byPattern=true"), plan);
    }

    @Test
    void shouldRefuseTwoTargetsWithOneLabelOrAPidForNoTarget()
    {
        assertEquals(2, quietly("-t", "topics=:7001", "-t", "topics=:7002"));
        assertEquals(2, quietly("-t", "topics-io=:7001", "--broker-pid", "topics=11"));
        assertEquals(2, quietly("-t", "topics-=:7001"));
        assertEquals(2, quietly("-s", "no-such-scenario"));
    }

    @Test
    void shouldListEveryScenarioInTheHelp()
    {
        final String help = LoadgenMain.commandLine().getUsageMessage();

        for (final Scenario scenario : Scenario.values())
        {
            assertTrue(help.contains("  " + scenario.describe()), help);
        }
    }

    /** Runs the command line with its output discarded; returns the exit code. */
    private static int quietly(final String... args)
    {
        final CommandLine commandLine = LoadgenMain.commandLine();
        commandLine.setErr(new PrintWriter(new StringWriter()));
        commandLine.setOut(new PrintWriter(new StringWriter()));
        return commandLine.execute(args);
    }

    private static long field(final String json, final String name)
    {
        final Matcher matcher = Pattern.compile("\"" + name + "\": (-?\\d+)").matcher(json);
        assertTrue(matcher.find(), name + " in " + json);
        return Long.parseLong(matcher.group(1));
    }
}
