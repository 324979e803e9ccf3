package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token patterns across a cluster: subscribers of {@code news.>} and {@code news.*} on several
 * nodes, publishers on two nodes, topics homed on every node. Three nodes in this JVM.
 */
@ExtendWith(NettyLeakGuard.class)
class ClusterPatternsTest
{
    private static final int[] ALL = {1, 2, 3};
    private static final Predicate<String> ANY_TOKENS = t -> t.startsWith("news.");
    private static final Predicate<String> ONE_TOKEN = t -> t.startsWith("news.") && t.indexOf('.', 5) < 0;

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

    @Test
    void patternSubscribersOnEveryNodeSeeExactlyTheirTopicsOnceInOneOrderUntilTheyUnsubscribe() throws Exception
    {
        final List<String> topics = new ArrayList<>();
        for (final int home : ALL)
        {
            topics.add(ClusterNodes.topicOn("news.t", "", home, 0, ALL));
            topics.add(ClusterNodes.topicOn("news.d", ".deep", home, 0, ALL));
            topics.add(ClusterNodes.topicOn("other.t", "", home, 0, ALL));
        }
        topics.add("news");
        final String exact = topics.get(0); // news.t…, homed on node 1
        try (LineClient deepOn2 = cluster.client(2); LineClient oneOn3 = cluster.client(3); LineClient allOn3 = cluster.client(3);
             LineClient oneOn1 = cluster.client(1); LineClient pub1 = cluster.client(1); LineClient pub2 = cluster.client(2))
        {
            subscribe(deepOn2, "news.>");
            subscribe(oneOn3, "news.*");
            subscribe(allOn3, "news.>");
            subscribe(allOn3, "news.*");
            subscribe(allOn3, exact);
            subscribe(oneOn1, "news.*");
            final Map<LineClient, Predicate<String>> subscribers = new LinkedHashMap<>();
            subscribers.put(deepOn2, ANY_TOKENS);
            subscribers.put(oneOn3, ONE_TOKEN);
            subscribers.put(allOn3, ANY_TOKENS);
            subscribers.put(oneOn1, ONE_TOKEN);
            // Interest in both patterns has reached every home: probes of one and of three tokens.
            for (final int home : ALL)
            {
                ClusterEndToEndTest.awaitInterest(pub1, ClusterNodes.topicOn("news.p", "", home, 0, ALL), deepOn2, oneOn3, allOn3, oneOn1);
                ClusterEndToEndTest.awaitInterest(pub1, ClusterNodes.topicOn("news.p", ".deep", home, 0, ALL), deepOn2, allOn3);
            }

            final int rounds = 100;
            final StringBuilder batch1 = new StringBuilder();
            final StringBuilder batch2 = new StringBuilder();
            for (int i = 0; i <= rounds; i++)
            {
                final String suffix = i == rounds ? "end" : Integer.toString(i);
                for (final String topic : topics)
                {
                    batch1.append("PUB ").append(topic).append(" a").append(suffix).append("\r\n");
                    batch2.append("PUB ").append(topic).append(" b").append(suffix).append("\r\n");
                }
            }
            pub1.sendRaw(batch1.toString());
            pub2.sendRaw(batch2.toString());

            final Map<LineClient, List<String>> seen = new LinkedHashMap<>();
            for (final Map.Entry<LineClient, Predicate<String>> entry : subscribers.entrySet())
            {
                final Predicate<String> matches = entry.getValue();
                final List<String> ends = new ArrayList<>();
                final Set<String> expected = new HashSet<>();
                for (final String topic : topics)
                {
                    if (matches.test(topic))
                    {
                        ends.add("UPDATED " + topic + " aend");
                        ends.add("UPDATED " + topic + " bend");
                        for (int i = 0; i <= rounds; i++)
                        {
                            final String suffix = i == rounds ? "end" : Integer.toString(i);
                            expected.add("UPDATED " + topic + " a" + suffix);
                            expected.add("UPDATED " + topic + " b" + suffix);
                        }
                    }
                }
                final List<String> lines = withoutProbes(ClusterNodes.readUntilAll(entry.getKey(), ends));
                assertEquals(expected.size(), lines.size(), "each matching message once, nothing else");
                assertEquals(expected, new HashSet<>(lines), "the matching messages");
                seen.put(entry.getKey(), lines);
            }
            for (final String topic : topics)
            {
                List<String> first = null;
                for (final List<String> lines : seen.values())
                {
                    final List<String> order = lines.stream().filter(line -> line.startsWith("UPDATED " + topic + " ")).toList();
                    if (order.isEmpty())
                    {
                        continue;
                    }
                    assertPublisherOrder(order);
                    if (first == null)
                    {
                        first = order;
                    }
                    else
                    {
                        assertEquals(first, order, "two subscribers saw " + topic + " in different orders");
                    }
                }
            }

            unsubscribingStopsDeliveriesClusterWide(topics, deepOn2, oneOn3, pub1, pub2);
        }
    }

