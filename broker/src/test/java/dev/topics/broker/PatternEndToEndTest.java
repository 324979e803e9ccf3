package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pattern subscriptions ({@code SUB orders.*}, {@code SUB orders.>}) over real loopback sockets
 * against the real broker, each test on a broker of its own so that STATS start from zero.
 *
 * <p>Deliveries are collected without timing assumptions: a publisher's PONG means the engine has
 * taken its PUBs, so a PING a subscriber sends after that is answered after every resulting
 * delivery to it ({@link #received}); what came before that PONG is all it will ever get.
 */
@ExtendWith(NettyLeakGuard.class)
@Timeout(60)
class PatternEndToEndTest
{
    /** This test's broker, started by {@link #start}. */
    private TopicsBroker broker;
    /** Every connection the test opened through {@link #connect}, closed after it. */
    private final List<LineClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws IOException
    {
        try
        {
            for (final LineClient client : clients)
            {
                client.close();
            }
        }
        finally
        {
            if (broker != null)
            {
                broker.close();
            }
        }
    }

    private void start(final BrokerConfig.Builder config) throws InterruptedException
    {
        broker = TopicsBroker.launch(config.build());
    }

    private LineClient connect() throws IOException
    {
        final LineClient client = new LineClient(broker.address());
        clients.add(client);
        return client;
    }

    /** A new connection subscribed to {@code targets}. */
    private LineClient subscriber(final String... targets) throws IOException
    {
        final LineClient client = connect();
        subscribe(client, targets);
        return client;
    }

    @Test
    void shouldMatchOneTokenWithStarAndOneOrMoreTokensWithALastGreaterThan() throws Exception
    {
        final String deep = "orders.a.b.c.d.e.f.g.h.i.j";
        final String[] published = {"orders 0", "orders.eu 1", "orders.eu.paid 2", "orders.us.new 3", "orders.us.paid.late 4",
            "other.eu 5", "other 6", "ordersx.eu 7", deep + " 8"};
        // Pattern → what its subscriber receives of the above, written out rather than computed.
        final Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("orders.*", updates("orders.eu 1"));
        expected.put("orders.>", updates("orders.eu 1", "orders.eu.paid 2", "orders.us.new 3", "orders.us.paid.late 4", deep + " 8"));
        expected.put(">", updates(published));
        expected.put("orders.*.paid", updates("orders.eu.paid 2"));
        expected.put("*", updates("orders 0", "other 6"));
        expected.put("*.>", updates("orders.eu 1", "orders.eu.paid 2", "orders.us.new 3", "orders.us.paid.late 4", "other.eu 5",
            "ordersx.eu 7", deep + " 8"));
        expected.put("*.eu", updates("orders.eu 1", "other.eu 5", "ordersx.eu 7"));
        start(TestBrokers.loopback());
        final Map<String, LineClient> subscribers = new LinkedHashMap<>();
        for (final String pattern : expected.keySet())
        {
            subscribers.put(pattern, subscriber(pattern));
        }
        publish(connect(), published);
        for (final Map.Entry<String, List<String>> entry : expected.entrySet())
        {
            assertEquals(entry.getValue(), received(subscribers.get(entry.getKey())), "SUB " + entry.getKey());
        }
    }

    @Test
    void shouldTreatAStarOrGreaterThanInsideALongerTokenAsAnOrdinaryByte() throws Exception
    {
        start(TestBrokers.loopback());
        final LineClient exact = subscriber("a*", "x.b>", "c.*d");
        final LineClient pattern = subscriber("*", "x.*");
        final LineClient publisher = connect();
        publish(publisher, "a* 1", "ab 2", "x.b> 3", "x.bc 4", "x.b 5", "c.*d 6", "c.d 7");

        assertEquals(updates("a* 1", "x.b> 3", "c.*d 6"), received(exact), "a*, x.b> and c.*d are exact topics");
        assertEquals(updates("a* 1", "ab 2", "x.b> 3", "x.bc 4", "x.b 5"), received(pattern));
        publisher.sendRaw("GET a*\r\nGET x.b>\r\n");
        assertEquals("VALUE a* 1", publisher.readLine(), "PUB and GET take such topics like any other");
        assertEquals("VALUE x.b> 3", publisher.readLine());
        final Map<String, Long> stats = StatsReader.read(publisher);
        assertEquals(2, stats.get("patterns"), "* and x.*; the exact topics are not patterns");
        assertEquals(5, stats.get("subscriptions"));
        unsubscribe(exact, "a*");
        publish(publisher, "a* 8");
        assertEquals(List.of(), received(exact));
    }

    @Test
    void shouldRefuseMalformedPatternsAndWildcardTopicsAndCarryOn() throws Exception
    {
        final String[] malformed = {"a.>.b", "a..*", ".*", "*.", ">.a", "a.>.>", "*..>", "a.*."};
        final String[] wildcardTopics = {"a.*", "orders.>", "*", ">", "a.>.b", "a..*"};
        start(TestBrokers.loopback());
        final LineClient watcher = subscriber(">");
        final LineClient client = connect();
        final LineClient publisher = connect();
        final Map<String, Long> before = StatsReader.read(watcher);
        int refused = 0;
        for (final String pattern : malformed)
        {
            client.sendRaw("SUB " + pattern + "\r\nUNSUB " + pattern + "\r\n");
            assertBadTopic(client.readLine(), "SUB " + pattern);
            assertBadTopic(client.readLine(), "UNSUB " + pattern);
            refused += 2;
        }
        for (final String topic : wildcardTopics)
        {
            client.sendRaw("PUB " + topic + " must not be stored\r\nGET " + topic + "\r\n");
            assertBadTopic(client.readLine(), "PUB " + topic);
            assertBadTopic(client.readLine(), "GET " + topic);
            refused += 2;
        }
        client.send("PING still here");
        assertEquals("PONG still here", client.readLine(), "the connection carries on");

        assertEquals(List.of(), received(watcher), "nothing was delivered, not even to >");
        final Map<String, Long> after = StatsReader.read(watcher);
        assertEquals(before.get("topics"), after.get("topics"), "nothing was stored");
        assertEquals(before.get("published"), after.get("published"));
        assertEquals(before.get("subscriptions"), after.get("subscriptions"));
        assertEquals(before.get("patterns"), after.get("patterns"));
        assertEquals(before.get("protocol_errors") + refused, after.get("protocol_errors"));

        subscribe(client, "a.*");
        publish(publisher, "a.b fine");
        assertEquals(updates("a.b fine"), received(client), "subscribing still works after the errors");
        client.send("GET a.b");
        assertEquals("VALUE a.b fine", client.readLine());
    }

    @Test
    void shouldDeliverOnceToAConnectionWhoseSubscriptionsOverlapAndUnsubscribeExactlyOne() throws Exception
    {
        start(TestBrokers.loopback());
        final LineClient overlapping = subscriber("a.b", "a.*", "a.>", ">");
        final LineClient neighbour = subscriber("a.*");
        final LineClient publisher = connect();
        publish(publisher, "a.b 1", "a.c 2", "a.b.c 3", "z 4");
        assertEquals(updates("a.b 1", "a.c 2", "a.b.c 3", "z 4"), received(overlapping), "one delivery however many match");
        assertEquals(updates("a.b 1", "a.c 2"), received(neighbour));
        assertEquals(4 + 2, StatsReader.read(publisher).get("delivered"), "delivered counts connections, not matches");

        unsubscribe(overlapping, "a.*");
        publish(publisher, "a.b 5", "a.c 6", "a.b.c 7", "z 8");
        assertEquals(updates("a.b 5", "a.c 6", "a.b.c 7", "z 8"), received(overlapping), "a.> and > still match");
        assertEquals(updates("a.b 5", "a.c 6"), received(neighbour), "another connection's a.* is untouched");

        unsubscribe(overlapping, ">", "a.>");
        publish(publisher, "a.b 9", "a.c 10", "a.b.c 11", "z 12");
        assertEquals(updates("a.b 9"), received(overlapping), "the exact subscription outlives the patterns");
        assertEquals(updates("a.b 9", "a.c 10"), received(neighbour));

        subscribe(overlapping, "a.*");
        unsubscribe(overlapping, "a.b");
        publish(publisher, "a.b 13", "a.c 14", "a.b.c 15");
        assertEquals(updates("a.b 13", "a.c 14"), received(overlapping), "the pattern outlives the exact subscription");
        assertEquals(updates("a.b 13", "a.c 14"), received(neighbour));

        unsubscribe(overlapping, "a.*", "a.>");
        publish(publisher, "a.b 16", "a.c 17");
        assertEquals(List.of(), received(overlapping), "UNSUB of a pattern not subscribed is answered and harmless");
        assertEquals(updates("a.b 16", "a.c 17"), received(neighbour));
        final Map<String, Long> stats = StatsReader.read(publisher);
        assertEquals(1, stats.get("subscriptions"), stats::toString);
        assertEquals(1, stats.get("patterns"), stats::toString);
    }

    @Test
    void shouldKeepOneOrderPerTopicForExactAndPatternSubscribersAndEachPublishersOrder() throws Exception
    {
        final int publishers = 3;
        final int messagesEach = 1_500;
        final String[] topics = {"ord.a", "ord.b", "ord.b.deep", "ord.c"};
        final String[][] subscriptions = {{"ord.b"}, {"ord.*"}, {"ord.>"}, {">"}, {"ord.b", "ord.*", "ord.>"}, {"*.b.*"}};
        start(TestBrokers.loopback());
        final List<LineClient> subscribers = new ArrayList<>();
        final List<List<String>> expected = new ArrayList<>();
        for (final String[] targets : subscriptions)
        {
            subscribers.add(subscriber(targets));
            final List<String> lines = new ArrayList<>();
            for (int p = 0; p < publishers; p++)
            {
                for (int seq = 0; seq < messagesEach; seq++)
                {
                    final String topic = topics[(seq + p) % topics.length];
                    if (PatternRules.matchesAny(List.of(targets), topic))
                    {
                        lines.add("UPDATED " + topic + " " + p + " " + seq);
                    }
                }
            }
            expected.add(lines);
        }
        final ExecutorService pool = Executors.newFixedThreadPool(subscriptions.length + publishers);
        try
        {
            final List<Future<List<String>>> readers = new ArrayList<>();
            for (int s = 0; s < subscribers.size(); s++)
            {
                final LineClient subscriber = subscribers.get(s);
                final int count = expected.get(s).size();
                readers.add(pool.submit(() -> readLines(subscriber, count)));
            }
            final List<Future<?>> writers = new ArrayList<>();
            for (int p = 0; p < publishers; p++)
            {
                final int publisher = p;
                writers.add(pool.submit(() ->
                {
                    try (LineClient client = new LineClient(broker.address()))
                    {
                        final List<String> batch = new ArrayList<>();
                        for (int seq = 0; seq < messagesEach; seq++)
                        {
                            batch.add(topics[(seq + publisher) % topics.length] + " " + publisher + " " + seq);
                            if (batch.size() == 100 || seq == messagesEach - 1)
                            {
                                publish(client, batch.toArray(new String[0]));
                                batch.clear();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> writer : writers)
            {
                writer.get(30, TimeUnit.SECONDS);
            }
            final Map<String, List<String>> orderPerTopic = new HashMap<>();
            for (int s = 0; s < subscribers.size(); s++)
            {
                final List<String> lines = readers.get(s).get(30, TimeUnit.SECONDS);
                assertEquals(List.of(), received(subscribers.get(s)), "nothing beyond the expected deliveries");
                for (int p = 0; p < publishers; p++)
                {
                    assertEquals(fromPublisher(expected.get(s), p), fromPublisher(lines, p),
                        "subscriber " + s + " gets publisher " + p + "'s messages once each, in its order");
                }
                final Map<String, List<String>> perTopic = new HashMap<>();
                lines.forEach(line -> perTopic.computeIfAbsent(line.split(" ")[1], t -> new ArrayList<>()).add(line));
                final int subscriber = s;
                perTopic.forEach((topic, order) ->
                {
                    final List<String> seen = orderPerTopic.putIfAbsent(topic, order);
                    assertTrue(seen == null || seen.equals(order), () -> "subscriber " + subscriber + " saw " + topic + " in another order");
                });
            }
            assertEquals(Set.of(topics), orderPerTopic.keySet(), "every topic reached some subscriber");
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldReleaseEveryPatternSubscriptionWhenClientsDisconnect() throws Exception
    {
        final int leavers = 60;
        start(TestBrokers.loopback());
        final LineClient observer = connect();
        // A topic with a value stays across the disconnects; the leavers publish only to it.
        publish(observer, "gone.kept baseline");
        final Map<String, Long> baseline = StatsReader.read(observer);
        final List<LineClient> leaving = new ArrayList<>();
        for (int i = 0; i < leavers; i++)
        {
            final LineClient client = connect();
            leaving.add(client);
            client.sendRaw("SUB gone.*\r\nSUB gone.>\r\nSUB >\r\nSUB gone." + i + ".*\r\nSUB gone." + i
                + "\r\nPUB gone.kept from-" + i + "\r\nPING subscribed\r\n");
        }
        for (final LineClient client : leaving)
        {
            String line;
            int replies = 0;
            while (!(line = client.readLine()).equals("PONG subscribed"))
            {
                if (!line.startsWith("UPDATED gone.kept from-"))
                {
                    assertTrue(line.startsWith("SUBSCRIBED gone") || line.equals("SUBSCRIBED >"), line);
                    replies++;
                }
            }
            assertEquals(5, replies);
        }
        final Map<String, Long> during = StatsReader.read(observer);
        assertEquals(baseline.get("subscriptions") + 5L * leavers, during.get("subscriptions"), during::toString);
        assertEquals(baseline.get("patterns") + 3 + leavers, during.get("patterns"), "gone.*, gone.>, > and one each");
        assertEquals(baseline.get("topics") + leavers, during.get("topics"), "the exact gone.<i>");

        // More publishes in flight to the leavers while they go, half of them by a TCP reset.
        observer.sendRaw("PUB gone.kept late-1\r\nPUB gone.kept late-2\r\n");
        for (int i = 0; i < leaving.size(); i++)
        {
            if (i % 2 == 0)
            {
                leaving.get(i).reset();
            }
            else
            {
                leaving.get(i).close();
            }
        }
        final Map<String, Long> after = StatsReader.awaitStats(observer, 10_000,
            s -> s.get("connections").equals(baseline.get("connections"))
                && s.get("subscriptions").equals(baseline.get("subscriptions"))
                && s.get("patterns").equals(baseline.get("patterns"))
                && s.get("topics").equals(baseline.get("topics")),
            "connections, subscriptions, patterns and topics back to " + baseline);
        assertEquals(baseline.get("errors"), after.get("errors"), "no error counted");

        final LineClient fresh = subscriber("gone.*.x");
        publish(observer, "gone.1.x after", "gone.kept after");
        assertEquals(updates("gone.1.x after"), received(fresh), "gone.kept matches no pattern of the fresh client");
        assertEquals(after.get("delivered") + 1, StatsReader.read(observer).get("delivered"),
            "nothing is delivered to a departed client");
    }

    @Test
    void shouldDeliverToAPatternSubscribedAfterTheTopicWasPublished() throws Exception
    {
        start(TestBrokers.loopback());
        final LineClient publisher = connect();
        publish(publisher, "late.a 0"); // no pattern in the engine yet: the topic is not cached
        final LineClient early = subscriber("other.>");
        publish(publisher, "late.x 1", "late.x.y 1"); // now cached, matched by no pattern
        final LineClient late = subscriber("late.*");
        publish(publisher, "late.a 2", "late.x 2", "late.x.y 2");
        assertEquals(updates("late.a 2", "late.x 2"), received(late), "a new pattern reaches topics published before it");

        final LineClient later = subscriber("late.*", "late.>");
        publish(publisher, "late.x 3", "late.x.y 3");
        assertEquals(updates("late.x 3"), received(late));
        assertEquals(updates("late.x 3", "late.x.y 3"), received(later), "another subscriber of an existing pattern");

        final LineClient exact = subscriber("late.x");
        publish(publisher, "late.x 4");
        assertEquals(updates("late.x 4"), received(exact), "an exact subscriber of a cached topic");
        assertEquals(updates("late.x 4"), received(late));
        assertEquals(updates("late.x 4"), received(later));

        unsubscribe(late, "late.*");
        publish(publisher, "late.x 5");
        assertEquals(List.of(), received(late), "a subscriber that left the pattern");
        assertEquals(updates("late.x 5"), received(later));
        assertEquals(updates("late.x 5"), received(exact));

        unsubscribe(later, "late.*", "late.>");
        publish(publisher, "late.x 6", "late.x.y 6");
        assertEquals(List.of(), received(later), "the patterns are gone with their last subscriber");
        assertEquals(updates("late.x 6"), received(exact));

        subscribe(late, "late.>");
        publish(publisher, "late.x 7", "late.x.y 7", "late.a 7");
        assertEquals(updates("late.x 7", "late.x.y 7", "late.a 7"), received(late), "a pattern created again");
        assertEquals(updates("late.x 7"), received(exact));
        assertEquals(List.of(), received(early));
        assertEquals(List.of(), received(later));
    }

    @Test
    void shouldCountPatternsInStatsAndAgainstTheSubscriptionLimit() throws Exception
    {
        start(TestBrokers.loopback().maxSubscriptions(3));
        final LineClient first = subscriber("a.*", "b.>", "c", "a.*");
        final LineClient second = connect();
        final LineClient publisher = connect();
        first.sendRaw("SUB d.*\r\nSUB >\r\nSUB d\r\n");
        for (int i = 0; i < 3; i++)
        {
            assertTrue(first.readLine().startsWith("ERR too-many-subscriptions "), "patterns count towards the limit");
        }
        assertStats(first, 3, 2, 1);

        subscribe(second, "a.*", ">");
        assertStats(second, 5, 3, 1);
        publish(publisher, "d.1 refused", "a.1 x");
        assertEquals(updates("a.1 x"), received(first), "the refused d.* was not subscribed");
        assertEquals(updates("d.1 refused", "a.1 x"), received(second));

        unsubscribe(first, "a.*");
        assertStats(first, 4, 3, 3);
        subscribe(first, "d.*");
        assertStats(first, 5, 4, 3);
        unsubscribe(second, "a.*", "x.*");
        assertStats(second, 4, 3, 3);
    }

    private static void assertStats(final LineClient client, final long subscriptions, final long patterns, final long topics)
        throws IOException
    {
        final Map<String, Long> stats = StatsReader.read(client);
        assertEquals(subscriptions, stats.get("subscriptions"), stats::toString);
        assertEquals(patterns, stats.get("patterns"), stats::toString);
        assertEquals(topics, stats.get("topics"), stats::toString);
    }

    /**
     * Four subscribers with overlapping exact and pattern subscriptions that change between
     * rounds, one publisher sending to 90 topics per round. With a route cache of 2 topics nearly
     * every publish evicts a route and resolves its topic again; the deliveries must be exactly
     * those of the large cache: each connection gets each matching message once, in publish order.
     */
    @ParameterizedTest(name = "route cache of {0} topics")
    @ValueSource(ints = {2, BrokerConfig.ROUTE_CACHE_TOPICS_DEFAULT})
    void shouldDeliverEveryMessageOnceAndInOrderWhateverTheRouteCacheSize(final int routeCacheTopics) throws Exception
    {
        final String[][] changesPerRound = {
            {"0 SUB many.*.x", "1 SUB many.>", "1 SUB >", "2 SUB many.7.x", "2 SUB many.7.*", "2 SUB many.*.y", "3 SUB many.3.y"},
            {"0 SUB many.*.y", "3 SUB many.3.*", "3 SUB many.*"},
            {"1 UNSUB >", "2 UNSUB many.7.*"},
            {"0 UNSUB many.*.x", "2 UNSUB many.7.x", "3 SUB many.3.x"},
            {"1 UNSUB many.>", "3 SUB >", "0 SUB many.1.x"},
            {"1 SUB many.1.x", "2 SUB *.*.x", "3 UNSUB many.*", "0 UNSUB many.*.y"},
        };
        final List<String> topics = new ArrayList<>();
        for (int i = 0; i < 30; i++)
        {
            topics.add("many." + i + ".x");
            topics.add("many." + i);
            topics.add("many." + i + ".y");
        }
        start(TestBrokers.loopback().routeCacheTopics(routeCacheTopics));
        final LineClient publisher = connect();
        final List<LineClient> subscribers = new ArrayList<>();
        final List<Set<String>> model = new ArrayList<>();
        for (int s = 0; s < 4; s++)
        {
            subscribers.add(connect());
            model.add(new LinkedHashSet<>());
        }
        for (int round = 0; round < changesPerRound.length; round++)
        {
            for (final String change : changesPerRound[round])
            {
                final String[] words = change.split(" ");
                final int s = Integer.parseInt(words[0]);
                if (words[1].equals("SUB"))
                {
                    subscribe(subscribers.get(s), words[2]);
                    model.get(s).add(words[2]);
                }
                else
                {
                    unsubscribe(subscribers.get(s), words[2]);
                    model.get(s).remove(words[2]);
                }
            }
            final List<String> messages = new ArrayList<>();
            for (int repeat = 0; repeat < 2; repeat++)
            {
                for (int t = 0; t < topics.size(); t++)
                {
                    // A stride through the topics, so that consecutive publishes rarely share a route.
                    final String topic = topics.get((t * 7 + repeat * 11) % topics.size());
                    messages.add(topic + " r" + round + "." + repeat + "." + t);
                }
            }
            publish(publisher, messages.toArray(new String[0]));
            for (int s = 0; s < subscribers.size(); s++)
            {
                final List<String> expected = new ArrayList<>();
                for (final String message : messages)
                {
                    if (PatternRules.matchesAny(model.get(s), message.substring(0, message.indexOf(' '))))
                    {
                        expected.add("UPDATED " + message);
                    }
                }
                assertEquals(expected, received(subscribers.get(s)), "round " + round + ", subscriber " + s + " with " + model.get(s));
            }
        }
        final Set<String> patterns = new LinkedHashSet<>();
        model.forEach(targets -> targets.stream().filter(PatternRules::isPattern).forEach(patterns::add));
        assertEquals(patterns.size(), StatsReader.read(publisher).get("patterns"), "distinct patterns " + patterns);
    }

    @Test
    void shouldExplainPatternsInHelp() throws Exception
    {
        start(TestBrokers.loopback());
        final LineClient client = connect();
        client.send("HELP");
        final List<String> help = new ArrayList<>();
        String line;
        while (!(line = client.readLine()).equals("END"))
        {
            help.add(line);
        }
        assertTrue(help.stream().anyMatch(l -> l.startsWith("HELP SUB <pattern>") && l.contains("*") && l.contains(">")),
            () -> "HELP shows the pattern syntax: " + help);
        assertTrue(help.stream().anyMatch(l -> l.contains("once")), () -> "HELP says a message arrives once: " + help);
    }

    // ------------------------------------------------------------ helpers

    private static void subscribe(final LineClient client, final String... targets) throws IOException
    {
        request(client, "SUB", "SUBSCRIBED", targets);
    }

    private static void unsubscribe(final LineClient client, final String... targets) throws IOException
    {
        request(client, "UNSUB", "UNSUBSCRIBED", targets);
    }

    /** Sends one command per target in a single write, then checks each reply names its target. */
    private static void request(final LineClient client, final String verb, final String reply, final String... targets)
        throws IOException
    {
        final StringBuilder batch = new StringBuilder();
        for (final String target : targets)
        {
            batch.append(verb).append(' ').append(target).append("\r\n");
        }
        client.sendRaw(batch.toString());
        for (final String target : targets)
        {
            assertEquals(reply + " " + target, client.readLine());
        }
    }

    /**
     * Sends {@code PUB <topic message>} for each argument in one write and returns once the engine
     * has taken them all (the PONG after them). The client must subscribe to none of the topics.
     */
    private static void publish(final LineClient publisher, final String... topicAndMessage) throws IOException
    {
        final StringBuilder batch = new StringBuilder();
        for (final String publication : topicAndMessage)
        {
            batch.append("PUB ").append(publication).append("\r\n");
        }
        publisher.sendRaw(batch.append("PING published\r\n").toString());
        assertEquals("PONG published", publisher.readLine());
    }

    /** Every line the client received before the PONG to a PING sent now. */
    private static List<String> received(final LineClient client) throws IOException
    {
        client.send("PING received");
        final List<String> lines = new ArrayList<>();
        String line;
        while (!(line = client.readLine()).equals("PONG received"))
        {
            lines.add(line);
        }
        return lines;
    }

    private static List<String> readLines(final LineClient client, final int count) throws IOException
    {
        final List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            lines.add(client.readLine());
        }
        return lines;
    }

    /** The delivery lines {@code UPDATED <topic message>}, in order. */
    private static List<String> updates(final String... topicAndMessage)
    {
        final List<String> lines = new ArrayList<>();
        for (final String delivery : topicAndMessage)
        {
            lines.add("UPDATED " + delivery);
        }
        return lines;
    }

    /** The lines {@code UPDATED <topic> <publisher> <seq>} of one publisher, in order. */
    private static List<String> fromPublisher(final List<String> lines, final int publisher)
    {
        return lines.stream().filter(line -> line.split(" ")[2].equals(Integer.toString(publisher))).toList();
    }

    private static void assertBadTopic(final String reply, final String command)
    {
        assertTrue(reply.startsWith("ERR bad-topic "), () -> command + " answered " + reply);
    }
}
