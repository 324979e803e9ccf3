package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * RandomizedModelTest's model (one engine) against three nodes: clients on every node doing
 * random SUB and UNSUB of exact topics and overlapping patterns, GETs and reconnects, then random
 * PUBs; every reply and delivery checked against who was subscribed when.
 *
 * <p>Interest spreads asynchronously, so the rounds have barriers the single-node test does not
 * need. After phase A (subscription changes, GETs, reconnects) each node's STATS must show its
 * subscriptions as the model has them (so disconnects are applied); then a sync client on each
 * node subscribes to a fresh topic homed on each node and probes are published until all three
 * have one: that subscription's interest followed every earlier change of its node on the same
 * link, so every home now knows all of them. After phase B (PUBs), each client's PING says its
 * node has applied (forwarded) its PUBs; then one marker from each node to a topic homed on each
 * node, awaited by a mark client on each node, says every home has ordered every PUB and every
 * node has applied every resulting delivery; a last PING per client collects them. The checks are
 * the single-node ones: exactly the expected deliveries, once per connection, each publisher's
 * order per topic (across topics only per node of their homes, as docs/protocol.md says), one
 * order per topic on all nodes, and GET answers one of the possible latest values.
 *
 * <p>One driving thread and a seeded {@link Random}: rerun a failure with {@code -Dmodel.seed=N}.
 */
@ExtendWith(NettyLeakGuard.class)
class ClusterRandomizedModelTest
{
    private static final int[] ALL = {1, 2, 3};
    private static final int CLIENTS = 9;
    private static final String[] TOPICS = {"m.0.x", "m.0.y", "m.1.x", "m.1.y", "n.1.x", "m.2", "n.2.y", "m.3.x"};
    private static final Set<String> MODEL_TOPICS = Set.of(TOPICS);
    private static final String[] PATTERNS = {"m.*.x", "m.>", "*.1.*", ">", "m.0.*", "*.*.y", "n.>", "m.*"};
    private static final int ROUNDS = Integer.getInteger("model.rounds", 40);

    @Test
    @Timeout(120)
    void clusterDeliversExactlyWhatTheOneEngineModelPredicts() throws Exception
    {
        final Set<Integer> homes = new TreeSet<>();
        for (final String topic : TOPICS)
        {
            homes.add(ClusterNodes.home(topic, ALL));
        }
        assertEquals(Set.of(1, 2, 3), homes, "the model's topics must be homed on every node");
        final long seed = Long.getLong("model.seed", System.nanoTime());
        try (ClusterNodes nodes = ClusterNodes.steady(); Driver driver = new Driver(nodes, new Random(seed)))
        {
            driver.run(ROUNDS);
            System.out.printf("cluster randomized model: seed=%d rounds=%d publishes=%d deliveries=%d reconnects=%d gets=%d%n",
                seed, ROUNDS, driver.publishes, driver.deliveries, driver.reconnects, driver.gets);
            assertTrue(driver.deliveries > 200, "the run must actually deliver something");
        }
        catch (final Exception | AssertionError failure)
        {
            throw new AssertionError("failed with -Dmodel.seed=" + seed + ": " + failure.getMessage(), failure);
        }
    }

    /** One modelled client: its connection, the node it is on, and what the model says it subscribes to. */
    private static final class Client
    {
        final int id;
        final int node;
        LineClient connection;
        final Set<String> subscriptions = new TreeSet<>();
        final List<String> expectedReplies = new ArrayList<>();
        final List<Delivery> expectedDeliveries = new ArrayList<>();
        final List<Delivery> received = new ArrayList<>();

        Client(final int id, final int node, final LineClient connection)
        {
            this.id = id;
            this.node = node;
            this.connection = connection;
        }
    }

    /** A delivered message: topic, publisher and that publisher's sequence number. */
    private record Delivery(String topic, int publisher, long sequence)
    {
        String message()
        {
            return "p" + publisher + "." + sequence;
        }

        static Delivery parse(final String updatedLine)
        {
            final String[] parts = updatedLine.split(" ", 3);
            if (parts.length != 3 || !parts[0].equals("UPDATED") || !parts[2].startsWith("p"))
            {
                throw new AssertionError("not a delivery of this test: " + updatedLine);
            }
            final int dot = parts[2].indexOf('.');
            return new Delivery(parts[1], Integer.parseInt(parts[2].substring(1, dot)), Long.parseLong(parts[2].substring(dot + 1)));
        }
    }