    /**
     * The {@code news.>} subscriber on node 2 unsubscribes: afterwards it receives nothing, and
     * (as node 2 has no other subscriber) the homes on nodes 1 and 3 send node 2 only the next-home
     * copies, which it keeps and delivers to nobody.
     */
    private static void unsubscribingStopsDeliveriesClusterWide(
        final List<String> topics, final LineClient deepOn2, final LineClient oneOn3, final LineClient pub1, final LineClient pub2)
        throws IOException
    {
        deepOn2.send("UNSUB news.>");
        String reply;
        do
        {
            reply = deepOn2.readLine(); // deliveries before the UNSUB's reply (probes) may still come
        }
        while (reply.startsWith("UPDATED "));
        assertEquals("UNSUBSCRIBED news.>", reply);
        // Its interest in a mark topic on each home follows the removal over the same link: once a
        // mark arrives, that home has applied the UNSUB.
        final List<String> marks = new ArrayList<>();
        for (final int home : ALL)
        {
            final String mark = ClusterNodes.topicOn("mark.", "", home, 0, ALL);
            marks.add(mark);
            subscribe(deepOn2, mark);
            ClusterEndToEndTest.awaitInterest(pub1, mark, deepOn2);
        }
        // Both publishers' earlier messages have reached node 2 once their marks have.
        final List<String> settled = new ArrayList<>();
        for (final String mark : marks)
        {
            pub1.send("PUB " + mark + " settled1");
            pub2.send("PUB " + mark + " settled2");
            settled.add("UPDATED " + mark + " settled1");
            settled.add("UPDATED " + mark + " settled2");
        }
        final List<String> beforeSettled = withoutProbes(ClusterNodes.readUntilAll(deepOn2, settled));
        beforeSettled.removeAll(settled);
        assertEquals(List.of(), beforeSettled, "nothing but marks after the UNSUB");
        final long fromHomesBefore = cluster.stats(2).get("cluster_from_homes");

        long expectedFromHomes = 0;
        final List<String> after = new ArrayList<>();
        final List<String> oneTokenLast = new ArrayList<>();
        for (final String topic : topics)
        {
            for (int i = 0; i < 20; i++)
            {
                pub1.send("PUB " + topic + " late-a" + i);
                pub2.send("PUB " + topic + " late-b" + i);
            }
            final int home = ClusterNodes.home(topic, ALL);
            if (home != 2 && ClusterNodes.backup(topic, ALL) == 2)
            {
                expectedFromHomes += 40; // the next home's copy
            }
            if (ONE_TOKEN.test(topic))
            {
                oneTokenLast.add("UPDATED " + topic + " late-a19");
                oneTokenLast.add("UPDATED " + topic + " late-b19");
            }
        }
        for (final String mark : marks)
        {
            pub1.send("PUB " + mark + " after1");
            pub2.send("PUB " + mark + " after2");
            after.add("UPDATED " + mark + " after1");
            after.add("UPDATED " + mark + " after2");
            if (ClusterNodes.home(mark, ALL) != 2)
            {
                expectedFromHomes += 2;
            }
        }
        final List<String> lines = withoutProbes(ClusterNodes.readUntilAll(deepOn2, after));
        lines.removeAll(after);
        assertEquals(List.of(), lines, "the unsubscribed connection received publications");
        assertEquals(expectedFromHomes, cluster.stats(2).get("cluster_from_homes") - fromHomesBefore,
            "the homes kept sending node 2 publications of topics it no longer listens to");
        ClusterNodes.readUntilAll(oneOn3, oneTokenLast); // the other subscribers carry on
    }

    private static void subscribe(final LineClient client, final String topic) throws IOException
    {
        ClusterNodes.subscribe(client, topic);
    }

    private static List<String> withoutProbes(final List<String> lines)
    {
        final List<String> kept = new ArrayList<>();
        for (final String line : lines)
        {
            if (!line.startsWith("UPDATED news.p") || !line.endsWith(" probe"))
            {
                kept.add(line);
            }
        }
        return kept;
    }

    /** Within one topic, each publisher's messages in the order sent: a0, a1, ..., aend. */
    private static void assertPublisherOrder(final List<String> order)
    {
        final Map<Character, Integer> next = new LinkedHashMap<>();
        for (final String line : order)
        {
            final String message = line.substring(line.indexOf(' ', "UPDATED ".length()) + 1);
            final char publisher = message.charAt(0);
            final String rest = message.substring(1);
            final int index = rest.equals("end") ? Integer.MAX_VALUE : Integer.parseInt(rest);
            final int expected = next.getOrDefault(publisher, 0);
            assertTrue(index == Integer.MAX_VALUE || index == expected, () -> "publisher " + publisher + " out of order in " + order);
            next.put(publisher, index == Integer.MAX_VALUE ? Integer.MAX_VALUE : expected + 1);
        }
    }
}
