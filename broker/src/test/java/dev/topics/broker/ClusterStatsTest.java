package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import dev.topics.testing.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a clustered node shows of the cluster in STATS, how RESP PUBLISH counts on a clustered
 * node, and the cluster's message size limit; three nodes in this JVM over real sockets.
 */
@ExtendWith(NettyLeakGuard.class)
class ClusterStatsTest
{
    private static final int[] ALL = {1, 2, 3};

    private static ClusterNodes cluster;

    @BeforeAll
    static void start() throws InterruptedException
    {
        cluster = new ClusterNodes(3, 1024 * 1024, ClusterNodes.STEADY_TIMEOUT_MS, b -> b.respBind(new InetSocketAddress("127.0.0.1", 0)));
    }

    @AfterAll
    static void stop()
    {
        cluster.close();
    }

    @Test
    void everyNodeShowsTheMembersAndEachPeerUp() throws IOException
    {
        for (final int id : ALL)
        {
            final Map<String, Long> stats = cluster.stats(id);
            assertEquals(id, stats.get("cluster_node"), () -> "node " + id + ": " + stats);
            assertEquals(3L, stats.get("cluster_members"), () -> "node " + id + ": " + stats);
            assertEquals(3L, stats.get("cluster_up"), () -> "node " + id + ": " + stats);
            assertFalse(stats.containsKey("peer_" + id + "_up"), () -> "node " + id + " lists itself as a peer: " + stats);
            for (final int peer : ALL)
            {
                if (peer == id)
                {
                    continue;
                }
                final String prefix = "peer_" + peer + "_";
                assertEquals(1L, stats.get(prefix + "up"), () -> "node " + id + " on node " + peer + ": " + stats);
                assertTrue(stats.get(prefix + "heard_ms") >= 0, () -> "node " + id + " never heard node " + peer + ": " + stats);
                for (final String field : List.of("sent", "received", "dropped", "rtt_us"))
                {
                    assertTrue(stats.containsKey(prefix + field), () -> "node " + id + " lacks " + prefix + field + ": " + stats);
                }
                assertTrue(stats.get(prefix + "received") > 0, () -> "node " + id + " counts nothing from " + peer + ": " + stats);
            }
        }
    }

    /**
     * A PUB is forwarded exactly when its topic is homed elsewhere: checks ClusterNodes' copy of
     * the hashing (which the other cluster tests rely on) against the nodes, and cluster_forwarded.
     */
    @Test
    void aPubIsForwardedOnlyFromNodesThatAreNotItsTopicsHome() throws IOException
    {
        for (final int home : ALL)
        {
            final String topic = ClusterNodes.topicOn("homes.", "", home, 0, ALL);
            for (final int id : ALL)
            {
                try (LineClient publisher = cluster.client(id))
                {
                    final long before = StatsReader.read(publisher).get("cluster_forwarded");
                    publisher.send("PUB " + topic + " from" + id);
                    publisher.send("PING");
                    assertEquals("PONG", publisher.readLine());
                    final long after = StatsReader.read(publisher).get("cluster_forwarded");
                    assertEquals(id == home ? 0 : 1, after - before,
                        "PUB " + topic + " on node " + id + ": forwarded " + (after - before) + " times, computed home " + home);
                }
            }
        }
    }

