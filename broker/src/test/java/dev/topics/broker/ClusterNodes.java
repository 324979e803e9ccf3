package dev.topics.broker;

import dev.topics.broker.cluster.ClusterConfig;
import dev.topics.testing.LineClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A cluster of brokers in this JVM, on loopback: each node a {@link TopicsBroker} on port 0 with
 * its Aeron endpoint on a free UDP port. Used by one test thread; close it to stop every node.
 */
public final class ClusterNodes implements AutoCloseable
{
    /** Short, so tests that stop a node see it leave quickly. */
    public static final long TIMEOUT_MS = 500;
    /** For tests that stop no node: no false "down" while a burst starves the link threads. */
    public static final long STEADY_TIMEOUT_MS = 5_000;

    private final List<ClusterConfig.Member> members = new ArrayList<>();
    private final TopicsBroker[] nodes;
    private final UnaryOperator<BrokerConfig.Builder> settings;
    private final int termLength;
    private final long timeoutMs;

    /** {@code count} nodes, ids 1..count, started and all up to each other before this returns. */
    public ClusterNodes(final int count) throws InterruptedException
    {
        this(count, UnaryOperator.identity());
    }

    public ClusterNodes(final int count, final UnaryOperator<BrokerConfig.Builder> settings) throws InterruptedException
    {
        this(count, 1024 * 1024, settings);
    }

    /** As above, with each link's Aeron term length (the largest message crossing nodes is an eighth of it). */
    public ClusterNodes(final int count, final int termLength, final UnaryOperator<BrokerConfig.Builder> settings)
        throws InterruptedException
    {
        this(count, termLength, TIMEOUT_MS, settings);
    }

    /**
     * As above, with the heartbeat timeout: tests that stop no node and check that nothing is lost
     * take {@link #STEADY_TIMEOUT_MS}, as on a 2-core machine a burst through three nodes in one JVM
     * (with paranoid leak detection) has stalled every node's link thread past 500 ms, and the
     * nodes then count each other down and move topics, which loses messages.
     */
    public ClusterNodes(final int count, final int termLength, final long timeoutMs, final UnaryOperator<BrokerConfig.Builder> settings)
        throws InterruptedException
    {
        this.settings = settings;
        this.termLength = termLength;
        this.timeoutMs = timeoutMs;
        for (int id = 1; id <= count; id++)
        {
            members.add(new ClusterConfig.Member(id, new InetSocketAddress("127.0.0.1", freeUdpPort())));
        }
        nodes = new TopicsBroker[count + 1];
        for (int id = 1; id <= count; id++)
        {
            start(id);
        }
        awaitUp(count);
    }

    /**
     * Three nodes for tests that stop none: a {@link #STEADY_TIMEOUT_MS} member timeout, so a
     * starved CI machine does not move topics in the middle of a test.
     */
    public static ClusterNodes steady() throws InterruptedException
    {
        return new ClusterNodes(3, 1024 * 1024, STEADY_TIMEOUT_MS, UnaryOperator.identity());
    }

    /** Node {@code id}'s Aeron UDP endpoint. */
    public InetSocketAddress endpoint(final int id)
    {
        return members.get(id - 1).endpoint();
    }

    /** The config node {@code id} is started with. */
    public BrokerConfig config(final int id)
    {
        return settings.apply(TestBrokers.loopback()
            .warmupSeconds(0)
            .cluster(new ClusterConfig(members, id, timeoutMs, termLength, ClusterConfig.MAX_PARK_MICROS_DEFAULT, null,
                ClusterConfig.LINK_BUFFER_BYTES_DEFAULT)))
            .build();
    }

    /** Starts node {@code id} (again, after {@link #stop}). */
    public void start(final int id) throws InterruptedException
    {
        nodes[id] = TopicsBroker.launch(config(id));
    }

    /** Stops node {@code id} gracefully. */
    public void stop(final int id)
    {
        nodes[id].close();
        nodes[id] = null;
    }

    public TopicsBroker node(final int id)
    {
        return nodes[id];
    }

    public InetSocketAddress address(final int id)
    {
        return nodes[id].address();
    }

    /** The node's RESP address; the node must have been started with a {@code respBind}. */
    public InetSocketAddress respAddress(final int id)
    {
        return nodes[id].respAddress();
    }

    public LineClient client(final int id) throws IOException
    {
        return new LineClient(address(id));
    }

