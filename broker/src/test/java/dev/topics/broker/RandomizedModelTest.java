package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
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
 * Many clients doing random SUB, UNSUB, GET, PUB and disconnects against the real broker, every
 * reply and delivery checked against a model of who was subscribed when.
 *
 * <p>The model is exact because the driver works in rounds. Phase A: subscription changes, GETs
 * and reconnects, pipelined on every client at once; no PUB is in flight, so their replies are
 * all a client may receive. Phase B: PUBs, pipelined on every client at once; subscriptions do not
 * change during it, so each PUB's recipients are known, whichever order the engine takes the
 * clients in. Two PING barriers end phase B: after the first, every PUB of the round has been
 * through the engine; after the second, every resulting delivery has been written before each
 * client's PONG. Across clients the order is not fixed, so the checks are the guarantees: exactly
 * the expected deliveries (no loss, no duplicate, nothing to a connection not subscribed), each
 * publisher's order kept, and one order per topic shared by all its subscribers. STATS must agree
 * with the model's connection, subscription, pattern, topic and protocol error counts after every
 * round.
 *
 * <p>Clients subscribe to exact topics and to patterns whose matches overlap ({@code m.*.x},
 * {@code m.>}, {@code *.1.*}, {@code >}, ...), so one connection often holds several
 * subscriptions matching the same topic: the model expects each message once per connection,
 * whatever the number of its subscriptions that match ({@link PatternRules} is its oracle). Now and
 * then a client sends a malformed pattern or publishes to a pattern, which must be refused with
 * nothing delivered. A second run uses a route cache far smaller than the topics, so that routes
 * are evicted and resolved again all the time, and must not change a single delivery.
 *
 * <p>One driving thread and a seeded {@link Random}: rerun a failure with {@code -Dmodel.seed=N}.
 */
@ExtendWith(NettyLeakGuard.class)
class RandomizedModelTest
{
    private static final int CLIENTS = 8;
    /** Concrete topics, chosen so that the patterns below overlap on them. */
    private static final String[] TOPICS = {"m.0.x", "m.0.y", "m.1.x", "m.1.y", "n.1.x", "m.2"};
    private static final String[] PATTERNS = {"m.*.x", "m.>", "*.1.*", ">", "m.0.*", "*.*.y", "n.>", "m.*"};
    /** Patterns that break the rules: SUB and UNSUB refuse them (PUB and GET refuse every pattern). */
    private static final String[] MALFORMED = {"m.>.x", "m..*", "*.", ".>"};
    /** The reply to every refused command of this test, before its human text. */
    private static final String BAD_TOPIC = "ERR bad-topic";
    private static final int ROUNDS = Integer.getInteger("model.rounds", 150);
    private static final long STATS_WAIT_MS = 5_000;

    @Test
    @Timeout(120)
    void shouldDeliverExactlyWhatTheSubscriptionModelPredicts()
    {
        runModel(TestBrokers.loopback().ioThreads(2), ROUNDS, 1_000);
    }

    /**
     * Six topics through a route cache of two: nearly every publish evicts a route. One I/O
     * thread, so that where the engine placement is automatic this run also covers the engine on
     * the I/O thread (two I/O threads always place it on its own).
     */
    @Test
    @Timeout(120)
    void shouldDeliverExactlyWhatTheModelPredictsThroughATinyRouteCache()
    {
        runModel(TestBrokers.loopback().routeCacheTopics(2), Math.max(1, ROUNDS / 3), 300);
    }

    private static void runModel(final BrokerConfig.Builder config, final int rounds, final long minDeliveries)
    {
        final long seed = Long.getLong("model.seed", System.nanoTime());
        final BrokerConfig built = config.build();
        try (TopicsBroker broker = TopicsBroker.launch(built);
             Driver driver = new Driver(broker.address(), new Random(seed)))
        {
            driver.run(rounds);
            System.out.printf("randomized model: seed=%d rounds=%d engine=%s route-cache=%d ops=%d publishes=%d deliveries=%d"
                + " reconnects=%d refused=%d%n", seed, rounds, built.resolvedEnginePlacement(), built.routeCacheTopics(), driver.ops,
                driver.publishes, driver.deliveries, driver.reconnects, driver.refused);
            assertTrue(driver.deliveries > minDeliveries, "the run must actually deliver something");
        }
        catch (final Throwable failure)
        {
            System.out.println("randomized model test failed; rerun with -Dmodel.seed=" + seed);
            throw new AssertionError("failed with -Dmodel.seed=" + seed + ": " + failure.getMessage(), failure);
        }
    }