    @Test
    void perPeerCountersGrowWithTraffic() throws Exception
    {
        // Its own cluster: the exact counts below need no other test's traffic in flight.
        try (ClusterNodes nodes = ClusterNodes.steady();
             LineClient publisher = nodes.client(1); LineClient subscriber = nodes.client(3))
        {
            final String topic = ClusterNodes.topicOn("traffic.", "", 2, 0, ALL);
            ClusterNodes.subscribe(subscriber, topic);
            ClusterEndToEndTest.awaitInterest(publisher, topic, subscriber);
            publisher.send("PUB " + topic + " settled");
            ClusterNodes.readUntil(subscriber, "UPDATED " + topic + " settled");
            final List<Map<String, Long>> before = statsOfAll(nodes);
            final int count = 300;
            final StringBuilder batch = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                batch.append("PUB ").append(topic).append(" m").append(i).append("\r\n");
            }
            publisher.sendRaw(batch.toString());
            for (int i = 0; i < count; i++)
            {
                assertEquals("UPDATED " + topic + " m" + i, subscriber.readLine());
            }
            publisher.send("PING");
            assertEquals("PONG", publisher.readLine());
            final List<Map<String, Long>> after = statsOfAll(nodes);
            assertEquals(count, delta(before, after, 1, "cluster_forwarded"), "node 1 forwards every PUB to the home, node 2");
            assertEquals(count, delta(before, after, 3, "cluster_from_homes"), "node 3 takes every delivery from the home");
            assertEquals(0, delta(before, after, 2, "cluster_from_homes"), "the home receives no deliveries");
            assertTrue(delta(before, after, 1, "peer_2_sent") >= count, "node 1's sent to node 2");
            assertTrue(delta(before, after, 2, "peer_1_received") >= count, "node 2's received from node 1");
            assertTrue(delta(before, after, 2, "peer_3_sent") >= count, "node 2's sent to node 3");
            assertTrue(delta(before, after, 3, "peer_2_received") >= count, "node 3's received from node 2");
            for (final int id : ALL)
            {
                assertEquals(0, delta(before, after, id, "cluster_misrouted"), "node " + id + " misrouted messages in a steady cluster");
                for (final int peer : ALL)
                {
                    if (peer != id)
                    {
                        assertEquals(0, delta(before, after, id, "peer_" + peer + "_dropped"), "node " + id + " dropped to " + peer);
                    }
                }
            }
        }
    }

    /** As Redis Cluster: the count of the subscribers on the node the publisher is connected to, wherever the home is. */
    @Test
    void respPublishCountsThisNodesSubscribers() throws Exception
    {
        final String topic = ClusterNodes.topicOn("respcount.", "", 2, 0, ALL);
        final List<LineClient> subscribers = new ArrayList<>();
        try
        {
            for (final int id : new int[] {1, 1, 2, 3})
            {
                final LineClient subscriber = cluster.client(id);
                subscribers.add(subscriber);
                ClusterNodes.subscribe(subscriber, topic);
            }
            try (RespClient on1 = new RespClient(cluster.respAddress(1));
                 RespClient on2 = new RespClient(cluster.respAddress(2));
                 RespClient on3 = new RespClient(cluster.respAddress(3)))
            {
                assertEquals(":2\r\n", on1.call("PUBLISH", topic, "a"), "node 1 has two subscribers; the home is node 2");
                assertEquals(":1\r\n", on2.call("PUBLISH", topic, "b"), "the home's own subscriber");
                assertEquals(":1\r\n", on3.call("PUBLISH", topic, "c"), "node 3 has one subscriber");
                final String elsewhere = ClusterNodes.topicOn("respcount.none.", "", 1, 0, ALL);
                assertEquals(":0\r\n", on3.call("PUBLISH", elsewhere, "d"), "no subscriber anywhere");
            }
            // The RESP publications reached every subscriber (after interest spread: probes first).
            try (LineClient publisher = cluster.client(1))
            {
                ClusterEndToEndTest.awaitInterest(publisher, topic, subscribers.toArray(new LineClient[0]));
                try (RespClient on3 = new RespClient(cluster.respAddress(3)))
                {
                    assertEquals(":1\r\n", on3.call("PUBLISH", topic, "last"));
                }
                for (final LineClient subscriber : subscribers)
                {
                    ClusterNodes.readUntil(subscriber, "UPDATED " + topic + " last");
                }
            }
        }
        finally
        {
            for (final LineClient subscriber : subscribers)
            {
                subscriber.close();
            }
        }
    }

    /** Pattern subscribers count too (as on one node), also when the topic is homed on another node. */
    @Test
    void respPublishCountsThisNodesPatternSubscribers() throws Exception
    {
        final String remote = ClusterNodes.topicOn("respat.", "", 2, 0, ALL);
        final String local = ClusterNodes.topicOn("respat.", "", 1, 0, ALL);
        try (LineClient subscriber = cluster.client(1); RespClient on1 = new RespClient(cluster.respAddress(1)))
        {
            ClusterNodes.subscribe(subscriber, "respat.*");
            assertEquals(":1\r\n", on1.call("PUBLISH", local, "a"), "a topic homed on this node");
            try (LineClient exact = cluster.client(1))
            {
                ClusterNodes.subscribe(exact, remote);
                assertEquals(":2\r\n", on1.call("PUBLISH", remote, "b"), "a topic homed on node 2, an exact and a pattern subscriber here");
            }
            final String other = ClusterNodes.topicOn("respat.o", "", 2, 0, ALL);
            assertEquals(":1\r\n", on1.call("PUBLISH", other, "c"), "a topic homed on node 2, only the pattern subscriber here");
        }
    }

    /** Term length 64k: a link carries at most 8 KiB; a larger PUB is refused, the connection carries on. */
    @Test
    void aPubLargerThanTheClusterLimitIsRefusedAndTheConnectionCarriesOn() throws Exception
    {
        try (ClusterNodes small = new ClusterNodes(3, 64 * 1024, ClusterNodes.STEADY_TIMEOUT_MS, UnaryOperator.identity());
             LineClient publisher = small.client(1); LineClient subscriber = small.client(2))
        {
            for (final int home : ALL)
            {
                final String topic = ClusterNodes.topicOn("big.", "", home, 0, ALL);
                ClusterNodes.subscribe(subscriber, topic);
                ClusterEndToEndTest.awaitInterest(publisher, topic, subscriber);
                publisher.send("PUB " + topic + " " + "x".repeat(9000));
                final String refusal = publisher.readLine();
                assertTrue(refusal.startsWith("ERR too-large "), () -> "home " + home + ": " + refusal);
                publisher.send("PING after");
                assertEquals("PONG after", publisher.readLine(), "the connection carries on");
                final String fits = "y".repeat(8000);
                publisher.send("PUB " + topic + " " + fits);
                publisher.send("PUB " + topic + " marker");
                final List<String> seen = ClusterNodes.readUntil(subscriber, "UPDATED " + topic + " marker");
                assertEquals(List.of("UPDATED " + topic + " " + fits), seen, "home " + home + ": only the message that fits");
                publisher.send("GET " + topic);
                assertEquals("VALUE " + topic + " marker", publisher.readLine(), "the refused PUB stored nothing");
            }
        }
    }

    private static List<Map<String, Long>> statsOfAll(final ClusterNodes nodes) throws IOException
    {
        final List<Map<String, Long>> all = new ArrayList<>();
        all.add(Map.of());
        for (final int id : ALL)
        {
            all.add(nodes.stats(id));
        }
        return all;
    }

    private static long delta(final List<Map<String, Long>> before, final List<Map<String, Long>> after, final int id, final String key)
    {
        assertTrue(after.get(id).containsKey(key), () -> "node " + id + " has no " + key + ": " + after.get(id));
        return after.get(id).get(key) - before.get(id).get(key);
    }
}
