package dev.topics.broker.engine;

import dev.topics.transport.codec.TopicMatch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link GlobMatcher} against a plain reference (the glob turned into a {@link java.util.regex}
 * pattern), and {@link GlobPatternIndex} in both directions against the matcher. Redis' own edges
 * (open sets, a range ending at {@code ]}, empty sets, an escape before {@code -}, the empty
 * name) read differently in other glob dialects, so the reference declines them and
 * {@link GlobMatcherTest} pins them case by case.
 */
class GlobPatternIndexPropertiesTest
{
    private static final List<Character> ALPHABET = List.of('a', 'b', '.', '*', '?', '[', ']', '^', '-', '\\');
    private static final List<String> TOPIC_TOKENS = List.of("a", "b", "", "ab", "a*", "[a]");
    private static final List<String> PATTERN_TOKENS = List.of("a", "b", "", "*", "a*", "?", "[ab]", "\\*", "*b", "[^a]*");

    @Provide
    Arbitrary<String> globs()
    {
        return Arbitraries.of(ALPHABET).list().ofMaxSize(8).map(GlobPatternIndexPropertiesTest::join);
    }

    @Provide
    Arbitrary<String> names()
    {
        return Arbitraries.of(ALPHABET).list().ofMinSize(1).ofMaxSize(8).map(GlobPatternIndexPropertiesTest::join);
    }

    @Provide
    Arbitrary<String> topics()
    {
        return Arbitraries.of(TOPIC_TOKENS).list().ofMinSize(1).ofMaxSize(4).map(tokens -> String.join(".", tokens));
    }

    @Provide
    Arbitrary<String> patterns()
    {
        return Arbitraries.of(PATTERN_TOKENS).list().ofMinSize(1).ofMaxSize(4).map(tokens -> String.join(".", tokens));
    }

    @Property(tries = 2000, maxDiscardRatio = 10)
    void shouldMatchAsTheRegexReference(@ForAll("globs") final String glob, @ForAll @Size(max = 10) final List<@From("names") String> names)
    {
        final java.util.regex.Pattern reference = reference(glob);
        Assume.that(reference != null);
        final GlobMatcher matcher = matcher(glob);
        for (final String name : names)
        {
            final byte[] bytes = bytes(name);
            final Matcher expected = reference.matcher(name);
            assertEquals(expected.matches(), matcher.matches(bytes, bytes.length), () -> glob + " ~ " + name + " as " + reference);
        }
    }

    @Property(tries = 500)
    void shouldCollectAndVisitExactlyWhatTheMatcherMatches(
        @ForAll @Size(max = 10) @UniqueElements final List<@From("patterns") String> patterns,
        @ForAll @Size(max = 16) @UniqueElements final List<@From("topics") String> topics)
    {
        final GlobPatternIndex index = new GlobPatternIndex();
        final List<Pattern> held = new ArrayList<>();
        for (final String pattern : patterns)
        {
            final Pattern added = index.add(PatternReference.name(pattern));
            assertEquals(TopicMatch.GLOB_PATTERN, added.syntax);
            held.add(added);
        }
        final TokenTree<Topic> cached = new TokenTree<>();
        topics.forEach(topic -> cached.put(PatternReference.tokens(topic), new Topic(PatternReference.name(topic))));
        assertAgree(index, patterns, topics, cached);

        for (int i = 0; i < held.size(); i += 2)
        {
            index.remove(held.get(i));
        }
        final List<String> kept = new ArrayList<>();
        for (int i = 1; i < patterns.size(); i += 2)
        {
            kept.add(patterns.get(i));
            assertSame(held.get(i), index.find(PatternReference.name(patterns.get(i))));
        }
        assertEquals(kept.size(), index.size());
        assertAgree(index, kept, topics, cached);
    }