    /** Drives the rounds and holds the model. Used by the test thread only. */
    private static final class Driver implements AutoCloseable
    {
        private final ClusterNodes nodes;
        private final Random random;
        private final Client[] clients = new Client[CLIENTS];
        /** Per node (index = id): a subscriber of the sync topics, one of the markers, and a publisher of both. */
        private final LineClient[] sync = new LineClient[4];
        private final LineClient[] marks = new LineClient[4];
        private final LineClient[] control = new LineClient[4];
        private final String[] markTopics = new String[4];
        private final Map<String, Set<String>> latestCandidates = new HashMap<>();
        private long nextSequence;
        long publishes;
        long deliveries;
        long reconnects;
        long gets;

        Driver(final ClusterNodes nodes, final Random random) throws IOException
        {
            this.nodes = nodes;
            this.random = random;
            for (int c = 0; c < CLIENTS; c++)
            {
                final int node = c % 3 + 1;
                clients[c] = new Client(c, node, nodes.client(node));
            }
            for (final int id : ALL)
            {
                sync[id] = nodes.client(id);
                marks[id] = nodes.client(id);
                control[id] = nodes.client(id);
                markTopics[id] = ClusterNodes.topicOn("mark.", "", id, 0, ALL);
            }
            for (final int home : ALL)
            {
                for (final int id : ALL)
                {
                    ClusterNodes.subscribe(marks[id], markTopics[home]);
                }
                ClusterEndToEndTest.awaitInterest(control[1], markTopics[home], marks[1], marks[2], marks[3]);
            }
        }

        void run(final int rounds) throws IOException
        {
            for (int round = 0; round < rounds; round++)
            {
                try
                {
                    subscriptionPhase();
                    awaitSubscriptionCounts();
                    syncInterest(round);
                    publishPhase(round);
                }
                catch (final IOException | RuntimeException | AssertionError ex)
                {
                    throw new AssertionError("round " + round + ": " + ex.getMessage() + "\nmodel: " + describeModel(), ex);
                }
            }
        }

        // ------------------------------------------------------------ phase A

        private void subscriptionPhase() throws IOException
        {
            for (final Client client : clients)
            {
                final int steps = random.nextInt(4);
                final StringBuilder batch = new StringBuilder();
                for (int s = 0; s < steps; s++)
                {
                    final int dice = random.nextInt(100);
                    final String topic = TOPICS[random.nextInt(TOPICS.length)];
                    if (dice < 45)
                    {
                        final String target = random.nextBoolean() ? topic : PATTERNS[random.nextInt(PATTERNS.length)];
                        batch.append("SUB ").append(target).append("\r\n");
                        client.subscriptions.add(target);
                        client.expectedReplies.add("SUBSCRIBED " + target);
                    }
                    else if (dice < 80)
                    {
                        final String target = unsubscriptionTarget(client, topic);
                        batch.append("UNSUB ").append(target).append("\r\n");
                        client.subscriptions.remove(target);
                        client.expectedReplies.add("UNSUBSCRIBED " + target);
                    }
                    else if (dice < 95)
                    {
                        // GETs of topics homed elsewhere wait for their home, pipelined with the rest.
                        batch.append("GET ").append(topic).append("\r\n");
                        client.expectedReplies.add("GET " + topic);
                        gets++;
                    }
                    else
                    {
                        client.connection.sendRaw(batch.toString());
                        batch.setLength(0);
                        readReplies(client);
                        reconnects++;
                        client.connection.close();
                        client.subscriptions.clear();
                        client.connection = nodes.client(client.node);
                    }
                }
                client.connection.sendRaw(batch.toString());
            }
            for (final Client client : clients)
            {
                readReplies(client);
            }
        }

        private String unsubscriptionTarget(final Client client, final String topic)
        {
            if (!client.subscriptions.isEmpty() && random.nextBoolean())
            {
                final List<String> own = new ArrayList<>(client.subscriptions);
                return own.get(random.nextInt(own.size()));
            }
            return random.nextBoolean() ? topic : PATTERNS[random.nextInt(PATTERNS.length)];
        }