    /** One modelled client: its current connection and what the model says it subscribes to. */
    private static final class Client
    {
        final int id;
        LineClient connection;
        final Set<String> subscriptions = new TreeSet<>();
        final List<String> expectedReplies = new ArrayList<>();
        final List<Delivery> expectedDeliveries = new ArrayList<>();
        final List<Delivery> received = new ArrayList<>();

        Client(final int id, final LineClient connection)
        {
            this.id = id;
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
        private final InetSocketAddress address;
        private final Random random;
        private final Client[] clients = new Client[CLIENTS];
        private final LineClient control;
        /** Per topic, the values GET may answer: one when the order is known, several when not. */
        private final Map<String, Set<String>> latestCandidates = new HashMap<>();
        private long nextSequence;
        long ops;
        long publishes;
        long deliveries;
        long reconnects;
        long refused;

        Driver(final InetSocketAddress address, final Random random) throws IOException
        {
            this.address = address;
            this.random = random;
            for (int c = 0; c < CLIENTS; c++)
            {
                clients[c] = new Client(c, new LineClient(address));
            }
            control = new LineClient(address);
        }

        void run(final int rounds) throws IOException
        {
            for (int round = 0; round < rounds; round++)
            {
                try
                {
                    subscriptionPhase();
                    checkStats();
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
                    ops++;
                    if (dice < 42)
                    {
                        final String target = subscriptionTarget(topic);
                        batch.append("SUB ").append(target).append("\r\n");
                        client.subscriptions.add(target);
                        client.expectedReplies.add("SUBSCRIBED " + target);
                    }
                    else if (dice < 76)
                    {
                        final String target = unsubscriptionTarget(client, topic);
                        batch.append("UNSUB ").append(target).append("\r\n");
                        client.subscriptions.remove(target);
                        client.expectedReplies.add("UNSUBSCRIBED " + target);
                    }
                    else if (dice < 90)
                    {
                        batch.append("GET ").append(topic).append("\r\n");
                        client.expectedReplies.add("GET " + topic);
                    }
                    else if (dice < 95)
                    {
                        batch.append(refusedCommand()).append("\r\n");
                        client.expectedReplies.add(BAD_TOPIC);
                        refused++;
                    }
                    else
                    {
                        client.connection.sendRaw(batch.toString());
                        batch.setLength(0);
                        readReplies(client);
                        reconnect(client);
                    }
                }
                client.connection.sendRaw(batch.toString());
            }
            for (final Client client : clients)
            {
                readReplies(client);
            }
        }

        /** Half the time the exact topic, else one of the patterns. */
        private String subscriptionTarget(final String topic)
        {
            return random.nextBoolean() ? topic : PATTERNS[random.nextInt(PATTERNS.length)];
        }

        /** Half the time one of the client's own subscriptions, so that UNSUB often ends one. */
        private String unsubscriptionTarget(final Client client, final String topic)
        {
            if (!client.subscriptions.isEmpty() && random.nextBoolean())
            {
                final List<String> own = new ArrayList<>(client.subscriptions);
                return own.get(random.nextInt(own.size()));
            }
            return subscriptionTarget(topic);
        }

        /** A SUB or UNSUB of a malformed pattern, or a PUB or GET of a pattern: each is answered ERR bad-topic. */
        private String refusedCommand()
        {
            final String malformed = MALFORMED[random.nextInt(MALFORMED.length)];
            final String pattern = PATTERNS[random.nextInt(PATTERNS.length)];
            return switch (random.nextInt(4))
            {
                case 0 -> "SUB " + malformed;
                case 1 -> "UNSUB " + malformed;
                case 2 -> "PUB " + pattern + " refused";
                default -> "GET " + pattern;
            };
        }

        private void readReplies(final Client client) throws IOException
        {
            for (final String expected : client.expectedReplies)
            {
                final String line = client.connection.readLine();
                if (expected.startsWith("GET "))
                {
                    checkValue(expected.substring(4), line);
                }
                else if (expected.equals(BAD_TOPIC))
                {
                    assertTrue(line.startsWith(BAD_TOPIC + " "), () -> "client " + client.id + ": expected " + BAD_TOPIC + ", got " + line);
                }
                else
                {
                    assertEquals(expected, line, "client " + client.id);
                }
            }
            client.expectedReplies.clear();
        }

        private void checkValue(final String topic, final String line)
        {
            final Set<String> candidates = latestCandidates.get(topic);
            if (candidates == null)
            {
                assertEquals("NOVALUE " + topic, line);
                return;
            }
            assertTrue(line.startsWith("VALUE " + topic + " "), () -> "expected a VALUE of " + topic + ", got " + line);
            final String value = line.substring(("VALUE " + topic + " ").length());
            assertTrue(candidates.contains(value), () -> "GET " + topic + " answered " + value + ", expected one of " + candidates);
        }

        /** Leaves by QUIT, by an orderly close or by a TCP reset, then connects afresh. */
        private void reconnect(final Client client) throws IOException
        {
            reconnects++;
            switch (random.nextInt(3))
            {
                case 0 ->
                {
                    client.connection.send("QUIT");
                    assertEquals("BYE", client.connection.readLine());
                    assertTrue(client.connection.isClosedByServer(), "nothing may follow BYE");
                    client.connection.close();
                }
                case 1 -> client.connection.close();
                default -> client.connection.reset();
            }
            client.subscriptions.clear();
            client.connection = new LineClient(address);
        }

        // ------------------------------------------------------------ STATS

        private void checkStats() throws IOException
        {
            final Set<String> live = new HashSet<>(latestCandidates.keySet());
            final Set<String> patterns = new HashSet<>();
            long subscriptions = 0;
            for (final Client client : clients)
            {
                for (final String target : client.subscriptions)
                {
                    (PatternRules.isPattern(target) ? patterns : live).add(target);
                }
                subscriptions += client.subscriptions.size();
            }
            final String expected = "connections=" + (CLIENTS + 1) + " topics=" + live.size() + " subscriptions=" + subscriptions
                + " patterns=" + patterns.size();
            final String errors = " protocol_errors=" + refused + " ";
            // Bounded polling: a closed socket's disconnect reaches the engine asynchronously.
            final long deadline = System.currentTimeMillis() + STATS_WAIT_MS;
            String stats;
            do
            {
                control.send("STATS");
                stats = control.readLine();
                if (stats.contains(" " + expected + " ") && stats.contains(errors))
                {
                    return;
                }
            }
            while (System.currentTimeMillis() < deadline);
            fail("STATS never agreed with the model (" + expected + errors + "): " + stats);
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
                    ops++;
                    publishes++;
                }
                publisher.connection.sendRaw(batch.toString());
            }
            barrier("a" + round);
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
                    client.received.add(Delivery.parse(line));
                }
            }
        }

        private void checkDeliveries()
        {
            final Map<String, List<Delivery>> orderPerTopic = new HashMap<>();
            for (final Client client : clients)
            {
                final Set<Delivery> unique = new HashSet<>(client.received);
                assertEquals(client.received.size(), unique.size(), () -> "client " + client.id + " got duplicates: " + client.received);
                final Set<Delivery> expected = new HashSet<>(client.expectedDeliveries);
                if (!unique.equals(expected))
                {
                    final Set<Delivery> missing = new HashSet<>(expected);
                    missing.removeAll(unique);
                    final Set<Delivery> unexpected = new HashSet<>(unique);
                    unexpected.removeAll(expected);
                    fail("client " + client.id + " subscribed to " + client.subscriptions + ": missing " + missing + ", unexpected " + unexpected);
                }
                checkPublisherOrder(client);
                final Map<String, List<Delivery>> perTopic = new HashMap<>();
                client.received.forEach(d -> perTopic.computeIfAbsent(d.topic(), t -> new ArrayList<>()).add(d));
                perTopic.forEach((topic, order) ->
                {
                    final List<Delivery> seen = orderPerTopic.putIfAbsent(topic, order);
                    assertTrue(seen == null || seen.equals(order),
                        () -> "subscribers of " + topic + " saw different orders: " + seen + " vs " + order + " (client " + client.id + ")");
                });
                deliveries += client.received.size();
                client.received.clear();
                client.expectedDeliveries.clear();
            }
            lastOrders = orderPerTopic;
        }

        private Map<String, List<Delivery>> lastOrders = Map.of();

        private static void checkPublisherOrder(final Client client)
        {
            final Map<Integer, Long> lastSequence = new HashMap<>();
            for (final Delivery delivery : client.received)
            {
                final Long previous = lastSequence.put(delivery.publisher(), delivery.sequence());
                assertTrue(previous == null || previous < delivery.sequence(),
                    () -> "client " + client.id + " got publisher " + delivery.publisher() + "'s messages out of order: " + client.received);
            }
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
                text.append("client ").append(client.id).append(' ').append(client.subscriptions).append("; ");
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
            control.close();
        }
    }
}
