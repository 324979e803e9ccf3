package dev.topics.broker.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GlobMatcher} on Redis' documented examples (the {@code KEYS} page) and on the edges of
 * Redis' {@code stringmatchlen} in util.c, read case by case: open sets, range ends, escapes, the
 * empty name, and patterns built to blow up a backtracking matcher.
 */
class GlobMatcherTest
{
    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        h?llo      | hello     | true  | documented
        h?llo      | hallo     | true  | documented
        h?llo      | hxllo     | true  | documented
        h?llo      | hllo      | false | ? is exactly one byte
        h*llo      | hllo      | true  | documented
        h*llo      | heeeello  | true  | documented
        h[ae]llo   | hello     | true  | documented
        h[ae]llo   | hallo     | true  | documented
        h[ae]llo   | hillo     | false | documented
        h[^e]llo   | hallo     | true  | documented
        h[^e]llo   | hbllo     | true  | documented
        h[^e]llo   | hello     | false | documented
        h[a-b]llo  | hallo     | true  | documented
        h[a-b]llo  | hbllo     | true  | documented
        h[a-b]llo  | hcllo     | false | outside the range
        h[b-a]llo  | hallo     | true  | a reversed range is swapped
        h\\?llo    | h?llo     | true  | an escaped ? is literal
        h\\?llo    | hello     | false | an escaped ? is literal
        h\\*llo    | h*llo     | true  | an escaped * is literal
        h\\*llo    | heello    | false | an escaped * is literal
        \\a        | a         | true  | an escaped ordinary byte is itself
        h[\\]]llo  | h]llo     | true  | an escaped ] inside a set
        h[\\^]llo  | h^llo     | true  | an escaped ^ is a member, not negation
        [\\a-c]    | -         | true  | an escaped byte never starts a range
        [\\a-c]    | b         | false | an escaped byte never starts a range
        [-a]       | -         | true  | a first - is a member
        [a^]       | ^         | true  | a later ^ is a member
        a*         | a.b.c     | true  | * crosses dots
        *.paid     | orders.eu.paid | true | * crosses dots
        a?c        | a.c       | true  | ? matches a dot
        a[.]c      | a.c       | true  | a set may hold a dot
        a*         | a         | true  | a last * matches nothing
        *a         | a         | true  | a first * matches nothing
        a**b       | ab        | true  | stars collapse
        Hello      | hello     | false | case-sensitive
        ''         | ''        | true  | the empty pattern matches the empty name
        ''         | a         | false | the empty pattern matches only the empty name
        *          | ''        | false | Redis' loop needs a byte of each: redis/redis#15643
        **         | ''        | false | Redis' loop needs a byte of each: redis/redis#15643
        ?          | ''        | false | nothing to match
        a*         | ''        | false | nothing to match
        h[ae       | ha        | true  | an open set runs to the end
        h[ae       | he        | true  | an open set runs to the end
        h[ae       | hae       | false | an open set is still one byte
        a[         | a[        | false | a last [ is an empty set
        a[^        | ab        | true  | a last [^ is any byte
        []         | ]         | false | [] is an empty set, not a literal ]
        [^]        | x         | true  | [^] is any byte
        [a-]       | ^         | true  | a range may end at ], which then does not close
        [a-]       | -         | false | a range may end at ], which then does not close
        [a-]x      | x         | true  | the open set swallows the rest: x is a member
        [a-]x      | ]x        | false | the open set swallows the rest: one byte
        [\\        | \\        | true  | a last \\ in a set is itself
        a\\        | a\\       | true  | a last lone \\ is a literal \\
        a\\        | a         | false | a last lone \\ still needs its byte
        """)
    void shouldMatchAsRedisDoes(final String pattern, final String topic, final boolean expected, final String why)
    {
        assertEquals(expected, matches(pattern, topic), why);
    }

    /** Range bounds compare as C's signed char on x86-64: [a-\xC3] is -61..97. */
    @Test
    void shouldCompareRangeBoundsAsSignedBytes()
    {
        final byte[] pattern = {'[', 'a', '-', (byte)0xC3, ']'};
        final GlobMatcher matcher = new GlobMatcher(pattern, pattern.length);
        assertTrue(matcher.matches(new byte[] {'0'}, 1));
        assertTrue(matcher.matches(new byte[] {(byte)0xFF}, 1));
        assertFalse(matcher.matches(new byte[] {'b'}, 1));
        assertFalse(matcher.matches(new byte[] {(byte)0x80}, 1));
    }

    @Test
    @Timeout(5)
    void shouldNotBlowUpOnManyStars()
    {
        final String pattern = "a*".repeat(40) + "b";
        final String topic = "a".repeat(100_000);
        assertFalse(matches(pattern, topic));
        assertTrue(matches(pattern, topic + "b"));
        assertFalse(matches("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c", "ab".repeat(50_000)));
    }

    /** Redis gives up past 1000 nested stars (its "abusive patterns" guard): no match at all. */
    @Test
    @Timeout(5)
    void shouldMatchNothingPastRedisNestingGuard()
    {
        assertTrue(matches("*a".repeat(GlobMatcher.MAX_NESTED_STARS), "a".repeat(GlobMatcher.MAX_NESTED_STARS)));
        assertFalse(matches("*a".repeat(GlobMatcher.MAX_NESTED_STARS + 1), "a".repeat(GlobMatcher.MAX_NESTED_STARS + 1)));
        assertTrue(matches("*a".repeat(GlobMatcher.MAX_NESTED_STARS) + "*", "a".repeat(GlobMatcher.MAX_NESTED_STARS + 5)),
            "a last star does not nest");
    }

    private static boolean matches(final String pattern, final String topic)
    {
        final byte[] p = pattern.getBytes(StandardCharsets.ISO_8859_1);
        final byte[] t = topic.getBytes(StandardCharsets.ISO_8859_1);
        return new GlobMatcher(p, p.length).matches(t, t.length);
    }
}
