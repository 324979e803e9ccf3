package dev.topics.loadgen.run;

import dev.topics.loadgen.adapter.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same short runs against every broker, over real sockets: each protocol adapter must
 * subscribe, publish and decode deliveries so that every message arrives exactly once, in order.
 * Asserts counts only, never a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdapterContract
{
    private static final long MS = 1_000_000L;

    /** A broker started for one test class: where to reach it, and how to stop it. */
    record Broker(Target target, AutoCloseable stopper)
    {
    }

    private Broker broker;

    /** Starts the broker under test; called once per class, before its tests. */
    abstract Broker start() throws Exception;

    @BeforeAll
    void startBroker() throws Exception
    {
        broker = start();
    }

    @AfterAll
    void stopBroker() throws Exception
    {
        if (broker != null)
        {
            broker.stopper().close();
        }
    }

    private Target target()
    {
        return broker.target();
    }

    @Test
    void shouldDeliverEveryMessageOfAnOpenLoopRunToItsSubscriberInOrder() throws Exception
    {
        final RunResult result = run(spec("topics", 2, 3, 4, 2_000));

        assertClean(result);
        assertTrue(result.sent() > 0);
        assertEquals(result.sent(), result.expected(), "each of the 4 topics has exactly one subscriber");
        assertEquals(result.expected(), result.delivered());
    }

    @Test
    void shouldFanOutEveryMessageToEverySubscriber() throws Exception
    {
        final RunResult result = run(spec("fanout", 1, 3, 1, 2_000));

        assertClean(result);
        assertEquals(3 * result.sent(), result.expected());
        assertEquals(result.expected(), result.delivered());
        assertTrue(result.latency().getTotalCount() > 0, "latencies of the measured period were recorded");
    }

    @Test
    void shouldAccountForEveryMessageOfAMaxRateRun() throws Exception
    {
        final RunResult result = run(spec("max", 2, 2, 2, 0));

        assertClean(result);
        assertEquals(result.expected(), result.delivered());
    }

    @Test
    void shouldDeliverEveryTopicThePatternMatchesToEveryPatternSubscriber() throws Exception
    {
        final Scenario scenario = Scenario.FANOUT_PATTERN;
        final RunResult result = run(spec(scenario.label(), 1, 3, 2, scenario.topology().byPattern(), 2_000));

        assertClean(result);
        assertTrue(result.sent() > 0);
        assertEquals(3 * result.sent(), result.expected(), "each subscriber's one pattern matches both topics");
        assertEquals(result.expected(), result.delivered());
        assertTrue(result.latency().getTotalCount() > 0, "latencies of the measured period were recorded");
    }

    @Test
    void shouldCountNoProbeWhenPublishersAndSubscribersConnectToDifferentAddresses() throws Exception
    {
        // Three addresses of the one broker (two spellings of it), as a cluster's nodes would be given.
        final InetSocketAddress address = target().address();
        final InetSocketAddress spelledOtherwise = new InetSocketAddress("localhost", address.getPort());
        final Target split = new Target(target().kind(), target().label() + "-split", address,
            List.of(spelledOtherwise, address));
        final RunResult result = run(spec("fanout", 1, 3, 1, 2_000).withTarget(split, List.of()));

        assertClean(result);
        assertEquals(3 * result.sent(), result.expected());
        assertEquals(result.expected(), result.delivered(), "the probes are neither delivered nor unexpected");
    }

    private RunSpec spec(
        final String scenario,
        final int publishers,
        final int subscribers,
        final int topics,
        final double rate)
    {
        return spec(scenario, publishers, subscribers, topics, false, rate);
    }

    private RunSpec spec(
        final String scenario,
        final int publishers,
        final int subscribers,
        final int topics,
        final boolean byPattern,
        final double rate)
    {
        return new RunSpec(scenario, "", target(), publishers, subscribers, topics, byPattern, 64, rate, 100 * MS,
            400 * MS, 500, 0, 20_000, List.of(), 5_000 * MS, 3_000 * MS);
    }

    private static RunResult run(final RunSpec spec) throws Exception
    {
        return new LoadRun(spec, new ProgressPrinter(new PrintStream(OutputStream.nullOutputStream()), false)).execute();
    }

    private static void assertClean(final RunResult result)
    {
        assertEquals(List.of(), result.failures());
        assertEquals(0, result.lost(), "lost");
        assertEquals(0, result.duplicated(), "duplicated");
        assertEquals(0, result.reordered(), "reordered");
        assertEquals(0, result.unexpected(), "unexpected");
        assertTrue(result.passed());
    }
}
