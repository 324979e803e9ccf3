package dev.topics.broker.engine;

import dev.topics.transport.codec.TopicMatch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link TokenPatternIndex} in both directions against {@link PatternReference}: the patterns
 * matching a topic, and the cached topics a pattern matches. Names come from a few tokens so that
 * matches are common; topics also hold empty tokens, tokens with {@code *} or {@code >} inside,
 * and tokens that are exactly {@code *} or {@code >} (which only another protocol could publish).
 */
class TokenPatternIndexPropertiesTest
{
    private static final List<String> TOPIC_TOKENS = List.of("a", "b", "", "a*", "b>", "*", ">");
    private static final List<String> PATTERN_TOKENS = List.of("a", "b", "a*", "b>", "*", "*");

    @Provide
    Arbitrary<String> topics()
    {
        return Arbitraries.of(TOPIC_TOKENS).list().ofMinSize(1).ofMaxSize(4).map(tokens -> String.join(".", tokens));
    }

    /** Valid patterns only: at least one wildcard token, no empty token, {@code >} only last. */
    @Provide
    Arbitrary<String> patterns()
    {
        return Combinators.combine(Arbitraries.of(PATTERN_TOKENS).list().ofMaxSize(3), Arbitraries.of("a", "b>", "*", ">", ">"))
            .as((body, last) ->
            {
                final List<String> tokens = new ArrayList<>(body);
                tokens.add(last);
                return tokens;
            })
            .filter(tokens -> tokens.contains("*") || tokens.contains(">"))
            .map(tokens -> String.join(".", tokens));
    }

    @Property(tries = 500)
    void shouldCollectExactlyThePatternsThatMatchEachTopic(
        @ForAll @Size(max = 12) @UniqueElements final List<@From("patterns") String> patterns,
        @ForAll @Size(max = 12) final List<@From("topics") String> topics,
        @ForAll @Size(max = 12) final Set<@IntRange(max = 11) Integer> removed)
    {
        final TokenPatternIndex index = new TokenPatternIndex();
        final Map<String, Pattern> held = new HashMap<>();
        patterns.forEach(pattern -> add(index, held, pattern));
        assertCollects(index, held, topics);

        final List<String> gone = new ArrayList<>();
        for (final int i : removed)
        {
            if (i < patterns.size())
            {
                final String pattern = patterns.get(i);
                index.remove(held.remove(pattern));
                assertNull(index.find(PatternReference.name(pattern)), pattern);
                gone.add(pattern);
            }
        }
        assertCollects(index, held, topics);

        gone.forEach(pattern -> add(index, held, pattern));
        assertCollects(index, held, topics);
    }

    @Property(tries = 500)
    void shouldVisitExactlyTheCachedTopicsThatEachPatternMatches(
        @ForAll @Size(max = 12) @UniqueElements final List<@From("patterns") String> patterns,
        @ForAll @Size(max = 16) @UniqueElements final List<@From("topics") String> topics,
        @ForAll @Size(max = 16) final Set<@IntRange(max = 15) Integer> removed)
    {
        final TokenPatternIndex index = new TokenPatternIndex();
        final Map<String, Pattern> held = new HashMap<>();
        patterns.forEach(pattern -> add(index, held, pattern));
        final TokenTree<Topic> cached = new TokenTree<>();
        final List<String> present = new ArrayList<>(topics);
        topics.forEach(topic -> cached.put(PatternReference.tokens(topic), new Topic(PatternReference.name(topic))));
        assertVisits(index, held, cached, present);

        for (final int i : removed)
        {
            if (i < topics.size())
            {
                cached.remove(PatternReference.tokens(topics.get(i)));
                present.remove(topics.get(i));
            }
        }
        assertVisits(index, held, cached, present);
    }