    /** Waits until every running node counts {@code up} members up (itself included). */
    public void awaitUp(final int up) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int id = 1; id < nodes.length; id++)
        {
            if (nodes[id] == null)
            {
                continue;
            }
            try (LineClient client = client(id))
            {
                while (true)
                {
                    final Map<String, Long> stats = StatsReader.read(client);
                    if (stats.getOrDefault("cluster_up", 0L) == up)
                    {
                        break;
                    }
                    if (System.nanoTime() > deadline)
                    {
                        fail("node " + id + " sees " + stats.get("cluster_up") + " members up, not " + up + ": " + stats);
                    }
                    Thread.sleep(20);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** The node's STATS as numbers. */
    public Map<String, Long> stats(final int id) throws IOException
    {
        try (LineClient client = client(id))
        {
            return StatsReader.read(client);
        }
    }

    @Override
    public void close()
    {
        for (int id = 1; id < nodes.length; id++)
        {
            if (nodes[id] != null)
            {
                nodes[id].close();
                nodes[id] = null;
            }
        }
    }

    /**
     * SUB {@code topic} and its reply; probes still arriving from an earlier
     * {@link ClusterEndToEndTest#awaitInterest} are skipped.
     */
    public static void subscribe(final LineClient client, final String topic) throws IOException
    {
        client.send("SUB " + topic);
        String reply;
        do
        {
            reply = client.readLine();
        }
        while (reply.startsWith("UPDATED ") && reply.endsWith(" probe"));
        assertEquals("SUBSCRIBED " + topic, reply);
    }

    /**
     * Reads lines until {@code last} arrives; returns the lines before it that are not probes
     * ({@link ClusterEndToEndTest#awaitInterest} leaves some in flight). Fails after the client's timeout.
     */
    public static List<String> readUntil(final LineClient client, final String last) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        while (true)
        {
            final String line = client.readLine();
            if (line.equals(last))
            {
                return lines;
            }
            if (!line.endsWith(" probe"))
            {
                lines.add(line);
            }
        }
    }

    /**
     * Reads lines until every one of {@code awaited} has arrived, in any order; returns all lines
     * read that are not probes. Fails after the client's timeout.
     */
    public static List<String> readUntilAll(final LineClient client, final Collection<String> awaited) throws IOException
    {
        final Set<String> missing = new HashSet<>(awaited);
        final List<String> lines = new ArrayList<>();
        while (!missing.isEmpty())
        {
            final String line = client.readLine();
            missing.remove(line);
            if (!line.endsWith(" probe"))
            {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * The home of {@code topic} among the live members {@code live} (node ids): a copy of the
     * engine's rendezvous hashing (ClusterView, over TopicName's hash), so tests can pick topics
     * homed where they need them. ClusterStatsTest checks this copy against the nodes' own
     * forwarding, so a change of the hashing fails there first, by name.
     */
    public static int home(final String topic, final int... live)
    {
        return ranked(topic, live)[0];
    }

    /** The topic's next home among {@code live}: the member that keeps a copy of its latest value. */
    public static int backup(final String topic, final int... live)
    {
        return ranked(topic, live)[1];
    }

    /** The first topic {@code prefix + i + suffix} (i = 0, 1, ...) homed on {@code home} with next home {@code backup} (0: any). */
    public static String topicOn(final String prefix, final String suffix, final int home, final int backup, final int... live)
    {
        for (int i = 0; ; i++)
        {
            final String topic = prefix + i + suffix;
            final int[] rank = ranked(topic, live);
            if (rank[0] == home && (backup == 0 || rank[1] == backup))
            {
                return topic;
            }
        }
    }

    private static int[] ranked(final String topic, final int... live)
    {
        final long topicHash = mix(Arrays.hashCode(topic.getBytes(StandardCharsets.UTF_8))
            * 0x9E3779B97F4A7C15L);
        int best = -1;
        int second = -1;
        long bestScore = 0;
        long secondScore = 0;
        final int[] sorted = live.clone();
        Arrays.sort(sorted);
        for (final int member : sorted)
        {
            final long score = mix(topicHash ^ (member * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L));
            if (best == -1 || Long.compareUnsigned(score, bestScore) > 0)
            {
                second = best;
                secondScore = bestScore;
                best = member;
                bestScore = score;
            }
            else if (second == -1 || Long.compareUnsigned(score, secondScore) > 0)
            {
                second = member;
                secondScore = score;
            }
        }
        return new int[] {best, second};
    }

    private static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