        private void readReplies(final Client client) throws IOException
        {
            for (final String expected : client.expectedReplies)
            {
                final String line = client.connection.readLine();
                if (expected.startsWith("GET "))
                {
                    checkValue(expected.substring(4), line, client);
                }
                else
                {
                    assertEquals(expected, line, "client " + client.id + " on node " + client.node);
                }
            }
            client.expectedReplies.clear();
        }

        private void checkValue(final String topic, final String line, final Client client)
        {
            final Set<String> candidates = latestCandidates.get(topic);
            final String where = "GET " + topic + " on node " + client.node + " (home " + ClusterNodes.home(topic, ALL) + ")";
            if (candidates == null)
            {
                assertEquals("NOVALUE " + topic, line, where);
                return;
            }
            assertTrue(line.startsWith("VALUE " + topic + " "), () -> where + ": expected a VALUE, got " + line);
            final String value = line.substring(("VALUE " + topic + " ").length());
            assertTrue(candidates.contains(value), () -> where + " answered " + value + ", expected one of " + candidates);
        }

        /** Each node's STATS agrees with the model's subscriptions on it: its disconnects are applied. */
        private void awaitSubscriptionCounts() throws IOException
        {
            for (final int id : ALL)
            {
                long expected = 3; // the mark client's
                for (final Client client : clients)
                {
                    if (client.node == id)
                    {
                        expected += client.subscriptions.size();
                    }
                }
                final long want = expected;
                final long deadline = System.nanoTime() + 10_000_000_000L;
                Map<String, Long> stats;
                do
                {
                    stats = StatsReader.read(control[id]);
                    if (stats.get("subscriptions") == want)
                    {
                        break;
                    }
                }
                while (System.nanoTime() < deadline);
                assertEquals(want, stats.get("subscriptions"), "node " + id + "'s subscriptions");
            }
        }

        /** Every home has applied every node's interest changes of phase A (see the class comment). */
        private void syncInterest(final int round) throws IOException
        {
            final List<String> topics = new ArrayList<>();
            for (final int home : ALL)
            {
                topics.add(ClusterNodes.topicOn("sync.r" + round + ".", "", home, 0, ALL));
            }
            for (final int id : ALL)
            {
                for (final String topic : topics)
                {
                    ClusterNodes.subscribe(sync[id], topic);
                }
            }
            for (final String topic : topics)
            {
                ClusterEndToEndTest.awaitInterest(control[1], topic, sync[1], sync[2], sync[3]);
            }
            for (final int id : ALL)
            {
                for (final String topic : topics)
                {
                    sync[id].send("UNSUB " + topic);
                    String reply;
                    do
                    {
                        reply = sync[id].readLine();
                    }
                    while (reply.endsWith(" probe"));
                    assertEquals("UNSUBSCRIBED " + topic, reply);
                }
            }
        }

        // ------------------------------------------------------------ phase B

        private void publishPhase(final int round) throws IOException
        {
            final Map<String, List<Delivery>> publishedPerTopic = new LinkedHashMap<>();
            for (final Client publisher : clients)
            {
                final int count = random.nextInt(7);
                final StringBuilder batch = new StringBuilder();
                for (int m = 0; m < count; m++)
                {
                    final String topic = TOPICS[random.nextInt(TOPICS.length)];
                    final Delivery delivery = new Delivery(topic, publisher.id, nextSequence++);
                    batch.append("PUB ").append(topic).append(' ').append(delivery.message()).append("\r\n");
                    publishedPerTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(delivery);
                    for (final Client subscriber : clients)
                    {
                        if (PatternRules.matchesAny(subscriber.subscriptions, topic))
                        {
                            subscriber.expectedDeliveries.add(delivery);
                        }
                    }
                    publishes++;
                }
                publisher.connection.sendRaw(batch.toString());
            }
            barrier("a" + round);
            // Every node has forwarded its PUBs; a marker from each node to each home follows them.
            final List<String> markers = new ArrayList<>();
            for (final int from : ALL)
            {
                for (final int home : ALL)
                {
                    control[from].send("PUB " + markTopics[home] + " r" + round + "from" + from);
                    markers.add("UPDATED " + markTopics[home] + " r" + round + "from" + from);
                }
            }
            for (final int id : ALL)
            {
                ClusterNodes.readUntilAll(marks[id], markers);
            }
            barrier("b" + round);
            checkDeliveries();
            updateLatest(publishedPerTopic);
        }

