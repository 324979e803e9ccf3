package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three nodes in this JVM, end to end over real client sockets and real Aeron links on loopback. */
@ExtendWith(NettyLeakGuard.class)
class ClusterEndToEndTest
{
    private static ClusterNodes cluster;

    @BeforeAll
    static void start() throws InterruptedException
    {
        cluster = ClusterNodes.steady();
    }

    @AfterAll
    static void stop()
    {
        cluster.close();
    }

    /** Publishes {@code probe} on {@code publisher} until every subscriber has read one: interest has spread. */
    static void awaitInterest(final LineClient publisher, final String topic, final LineClient... subscribers) throws IOException
    {
        publisher.send("PUB " + topic + " probe");
        for (final LineClient subscriber : subscribers)
        {
            subscriber.socket().setSoTimeout(100);
            while (true)
            {
                try
                {
                    final String line = subscriber.readLine();
                    if (line.equals("UPDATED " + topic + " probe"))
                    {
                        break;
                    }
                }
                catch (final java.net.SocketTimeoutException again)
                {
                    publisher.send("PUB " + topic + " probe");
                }
            }
            subscriber.socket().setSoTimeout(LineClient.TIMEOUT_MS);
        }
    }

    /** Garbage datagrams at every node's Aeron endpoint change nothing: the links, members and deliveries carry on. */
    @Test
    void garbageOnTheClusterPortsIsIgnored() throws Exception
    {
        final java.util.Random random = new java.util.Random(12);
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            for (int id = 1; id <= 3; id++)
            {
                for (final int length : new int[] {0, 1, 7, 31, 64, 1_400, 8_000})
                {
                    final byte[] garbage = new byte[length];
                    random.nextBytes(garbage);
                    socket.send(new java.net.DatagramPacket(garbage, length, cluster.endpoint(id)));
                }
            }
        }
        try (LineClient sub = cluster.client(3); LineClient pub = cluster.client(1))
        {
            sub.send("SUB after.garbage");
            assertEquals("SUBSCRIBED after.garbage", sub.readLine());
            awaitInterest(pub, "after.garbage", sub);
            pub.send("PUB after.garbage still here");
            String line = sub.readLine();
            while (line.endsWith(" probe"))
            {
                line = sub.readLine();
            }
            assertEquals("UPDATED after.garbage still here", line);
        }
        for (int id = 1; id <= 3; id++)
        {
            assertEquals(3L, cluster.stats(id).get("cluster_up"), "node " + id + " still sees every member");
        }
    }

    @Test
    void membersListsEveryNodeWithItsStateAndLinkFigures() throws Exception
    {
        try (LineClient client = cluster.client(2))
        {
            client.send("MEMBERS");
            final List<String> lines = new ArrayList<>();
            for (String line = client.readLine(); !line.equals("END"); line = client.readLine())
            {
                lines.add(line);
            }
            assertEquals(3, lines.size(), lines.toString());
            for (int id = 1; id <= 3; id++)
            {
                final String line = lines.get(id - 1);
                assertTrue(line.startsWith("MEMBER id=" + id + " endpoint=127.0.0.1:"), line);
                assertTrue(line.contains(" self=" + (id == 2 ? 1 : 0) + " state=up"), line);
                assertEquals(id != 2, line.contains(" received=") && line.contains(" backlog_bytes=") && line.contains(" rtt_us="), line);
            }
        }
        try (TopicsBroker alone = TestBrokers.launch(); LineClient client = new LineClient(alone.address()))
        {
            client.send("MEMBERS");
            assertEquals("END", client.readLine(), "a broker on its own has no members to list");
        }
    }

    @Test
    void subscribersOnEveryNodeSeeOneOrderFromPublishersOnTwoNodes() throws Exception
    {
        try (LineClient sub1 = cluster.client(1); LineClient sub2 = cluster.client(2); LineClient sub3 = cluster.client(3);
             LineClient pubA = cluster.client(1); LineClient pubB = cluster.client(2))
        {
            for (final LineClient sub : List.of(sub1, sub2, sub3))
            {
                sub.send("SUB orders");
                assertEquals("SUBSCRIBED orders", sub.readLine());
            }
            awaitInterest(pubA, "orders", sub1, sub2, sub3);
            awaitInterest(pubB, "orders", sub1, sub2, sub3);
            // Probes still in flight are skipped below; then both publishers interleave.
            final int count = 2000;
            final StringBuilder a = new StringBuilder();
            final StringBuilder b = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                a.append("PUB orders a").append(i).append("\r\n");
                b.append("PUB orders b").append(i).append("\r\n");
            }
            pubA.sendRaw(a.toString());
            pubB.sendRaw(b.toString());
            final List<List<String>> seen = new ArrayList<>();
            for (final LineClient sub : List.of(sub1, sub2, sub3))
            {
                final List<String> order = new ArrayList<>();
                while (order.size() < 2 * count)
                {
                    final String line = sub.readLine();
                    if (!line.endsWith(" probe"))
                    {
                        order.add(line);
                    }
                }
                seen.add(order);
            }
            assertEquals(seen.get(0), seen.get(1), "node 1 and node 2 subscribers saw different orders");
            assertEquals(seen.get(0), seen.get(2), "node 1 and node 3 subscribers saw different orders");
            int nextA = 0;
            int nextB = 0;
            for (final String line : seen.get(0))
            {
                if (line.equals("UPDATED orders a" + nextA))
                {
                    nextA++;
                }
                else
                {
                    assertEquals("UPDATED orders b" + nextB, line, "a publisher's order broke");
                    nextB++;
                }
            }
            assertTrue(nextA == count && nextB == count);
        }
    }
}