    private static void assertAgree(final GlobPatternIndex index, final List<String> patterns, final List<String> topics, final TokenTree<Topic> cached)
    {
        for (final String topic : topics)
        {
            final List<String> expected = new ArrayList<>();
            patterns.stream().filter(pattern -> matches(pattern, topic)).forEach(expected::add);
            final List<Pattern> found = new ArrayList<>();
            index.collectMatches(PatternReference.tokens(topic), found);
            assertEquals(sorted(expected), sorted(found.stream().map(p -> p.name.toString()).toList()), () -> "globs matching " + topic);
        }
        for (final String pattern : patterns)
        {
            final List<String> expected = new ArrayList<>();
            topics.stream().filter(topic -> matches(pattern, topic)).forEach(expected::add);
            final List<String> visited = new ArrayList<>();
            index.forEachMatchingTopic(index.find(PatternReference.name(pattern)), cached, topic -> visited.add(topic.name.toString()));
            assertEquals(sorted(expected), sorted(visited), () -> "cached topics " + pattern + " matches");
        }
    }

    /**
     * The glob as a regex over Latin-1 characters, or null where the reading is Redis' own: an
     * unclosed or empty set, a range ending at {@code ]} or {@code \}, an escape before {@code -}
     * in a set.
     */
    private static java.util.regex.Pattern reference(final String glob)
    {
        final StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length())
        {
            final char c = glob.charAt(i);
            if (c == '*')
            {
                regex.append(".*");
                i++;
            }
            else if (c == '?')
            {
                regex.append('.');
                i++;
            }
            else if (c == '[')
            {
                i = set(glob, i + 1, regex);
                if (i < 0)
                {
                    return null;
                }
            }
            else if (c == '\\' && i + 1 < glob.length())
            {
                regex.append(literal(glob.charAt(i + 1)));
                i += 2;
            }
            else
            {
                regex.append(literal(c));
                i++;
            }
        }
        return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL);
    }

    /** Appends the set starting at {@code from} (past its {@code [}); the index past it, or -1. */
    private static int set(final String glob, final int from, final StringBuilder regex)
    {
        int i = from;
        final StringBuilder members = new StringBuilder("[");
        if (i < glob.length() && glob.charAt(i) == '^')
        {
            members.append('^');
            i++;
        }
        if (i < glob.length() && glob.charAt(i) == ']')
        {
            return -1;
        }
        while (i < glob.length() && glob.charAt(i) != ']')
        {
            final char c = glob.charAt(i);
            final boolean rangeFollows = i + 2 < glob.length() && glob.charAt(i + 1) == '-';
            if (c == '\\')
            {
                if (i + 1 >= glob.length() || i + 2 < glob.length() && glob.charAt(i + 2) == '-')
                {
                    return -1;
                }
                members.append(literal(glob.charAt(i + 1)));
                i += 2;
            }
            else if (rangeFollows)
            {
                final char end = glob.charAt(i + 2);
                if (end == ']' || end == '\\')
                {
                    return -1;
                }
                members.append(literal((char)Math.min(c, end))).append('-').append(literal((char)Math.max(c, end)));
                i += 3;
            }
            else
            {
                members.append(literal(c));
                i++;
            }
        }
        if (i == glob.length())
        {
            return -1;
        }
        regex.append(members).append(']');
        return i + 1;
    }

    private static String literal(final char c)
    {
        return String.format("\\x{%x}", (int)c);
    }

    private static boolean matches(final String pattern, final String topic)
    {
        final byte[] bytes = bytes(topic);
        return matcher(pattern).matches(bytes, bytes.length);
    }

    private static GlobMatcher matcher(final String glob)
    {
        final byte[] bytes = bytes(glob);
        return new GlobMatcher(bytes, bytes.length);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String join(final List<Character> chars)
    {
        final StringBuilder text = new StringBuilder();
        chars.forEach(text::append);
        return text.toString();
    }

    private static List<String> sorted(final List<String> names)
    {
        return names.stream().sorted().toList();
    }
}
