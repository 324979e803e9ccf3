package dev.topics.broker;

import dev.topics.broker.cluster.ClusterConfig;
import dev.topics.testing.LineClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A cluster of brokers in this JVM, on loopback: each node a {@link TopicsBroker} on port 0 with
 * its Aeron endpoint on a free UDP port. Used by one test thread; close it to stop every node.
 */
public final class ClusterNodes implements AutoCloseable
{
    /** Short, so tests that stop a node see it leave quickly. */
    public static final long TIMEOUT_MS = 500;

    private final List<ClusterConfig.Member> members = new ArrayList<>();
    private final TopicsBroker[] nodes;
    private final UnaryOperator<BrokerConfig.Builder> settings;

    /** {@code count} nodes, ids 1..count, started and all up to each other before this returns. */
    public ClusterNodes(final int count) throws InterruptedException
    {
        this(count, UnaryOperator.identity());
    }

    public ClusterNodes(final int count, final UnaryOperator<BrokerConfig.Builder> settings) throws InterruptedException
    {
        this.settings = settings;
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

    /** The config node {@code id} is started with. */
    public BrokerConfig config(final int id)
    {
        return settings.apply(TestBrokers.loopback()
            .warmupSeconds(0)
            .cluster(new ClusterConfig(members, id, TIMEOUT_MS, 1024 * 1024, ClusterConfig.MAX_PARK_MICROS_DEFAULT, null,
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