        private void barrier(final String token) throws IOException
        {
            for (final Client client : clients)
            {
                client.connection.send("PING " + token);
            }
            for (final Client client : clients)
            {
                String line;
                while (!(line = client.connection.readLine()).equals("PONG " + token))
                {
                    final String topic = line.split(" ", 3)[1];
                    if (MODEL_TOPICS.contains(topic))
                    {
                        client.received.add(Delivery.parse(line));
                    }
                    else
                    {
                        // A pattern such as > also matches the barriers' sync and mark topics: not the model's.
                        final String other = line;
                        assertTrue(topic.startsWith("sync.") || topic.startsWith("mark."), () -> "a delivery of no topic of this test: " + other);
                    }
                }
            }
        }

        private Map<String, List<Delivery>> lastOrders = Map.of();

        private void checkDeliveries()
        {
            final Map<String, List<Delivery>> orderPerTopic = new HashMap<>();
            for (final Client client : clients)
            {
                final String who = "client " + client.id + " on node " + client.node;
                final Set<Delivery> unique = new HashSet<>(client.received);
                assertEquals(client.received.size(), unique.size(), () -> who + " got duplicates: " + client.received);
                final Set<Delivery> expected = new HashSet<>(client.expectedDeliveries);
                if (!unique.equals(expected))
                {
                    final Set<Delivery> missing = new HashSet<>(expected);
                    missing.removeAll(unique);
                    final Set<Delivery> unexpected = new HashSet<>(unique);
                    unexpected.removeAll(expected);
                    fail(who + " subscribed to " + client.subscriptions + ": missing " + missing + ", unexpected " + unexpected);
                }
                // A publisher's order holds per topic: across topics homed on different nodes it need not.
                final Map<String, Long> lastSequence = new HashMap<>();
                for (final Delivery delivery : client.received)
                {
                    final Long previous = lastSequence.put(delivery.publisher() + " " + delivery.topic(), delivery.sequence());
                    assertTrue(previous == null || previous < delivery.sequence(), () -> who + " got publisher " + delivery.publisher()
                        + "'s messages to " + delivery.topic() + " out of order: " + client.received);
                }
                final Map<String, List<Delivery>> perTopic = new HashMap<>();
                client.received.forEach(d -> perTopic.computeIfAbsent(d.topic(), t -> new ArrayList<>()).add(d));
                perTopic.forEach((topic, order) ->
                {
                    final List<Delivery> seen = orderPerTopic.putIfAbsent(topic, order);
                    assertTrue(seen == null || seen.equals(order),
                        () -> "subscribers of " + topic + " saw different orders: " + seen + " vs " + order + " (" + who + ")");
                });
                deliveries += client.received.size();
                client.received.clear();
                client.expectedDeliveries.clear();
            }
            lastOrders = orderPerTopic;
        }

        /** The latest value is exact where a subscriber saw the topic's order, else one of each publisher's last. */
        private void updateLatest(final Map<String, List<Delivery>> publishedPerTopic)
        {
            publishedPerTopic.forEach((topic, published) ->
            {
                final List<Delivery> order = lastOrders.get(topic);
                if (order != null && order.size() == published.size())
                {
                    latestCandidates.put(topic, Set.of(order.get(order.size() - 1).message()));
                    return;
                }
                final Map<Integer, String> lastPerPublisher = new HashMap<>();
                published.forEach(d -> lastPerPublisher.put(d.publisher(), d.message()));
                latestCandidates.put(topic, new HashSet<>(lastPerPublisher.values()));
            });
        }

        private String describeModel()
        {
            final StringBuilder text = new StringBuilder();
            for (final Client client : clients)
            {
                text.append("client ").append(client.id).append("@").append(client.node).append(' ').append(client.subscriptions).append("; ");
            }
            return text.toString();
        }

        @Override
        public void close() throws IOException
        {
            for (final Client client : clients)
            {
                client.connection.close();
            }
            for (final int id : ALL)
            {
                sync[id].close();
                marks[id].close();
                control[id].close();
            }
        }
    }
}
