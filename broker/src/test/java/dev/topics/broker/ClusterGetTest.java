package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GET on a cluster: the latest value cluster-wide from any node, in order with the connection's
 * other commands, and still there after its topic's home stops. Three nodes in this JVM.
 */
@ExtendWith(NettyLeakGuard.class)
class ClusterGetTest
{
    private static final int[] ALL = {1, 2, 3};

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

    /**
     * Values published on node 1 to topics homed on each node; once a subscriber on node 3 has
     * seen the last one, its home holds it, so a GET on any node must return it.
     */
    @Test
    void getOnEveryNodeReturnsTheLatestValueClusterWide() throws Exception
    {
        try (LineClient publisher = cluster.client(1); LineClient subscriber = cluster.client(3))
        {
            final List<String> topics = new ArrayList<>();
            for (final int home : ALL)
            {
                final String topic = ClusterNodes.topicOn("latest.", "", home, 0, ALL);
                topics.add(topic);
                ClusterNodes.subscribe(subscriber, topic);
                ClusterEndToEndTest.awaitInterest(publisher, topic, subscriber);
            }
            for (int i = 0; i < 50; i++)
            {
                for (final String topic : topics)
                {
                    publisher.send("PUB " + topic + " v" + i + " of " + topic);
                }
            }
            final List<String> last = new ArrayList<>();
            for (final String topic : topics)
            {
                last.add("UPDATED " + topic + " v49 of " + topic);
            }
            ClusterNodes.readUntilAll(subscriber, last);
            for (final int id : ALL)
            {
                try (LineClient reader = cluster.client(id))
                {
                    for (final String topic : topics)
                    {
                        reader.send("GET " + topic);
                        assertEquals("VALUE " + topic + " v49 of " + topic, reader.readLine(),
                            "GET on node " + id + " of a topic homed on node " + ClusterNodes.home(topic, ALL));
                    }
                }
            }
        }
    }

    @Test
    void getOfANeverPublishedTopicHasNoValueOnAnyNode() throws Exception
    {
        for (final int home : ALL)
        {
            final String topic = ClusterNodes.topicOn("never.", "", home, 0, ALL);
            for (final int id : ALL)
            {
                try (LineClient reader = cluster.client(id))
                {
                    reader.send("GET " + topic);
                    assertEquals("NOVALUE " + topic, reader.readLine(), "GET on node " + id + ", home " + home);
                }
            }
        }
    }

