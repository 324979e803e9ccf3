package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A node stopped and started again under continuous publishing, three nodes in this JVM: the
 * survivors notice, the stopped node's topics move to them and keep being delivered, and move
 * back when it returns; across the whole run no subscriber sees a message twice or out of its
 * publisher's order, and subscribers on different nodes never disagree on a topic's order.
 * Losses are allowed only while topics move.
 */
@ExtendWith(NettyLeakGuard.class)
class ClusterFailoverTest
{
    private static final int[] ALL = {1, 2, 3};
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(20);
    /** Both restart tests find it, the one under traffic about one run in three, the quiet one more rarely. */
    /** Node 3 stopped for good: its topics move to the survivors and keep being delivered. */
    @Test
    void survivorsKeepDeliveringTheStoppedNodesTopics() throws Exception
    {
        stopAndMaybeRestart(false);
    }

    /** Node 3 stopped and started again under traffic: its topics move back, delivered to both survivors. */
    @Test
    void survivorsKeepDeliveringTheStoppedNodesTopicsAndTheyMoveBackWhenItReturns() throws Exception
    {
        stopAndMaybeRestart(true);
    }

    private static void stopAndMaybeRestart(final boolean restart) throws Exception
    {
        // Topics homed on node 3 (next home 1, and next home 2), and one homed on each survivor.
        final List<String> moving = List.of(
            ClusterNodes.topicOn("fail.m", "", 3, 1, ALL), ClusterNodes.topicOn("fail.m", "", 3, 2, ALL));
        final List<String> staying = List.of(
            ClusterNodes.topicOn("fail.s", "", 1, 0, ALL), ClusterNodes.topicOn("fail.s", "", 2, 0, ALL));
        final List<String> topics = new ArrayList<>(moving);
        topics.addAll(staying);
        try (ClusterNodes nodes = new ClusterNodes(3);
             LineClient sub1 = nodes.client(1); LineClient sub2 = nodes.client(2);
             LineClient pubA = nodes.client(1); LineClient pubB = nodes.client(2))
        {
            for (final String topic : topics)
            {
                for (final LineClient sub : List.of(sub1, sub2))
                {
                    ClusterNodes.subscribe(sub, topic);
                }
                ClusterEndToEndTest.awaitInterest(pubA, topic, sub1, sub2);
            }
            final Collector c1 = new Collector("node 1", sub1);
            final Collector c2 = new Collector("node 2", sub2);
            final List<Collector> collectors = List.of(c1, c2);
            final Publisher a = new Publisher('A', pubA, topics, collectors, staying.get(0));
            final Publisher b = new Publisher('B', pubB, topics, collectors, staying.get(0));
            final int steady = 30;
            final int afterStop;
            final int moved;
            final int back;
            final List<Thread> threads = new ArrayList<>();
            for (final Runnable task : List.of(c1, c2, a, b))
            {
                final Thread thread = new Thread(task, "failover-test-" + threads.size());
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            try
            {
                // Steady: every round up to here reaches both subscribers.
                awaitAll(nodes, collectors, topics, steady, "steady state");

                nodes.stop(3);
                awaitSurvivorsSee(nodes, 2);
                afterStop = Math.max(a.started.get(), b.started.get()) + 1;
                // Published after the survivors moved node 3's topics: every one is delivered.
                moved = afterStop + 50;
                awaitAll(nodes, collectors, topics, moved, "after node 3 stopped");
                for (final int id : new int[] {1, 2})
                {
                    final Map<String, Long> stats = nodes.stats(id);
                    assertEquals(0L, stats.get("peer_3_up"), () -> "node " + id + ": " + stats);
                }

                if (restart)
                {
                    nodes.start(3);
                    nodes.awaitUp(3);
                    final int afterStart = Math.max(a.started.get(), b.started.get()) + 1;
                    // The homes moved back once node 3 orders them for both survivors; from then on, all again.
                    awaitAll(nodes, collectors, topics, afterStart, "after node 3 came back");
                    back = Math.max(a.started.get(), b.started.get()) + 50;
                    awaitAll(nodes, collectors, topics, back, "well after node 3 came back");
                }
                else
                {
                    back = moved;
                }

                a.stop();
                b.stop();
                for (final Thread thread : threads.subList(2, 4))
                {
                    thread.join(TimeUnit.SECONDS.toMillis(20));
                }
                for (final Publisher publisher : List.of(a, b))
                {
                    assertTrue(publisher.failure == null, () -> "publisher " + publisher.name + ": " + publisher.failure);
                }
                for (final Collector collector : collectors)
                {
                    for (final String topic : topics)
                    {
                        await(() -> collector.max(topic, 'A') == a.last && collector.max(topic, 'B') == b.last,
                            "the last rounds of " + topic);
                    }
                }
            }
            finally
            {
                a.stop();
                b.stop();
                c1.stop();
                c2.stop();
                for (final Thread thread : threads)
                {
                    thread.join(TimeUnit.SECONDS.toMillis(20));
                }
            }
            for (final Collector collector : List.of(c1, c2))
            {
                assertTrue(collector.failure == null, () -> "collector: " + collector.failure);
            }

            for (final String topic : topics)
            {
                final List<String> order1 = c1.of(topic);
                final List<String> order2 = c2.of(topic);
                for (final char publisher : new char[] {'A', 'B'})
                {
                    final int last = publisher == 'A' ? a.last : b.last;
                    for (final List<String> order : List.of(order1, order2))
                    {
                        final List<Integer> rounds = rounds(order, publisher);
                        assertIncreasing(rounds, topic, publisher);
                        assertContiguous(rounds, 0, steady, topic, publisher, "before the stop");
                        assertContiguous(rounds, afterStop, moved, topic, publisher, "after the move");
                        assertContiguous(rounds, back, last, topic, publisher, restart ? "after the move back" : "after the move");
                        if (staying.contains(topic))
                        {
                            assertContiguous(rounds, 0, last, topic, publisher, "a topic whose home never moved");
                        }
                    }
                }
                assertSameRelativeOrder(order1, order2, topic);
            }

            if (restart)
            {
                aSubscriberOnTheRestartedNodeReceivesAgain(nodes, moving.get(0), staying.get(0));
            }
        }
    }

    /**
     * A home stopped and started again (a few times): the survivors' subscribers, subscribed all
     * along, receive its topics again once every node counts it up. Their interest reaches the new
     * process only by the resend when it comes up, so this needs that resend to arrive.
     */
    @Test
    void subscribersOnSurvivorsReceiveAHomesTopicsAfterItRestarts() throws Exception
    {
        final String topic = ClusterNodes.topicOn("restart.", "", 3, 0, ALL);
        try (ClusterNodes nodes = new ClusterNodes(3); LineClient sub1 = nodes.client(1); LineClient sub2 = nodes.client(2))
        {
            for (final LineClient sub : List.of(sub1, sub2))
            {
                ClusterNodes.subscribe(sub, topic);
            }
            try (LineClient pub = nodes.client(3))
            {
                ClusterEndToEndTest.awaitInterest(pub, topic, sub1, sub2);
            }
            for (int cycle = 0; cycle < 5; cycle++)
            {
                nodes.stop(3);
                nodes.awaitUp(2);
                nodes.start(3);
                nodes.awaitUp(3);
                try (LineClient pub = nodes.client(3))
                {
                    // Published on the home itself: delivered to a survivor only if its interest arrived.
                    for (final LineClient sub : List.of(sub1, sub2))
                    {
                        final String who = sub == sub1 ? "node 1" : "node 2";
                        final long deadline = System.nanoTime() + WAIT_NS;
                        sub.socket().setSoTimeout(100);
                        boolean received = false;
                        while (!received && System.nanoTime() < deadline)
                        {
                            pub.send("PUB " + topic + " cycle" + cycle);
                            try
                            {
                                received = sub.readLine().equals("UPDATED " + topic + " cycle" + cycle);
                            }
                            catch (final SocketTimeoutException again)
                            {
                                // published again above
                            }
                        }
                        sub.socket().setSoTimeout(LineClient.TIMEOUT_MS);
                        final int at = cycle;
                        assertTrue(received, () -> "restart " + at + ": the subscriber on " + who + " gets nothing of " + topic
                            + " from its restarted home" + clusterStats(nodes));
                    }
                }
            }
        }
    }

    /** A node stopped and started again: a new subscriber on it receives topics homed on every node. */
    @Test
    void aSubscriberOnARestartedNodeReceivesTopicsHomedAnywhere() throws Exception
    {
        try (ClusterNodes nodes = new ClusterNodes(3))
        {
            nodes.stop(3);
            nodes.awaitUp(2);
            nodes.start(3);
            nodes.awaitUp(3);
            try (LineClient sub3 = nodes.client(3); LineClient pub1 = nodes.client(1); LineClient pub2 = nodes.client(2))
            {
                for (final int home : ALL)
                {
                    final String topic = ClusterNodes.topicOn("rejoined.", "", home, 0, ALL);
                    ClusterNodes.subscribe(sub3, topic);
                    for (final LineClient pub : List.of(pub1, pub2))
                    {
                        ClusterEndToEndTest.awaitInterest(pub, topic, sub3);
                        pub.send("PUB " + topic + " again");
                        ClusterNodes.readUntil(sub3, "UPDATED " + topic + " again");
                    }
                }
            }
        }
    }

    private static void aSubscriberOnTheRestartedNodeReceivesAgain(final ClusterNodes nodes, final String moving, final String staying)
        throws IOException
    {
        try (LineClient sub3 = nodes.client(3); LineClient pub1 = nodes.client(1); LineClient pub3 = nodes.client(3))
        {
            for (final String topic : List.of(moving, staying))
            {
                ClusterNodes.subscribe(sub3, topic);
                ClusterEndToEndTest.awaitInterest(pub1, topic, sub3);
                pub1.send("PUB " + topic + " again");
                ClusterNodes.readUntil(sub3, "UPDATED " + topic + " again");
            }
            // Node 3 is the home of its topics again: its own PUB is not forwarded.
            final long before = nodes.stats(3).get("cluster_forwarded");
            pub3.send("PUB " + moving + " home");
            pub3.send("PING");
            assertEquals("PONG", pub3.readLine());
            assertEquals(before, nodes.stats(3).get("cluster_forwarded"), "node 3 forwarded a PUB of a topic it should be home of");
            ClusterNodes.readUntil(sub3, "UPDATED " + moving + " home");
        }
    }

    /** Both survivors count {@code up} members, and within a bound. */
    private static void awaitSurvivorsSee(final ClusterNodes nodes, final int up) throws IOException
    {
        for (final int id : new int[] {1, 2})
        {
            await(() ->
            {
                try
                {
                    return nodes.stats(id).get("cluster_up") == up;
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }, "node " + id + " counting " + up + " up");
        }
    }

    /** Every collector has a message of round {@code round} or later from both publishers on every topic. */
    private static void awaitAll(
        final ClusterNodes nodes, final List<Collector> collectors, final List<String> topics, final int round, final String what)
    {
        for (final Collector collector : collectors)
        {
            for (final String topic : topics)
            {
                await(nodes, collectors, () -> collector.max(topic, 'A') >= round && collector.max(topic, 'B') >= round,
                    "round " + round + " of " + topic + " (homed on " + ClusterNodes.home(topic, ALL) + ", next " + ClusterNodes.backup(topic, ALL)
                    + ") on the subscriber on " + collector.name + " " + what + "; seen up to " + collector.max(topic, 'A') + "/" + collector.max(topic, 'B'));
            }
        }
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        await(null, List.of(), condition, what);
    }

    /** Waits for {@code condition}; on failure, says what the running nodes' STATS show of the cluster. */
    private static void await(final ClusterNodes nodes, final List<Collector> collectors, final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("waited in vain for " + what + (nodes == null ? "" : clusterStats(nodes) + seen(collectors) + probeFromHomes(nodes, collectors)));
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static String clusterStats(final ClusterNodes nodes)
    {
        final StringBuilder text = new StringBuilder();
        for (final int id : ALL)
        {
            if (nodes.node(id) == null)
            {
                continue;
            }
            text.append("\nnode ").append(id).append(':');
            try
            {
                new TreeMap<>(nodes.stats(id)).forEach((key, value) ->
                {
                    if (key.startsWith("cluster_") || key.startsWith("peer_"))
                    {
                        text.append(' ').append(key).append('=').append(value);
                    }
                });
            }
            catch (final IOException ex)
            {
                text.append(' ').append(ex);
            }
        }
        return text.toString();
    }

    private static String seen(final List<Collector> collectors)
    {
        final StringBuilder text = new StringBuilder();
        for (final Collector collector : collectors)
        {
            text.append("\nsubscriber on ").append(collector.name).append(" has up to: ").append(new TreeMap<>(collector.max));
        }
        return text.toString();
    }

    /** Diagnosis: publishes on each home itself, to every topic it homes, and says which subscribers get it. */
    private static String probeFromHomes(final ClusterNodes nodes, final List<Collector> collectors)
    {
        final StringBuilder text = new StringBuilder();
        try
        {
            for (final int id : ALL)
            {
                if (nodes.node(id) == null)
                {
                    continue;
                }
                try (LineClient pub = nodes.client(id))
                {
                    for (final String key : new TreeSet<>(collectors.get(0).max.keySet()))
                    {
                        final String topic = key.substring(0, key.indexOf(' '));
                        if (ClusterNodes.home(topic, ALL) == id)
                        {
                            pub.send("PUB " + topic + " Z" + id);
                        }
                    }
                    pub.send("PING");
                    pub.readLine();
                }
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
            text.append("\nprobes published on each home itself (Z<home>) reached:");
            for (final Collector collector : collectors)
            {
                for (final String key : new TreeSet<>(collector.max.keySet()))
                {
                    if (key.endsWith(" Z"))
                    {
                        text.append(' ').append(collector.name).append(':').append(key);
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            text.append("\nprobing failed: ").append(ex);
        }
        return text.toString();
    }

    private static List<Integer> rounds(final List<String> order, final char publisher)
    {
        final List<Integer> rounds = new ArrayList<>();
        for (final String message : order)
        {
            if (message.charAt(0) == publisher)
            {
                rounds.add(Integer.parseInt(message.substring(1)));
            }
        }
        return rounds;
    }

    private static void assertIncreasing(final List<Integer> rounds, final String topic, final char publisher)
    {
        for (int i = 1; i < rounds.size(); i++)
        {
            final int at = i;
            assertTrue(rounds.get(i) > rounds.get(i - 1), () -> topic + ": publisher " + publisher + "'s round " + rounds.get(at)
                + " after " + rounds.get(at - 1) + " (a duplicate or out of order)");
        }
    }

    /** Every round from {@code from} to {@code to} is there (the list is increasing). */
    private static void assertContiguous(
        final List<Integer> rounds, final int from, final int to, final String topic, final char publisher, final String when)
    {
        int expected = from;
        for (final int round : rounds)
        {
            if (round == expected && expected <= to)
            {
                expected++;
            }
        }
        final int missing = expected;
        assertTrue(expected > to, () -> topic + ": publisher " + publisher + "'s round " + missing + " is missing " + when
            + " (rounds " + from + " to " + to + " must all arrive)");
    }

    /** The messages both subscribers received are in the same order in both. */
    private static void assertSameRelativeOrder(final List<String> order1, final List<String> order2, final String topic)
    {
        final List<String> common1 = new ArrayList<>(order1);
        common1.retainAll(new HashSet<>(order2));
        final List<String> common2 = new ArrayList<>(order2);
        common2.retainAll(new HashSet<>(order1));
        assertEquals(common1, common2, topic + ": the subscribers on nodes 1 and 2 disagree on its order");
    }

    /** Reads one subscriber's deliveries on its own thread. */
    private static final class Collector implements Runnable
    {
        private final String name;
        private final LineClient client;
        private final Map<String, List<String>> byTopic = new ConcurrentHashMap<>();
        private final Map<String, Integer> max = new ConcurrentHashMap<>();
        private volatile boolean running = true;
        private volatile Throwable failure;

        Collector(final String name, final LineClient client)
        {
            this.name = name;
            this.client = client;
        }

        @Override
        public void run()
        {
            try
            {
                client.socket().setSoTimeout(100);
                while (running)
                {
                    final String line;
                    try
                    {
                        line = client.readLine();
                    }
                    catch (final SocketTimeoutException idle)
                    {
                        continue;
                    }
                    if (line.endsWith(" probe"))
                    {
                        continue;
                    }
                    final int space = line.indexOf(' ', "UPDATED ".length());
                    final String topic = line.substring("UPDATED ".length(), space);
                    final String message = line.substring(space + 1);
                    byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(message);
                    max.merge(topic + " " + message.charAt(0), Integer.parseInt(message.substring(1)), Math::max);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                failure = ex;
            }
        }

        int max(final String topic, final char publisher)
        {
            return max.getOrDefault(topic + " " + publisher, -1);
        }

        /** After the thread stopped: the messages of {@code topic} in the order received. */
        List<String> of(final String topic)
        {
            return byTopic.getOrDefault(topic, List.of());
        }

        void stop()
        {
            running = false;
        }
    }

    /**
     * Publishes round after round (one message {@code <name><round>} to every topic, then a PING
     * barrier), paced, staying at most 100 rounds ahead of what the subscribers have of a topic whose home
     * never moves, until stopped.
     */
    private static final class Publisher implements Runnable
    {
        private final char name;
        private final LineClient client;
        private final List<String> topics;
        private final List<Collector> collectors;
        private final String paceTopic;
        private final AtomicInteger started = new AtomicInteger();
        private volatile boolean running = true;
        private volatile int last = -1;
        private volatile Throwable failure;

        Publisher(final char name, final LineClient client, final List<String> topics, final List<Collector> collectors, final String paceTopic)
        {
            this.name = name;
            this.client = client;
            this.topics = topics;
            this.collectors = collectors;
            this.paceTopic = paceTopic;
        }

        @Override
        public void run()
        {
            try
            {
                for (int round = 0; running; round++)
                {
                    while (running && behind(round))
                    {
                        LockSupport.parkNanos(200_000);
                    }
                    if (!running)
                    {
                        break;
                    }
                    // About a round a millisecond: heavy enough to keep messages in flight through every move,
                    // light enough that a 2-core machine (and paranoid leak detection) keeps the heartbeats going.
                    LockSupport.parkNanos(1_000_000);
                    started.set(round + 1);
                    final StringBuilder batch = new StringBuilder();
                    for (final String topic : topics)
                    {
                        batch.append("PUB ").append(topic).append(' ').append(name).append(round).append("\r\n");
                    }
                    batch.append("PING\r\n");
                    client.sendRaw(batch.toString());
                    final String pong = client.readLine();
                    if (!pong.equals("PONG"))
                    {
                        throw new IllegalStateException("not a PONG: " + pong);
                    }
                    last = round;
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                failure = ex;
            }
        }

        private boolean behind(final int round)
        {
            for (final Collector collector : collectors)
            {
                if (collector.max(paceTopic, name) < round - 100)
                {
                    return true;
                }
            }
            return false;
        }

        void stop()
        {
            running = false;
        }
    }
}
