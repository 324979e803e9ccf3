package dev.topics.broker.engine;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Routing} against a brute-force model: random subscriptions, unsubscriptions, publishes
 * and forgotten topics, with a cache of one to three topics so that eviction is constant. After
 * each publish the receivers must be the model's set, each session once; after each step the
 * cache's links and counts must add up (see {@link RoutingDriver#assertConsistent}).
 */
class RoutingModelTest
{
    private static final List<String> TOPICS = List.of("a", "b", "a.b", "a.a", "b.a.b", "a..b", "a*.b", "a.*", "c.b>");
    private static final List<String> PATTERNS = List.of(">", "*", "a.*", "a.>", "*.b", "*.*", "a.*.b", "*.>", "a*.>", "b.>", "*.b>");
    private static final int SESSIONS = 4;

    private enum Kind
    {
        SUB, UNSUB, SUB_PATTERN, UNSUB_PATTERN, PUBLISH, FORGET
    }

    /** One step: {@code target} indexes the topics or the patterns, as the kind says. */
    private record Op(Kind kind, int session, int target)
    {
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        final Arbitrary<Kind> kinds = Arbitraries.frequency(
            Tuple.of(3, Kind.SUB),
            Tuple.of(2, Kind.UNSUB),
            Tuple.of(3, Kind.SUB_PATTERN),
            Tuple.of(2, Kind.UNSUB_PATTERN),
            Tuple.of(6, Kind.PUBLISH),
            Tuple.of(1, Kind.FORGET));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, SESSIONS - 1), Arbitraries.integers().between(0, 99))
            .as(Op::new)
            .list().ofMaxSize(80);
    }

    @Property(tries = 400)
    void shouldRouteAsTheModelDoes(
        @ForAll @IntRange(min = 1, max = 3) final int capacity,
        @ForAll("operations") final List<Op> operations)
    {
        final RoutingDriver driver = new RoutingDriver(capacity);
        final List<SessionState> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++)
        {
            sessions.add(driver.session("s" + i));
        }
        final Map<String, Set<String>> exact = new HashMap<>();
        final Map<String, Set<String>> patterns = new HashMap<>();
        for (final Op op : operations)
        {
            final SessionState session = sessions.get(op.session());
            final String label = "s" + op.session();
            final String topic = TOPICS.get(op.target() % TOPICS.size());
            final String pattern = PATTERNS.get(op.target() % PATTERNS.size());
            switch (op.kind())
            {
                case SUB ->
                {
                    driver.subscribe(session, topic);
                    exact.computeIfAbsent(topic, t -> new TreeSet<>()).add(label);
                }
                case UNSUB ->
                {
                    driver.unsubscribe(session, topic);
                    exact.getOrDefault(topic, new TreeSet<>()).remove(label);
                }
                case SUB_PATTERN ->
                {
                    driver.subscribePattern(session, pattern);
                    patterns.computeIfAbsent(pattern, p -> new TreeSet<>()).add(label);
                }
                case UNSUB_PATTERN ->
                {
                    driver.unsubscribePattern(session, pattern);
                    final Set<String> left = patterns.getOrDefault(pattern, new TreeSet<>());
                    left.remove(label);
                    if (left.isEmpty())
                    {
                        patterns.remove(pattern);
                    }
                }
                case PUBLISH ->
                {
                    final Set<String> expected = new TreeSet<>(exact.getOrDefault(topic, Set.of()));
                    patterns.forEach((p, subscribers) ->
                    {
                        if (PatternReference.matches(p, topic))
                        {
                            expected.addAll(subscribers);
                        }
                    });
                    assertEquals(new ArrayList<>(expected), driver.receivers(topic), () -> "receivers of " + topic + " after " + op);
                }
                case FORGET ->
                {
                    driver.forget(topic);
                    exact.remove(topic);
                }
            }
            driver.assertConsistent();
        }
    }
}