    @Example
    void shouldMatchTheEdgesOfTheRules()
    {
        final TokenPatternIndex index = new TokenPatternIndex();
        final Map<String, Pattern> held = new HashMap<>();
        List.of(">", "*", "orders.>", "a.*.b", "a.*", "a.>", "*.>", "a*.>", "*.b>").forEach(pattern -> add(index, held, pattern));
        assertEquals(List.of("*.>", ">", "orders.>"), collect(index, "orders.eu"));
        assertEquals(List.of("*.>", ">", "orders.>"), collect(index, "orders.eu.paid"));
        assertEquals(List.of("*", ">"), collect(index, "orders"), "orders.> needs a token after orders");
        assertEquals(List.of("*.>", ">", "a.*.b", "a.>"), collect(index, "a..b"), "a wildcard matches an empty token");
        assertEquals(List.of("*.>", ">", "a.*", "a.>"), collect(index, "a.>"), "a literal > token is matched once by each pattern");
        assertEquals(List.of("*.>", ">", "a.*", "a.>"), collect(index, "a.*"), "a literal * token is any one token");
        assertEquals(List.of("*.>", ">", "a*.>"), collect(index, "a*.c"), "a* is an ordinary token");
        assertEquals(List.of("*.>", "*.b>", ">"), collect(index, "x.b>"));
        assertEquals(List.of("*.>", ">"), collect(index, "ab.c"));
        assertEquals(List.of("*", ">"), collect(index, ">"));
    }

    /** Names of more tokens than the reusable token arrays start with, before and after shorter ones. */
    @Example
    void shouldMatchNamesLongerThanTheTokenArraysStartWith()
    {
        final String many = "a.b.a.b.a.b.a.b.a.b.a.b";
        final TokenPatternIndex index = new TokenPatternIndex();
        final Map<String, Pattern> held = new HashMap<>();
        List.of("a.>", many.replace("b", "*"), many.replace("a.b", "*.*") + ".>", "a.*").forEach(pattern -> add(index, held, pattern));
        final List<String> topics = List.of(many, many + ".a", "a.b", many.substring(2), "a");
        assertCollects(index, held, topics);
        final TokenTree<Topic> cached = new TokenTree<>();
        topics.forEach(topic -> cached.put(PatternReference.tokens(topic), new Topic(PatternReference.name(topic))));
        assertVisits(index, held, cached, topics);
    }

    private static void add(final TokenPatternIndex index, final Map<String, Pattern> held, final String pattern)
    {
        assertNull(index.find(PatternReference.name(pattern)), pattern);
        final Pattern added = index.add(PatternReference.name(pattern));
        assertEquals(TopicMatch.TOKEN_PATTERN, added.syntax);
        assertSame(added, index.find(PatternReference.name(pattern)));
        held.put(pattern, added);
    }

    private static void assertCollects(final TokenPatternIndex index, final Map<String, Pattern> held, final List<String> topics)
    {
        assertEquals(held.size(), index.size());
        for (final String topic : topics)
        {
            assertEquals(sorted(held.keySet(), pattern -> PatternReference.matches(pattern, topic)), collect(index, topic),
                () -> "patterns matching " + topic);
        }
    }

    /** Sorted and with any duplicate kept, so a pattern found twice fails the comparison. */
    private static List<String> collect(final TokenPatternIndex index, final String topic)
    {
        final List<Pattern> out = new ArrayList<>();
        index.collectMatches(PatternReference.tokens(topic), out);
        return out.stream().map(pattern -> pattern.name.toString()).sorted().toList();
    }

    private static void assertVisits(
        final TokenPatternIndex index,
        final Map<String, Pattern> held,
        final TokenTree<Topic> cached,
        final List<String> topics)
    {
        for (final Map.Entry<String, Pattern> entry : held.entrySet())
        {
            final List<String> visited = new ArrayList<>();
            index.forEachMatchingTopic(entry.getValue(), cached, topic -> visited.add(topic.name.toString()));
            visited.sort(null);
            assertEquals(sorted(topics, topic -> PatternReference.matches(entry.getKey(), topic)), visited,
                () -> "topics matched by " + entry.getKey());
        }
    }

    private static List<String> sorted(final Iterable<String> names, final Predicate<String> keep)
    {
        final List<String> kept = new ArrayList<>();
        names.forEach(name ->
        {
            if (keep.test(name))
            {
                kept.add(name);
            }
        });
        kept.sort(null);
        return kept;
    }
}