    /**
     * On a node that asks the home, replies keep the order of the commands: GETs of topics homed
     * anywhere, PINGs between them, and a PUB after a GET applied after it (so a GET after the
     * PUB, on the same connection, reads it).
     */
    @Test
    void pipelinedGetsAndPingsOnANonHomeNodeReplyInOrder() throws Exception
    {
        final List<String> topics = new ArrayList<>();
        try (LineClient publisher = cluster.client(2))
        {
            for (final int home : ALL)
            {
                final String topic = ClusterNodes.topicOn("pipe.", "", home, 0, ALL);
                topics.add(topic);
                publisher.send("PUB " + topic + " first");
            }
            for (final String topic : topics)
            {
                awaitValue(publisher, topic, "first");
            }
        }
        try (LineClient client = cluster.client(1))
        {
            final StringBuilder batch = new StringBuilder();
            final List<String> expected = new ArrayList<>();
            for (int round = 0; round < 20; round++)
            {
                for (final String topic : topics)
                {
                    final String before = round == 0 ? "first" : "r" + (round - 1);
                    batch.append("GET ").append(topic).append("\r\n");
                    expected.add("VALUE " + topic + " " + before);
                    batch.append("PING ").append(topic).append(' ').append(round).append("\r\n");
                    expected.add("PONG " + topic + " " + round);
                    batch.append("PUB ").append(topic).append(" r").append(round).append("\r\n");
                    batch.append("GET ").append(topic).append("\r\n");
                    expected.add("VALUE " + topic + " r" + round);
                }
            }
            client.sendRaw(batch.toString());
            final List<String> replies = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++)
            {
                replies.add(client.readLine());
            }
            assertEquals(expected, replies, "node 1's replies to a pipeline over topics homed on nodes 1, 2 and 3");
        }
    }

    /**
     * The next home keeps a copy of every latest value, with or without subscribers: after the home
     * stops, the surviving nodes answer GET with the value from the new home.
     */
    @Test
    void latestValuesSurviveTheirHomeStopping() throws Exception
    {
        try (ClusterNodes nodes = new ClusterNodes(3))
        {
            // Topics homed on node 3, for each next home: one with a subscriber there, one with none anywhere.
            final List<String> watched = new ArrayList<>();
            final List<String> unwatched = new ArrayList<>();
            try (LineClient publisher = nodes.client(1); LineClient sub1 = nodes.client(1); LineClient sub2 = nodes.client(2))
            {
                for (final int backup : new int[] {1, 2})
                {
                    final LineClient subscriber = backup == 1 ? sub1 : sub2;
                    final String topic = ClusterNodes.topicOn("kept.w", "", 3, backup, ALL);
                    watched.add(topic);
                    unwatched.add(ClusterNodes.topicOn("kept.u", "", 3, backup, ALL));
                    ClusterNodes.subscribe(subscriber, topic);
                    ClusterEndToEndTest.awaitInterest(publisher, topic, subscriber);
                }
                for (int i = 0; i < 20; i++)
                {
                    for (int t = 0; t < 2; t++)
                    {
                        publisher.send("PUB " + unwatched.get(t) + " u" + i);
                        publisher.send("PUB " + watched.get(t) + " w" + i);
                    }
                }
                // The home orders the unwatched value before the watched one and sends both to the next
                // home over one link in that order: once the subscriber there has the last watched
                // value, the next home has stored the last unwatched one too.
                ClusterNodes.readUntil(sub1, "UPDATED " + watched.get(0) + " w19");
                ClusterNodes.readUntil(sub2, "UPDATED " + watched.get(1) + " w19");
            }
            nodes.stop(3);
            nodes.awaitUp(2);
            for (final int id : new int[] {1, 2})
            {
                try (LineClient reader = nodes.client(id))
                {
                    for (int t = 0; t < 2; t++)
                    {
                        reader.send("GET " + watched.get(t));
                        assertEquals("VALUE " + watched.get(t) + " w19", reader.readLine(), "node " + id + ", a value with a subscriber");
                        reader.send("GET " + unwatched.get(t));
                        assertEquals("VALUE " + unwatched.get(t) + " u19", reader.readLine(), "node " + id + ", a value with no subscriber");
                    }
                }
            }
        }
    }

    /**
     * GETs pipelined on node 1 to a topic homed on node 3 while node 3 stops: the ones waiting for
     * it are asked again of the new home (or answered here), so every GET is answered with the
     * value, in order, and the connection's later commands run.
     */
    @Test
    void getsWaitingForAHomeThatStopsAreAnsweredByTheNextHome() throws Exception
    {
        try (ClusterNodes nodes = new ClusterNodes(3))
        {
            final String topic = ClusterNodes.topicOn("waiting.", "", 3, 2, ALL);
            try (LineClient publisher = nodes.client(1); LineClient backup = nodes.client(2))
            {
                ClusterNodes.subscribe(backup, topic);
                ClusterEndToEndTest.awaitInterest(publisher, topic, backup);
                publisher.send("PUB " + topic + " kept");
                ClusterNodes.readUntil(backup, "UPDATED " + topic + " kept"); // the next home has its copy
            }
            try (LineClient reader = nodes.client(1))
            {
                final int count = 3000;
                reader.sendRaw(("GET " + topic + "\r\n").repeat(count) + "PING end\r\n");
                nodes.stop(3);
                for (int i = 0; i < count; i++)
                {
                    assertEquals("VALUE " + topic + " kept", reader.readLine(), "GET " + i + " of " + count);
                }
                assertEquals("PONG end", reader.readLine());
                reader.send("GET " + topic);
                assertEquals("VALUE " + topic + " kept", reader.readLine(), "from the new home, node 2");
            }
        }
    }

    /** GETs on {@code client} until the value is {@code value}: the PUB before went to its home on another link. */
    private static void awaitValue(final LineClient client, final String topic, final String value) throws Exception
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        String reply;
        do
        {
            client.send("GET " + topic);
            reply = client.readLine();
            if (reply.equals("VALUE " + topic + " " + value))
            {
                return;
            }
        }
        while (System.nanoTime() < deadline);
        assertEquals("VALUE " + topic + " " + value, reply, "never stored");
    }
}
