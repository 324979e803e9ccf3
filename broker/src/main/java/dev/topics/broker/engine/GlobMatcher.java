package dev.topics.broker.engine;

import java.util.Arrays;

/**
 * One Redis glob, compiled once, matched against whole names as Redis' {@code stringmatchlen}
 * (util.c, case-sensitive) matches them: {@code *} any bytes, dots included; {@code ?} one byte;
 * {@code [...]} one byte of a set, with ranges {@code a-z} (reversed ones such as {@code z-a}
 * taken as written the other way round), {@code [^...]} its complement, {@code \x} a literal
 * {@code x} inside and outside sets; any other byte itself.
 *
 * <p>Redis' edges, kept: a set left open runs to the end of the pattern ({@code [ab} is the set
 * {@code a}, {@code b}; a last {@code [} matches nothing, a last {@code [^} any byte); a range's
 * end may be {@code ]} ({@code [a-]} is the open set from {@code ]} to {@code a}); an escaped byte
 * in a set never starts a range; a lone last {@code \} is a literal {@code \}; range bounds compare
 * as signed bytes, as C's {@code char} on x86-64; an empty name is matched only by the empty
 * pattern (Redis' main loop needs a byte of both, so {@code *} does not match an empty name: see
 * redis/redis#15643, still open); and a pattern that needs more than 1000 nested {@code *}
 * (Redis' recursion guard) matches nothing.
 *
 * <p>Matching is the single-backtrack walk (resume after the last {@code *} one byte later): what
 * Redis 7's {@code skipLongerMatches} achieves within its recursion, without recursion. Time is at
 * most pattern items × name bytes, so {@code a*a*a*a*a*b} stays quadratic at worst, never
 * exponential; it allocates nothing.
 *
 * <p>Immutable after construction.
 */
final class GlobMatcher
{
    /** Redis returns no match past this nesting of {@code *} (its "abusive patterns" guard). */
    static final int MAX_NESTED_STARS = 1000;

    private static final int ANY = -1;
    private static final int STAR = -2;
    /** Items below this are sets: {@code SET_BASE - index}. */
    private static final int SET_BASE = -3;

    /** Literal bytes (0..255), {@link #ANY}, {@link #STAR} or a set. */
    private final int[] items;
    /** Four 64-bit words per set, bit {@code b & 0xFF} set when the set holds byte {@code b}. */
    private final long[] sets;
    private final boolean empty;
    private final boolean never;
    private final int literalPrefix;

    /** Compiles {@code pattern[0, length)}; any bytes are a valid glob. */
    GlobMatcher(final byte[] pattern, final int length)
    {
        final int[] compiled = new int[length];
        long[] bits = new long[0];
        int count = 0;
        int setCount = 0;
        int i = 0;
        while (i < length)
        {
            final byte b = pattern[i];
            if (b == '*')
            {
                if (count == 0 || compiled[count - 1] != STAR)
                {
                    compiled[count++] = STAR;
                }
                i++;
            }
            else if (b == '?')
            {
                compiled[count++] = ANY;
                i++;
            }
            else if (b == '[')
            {
                bits = Arrays.copyOf(bits, (setCount + 1) * 4);
                i = compileSet(pattern, i + 1, length, bits, setCount * 4);
                compiled[count++] = SET_BASE - setCount;
                setCount++;
            }
            else
            {
                if (b == '\\' && length - i >= 2)
                {
                    i++;
                }
                compiled[count++] = pattern[i] & 0xFF;
                i++;
            }
        }
        items = Arrays.copyOf(compiled, count);
        sets = bits;
        empty = length == 0;
        never = nestedStars(items) > MAX_NESTED_STARS;
        literalPrefix = literalPrefix(pattern, length);
    }

    /**
     * Reads a set from {@code pattern[i]} (just past its {@code [}) into {@code bits[at, at + 4)} as
     * Redis reads one, and returns the index past it: past its {@code ]}, or the end if none.
     */
    private static int compileSet(final byte[] pattern, final int from, final int length, final long[] bits, final int at)
    {
        int i = from;
        final boolean negated = i < length && pattern[i] == '^';
        if (negated)
        {
            i++;
        }
        while (i < length && pattern[i] != ']')
        {
            if (pattern[i] == '\\' && length - i >= 2)
            {
                addRange(bits, at, pattern[i + 1], pattern[i + 1]);
                i += 2;
            }
            else if (length - i >= 3 && pattern[i + 1] == '-')
            {
                addRange(bits, at, pattern[i], pattern[i + 2]);
                i += 3;
            }
            else
            {
                addRange(bits, at, pattern[i], pattern[i]);
                i++;
            }
        }
        if (negated)
        {
            for (int w = at; w < at + 4; w++)
            {
                bits[w] = ~bits[w];
            }
        }
        return i < length ? i + 1 : i;
    }

    /** Adds the bytes from {@code start} to {@code end}, either way round, compared signed. */
    private static void addRange(final long[] bits, final int at, final byte start, final byte end)
    {
        final int low = Math.min(start, end);
        final int high = Math.max(start, end);
        for (int b = low; b <= high; b++)
        {
            final int unsigned = b & 0xFF;
            bits[at + (unsigned >>> 6)] |= 1L << unsigned;
        }
    }

    /** Stars followed by something: each is one level of Redis' recursion. */
    private static int nestedStars(final int[] items)
    {
        int stars = 0;
        for (int i = 0; i + 1 < items.length; i++)
        {
            if (items[i] == STAR)
            {
                stars++;
            }
        }
        return stars;
    }

    /** Bytes before the first {@code *}, {@code ?}, {@code [} or {@code \}: a name's literal start. */
    private static int literalPrefix(final byte[] pattern, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = pattern[i];
            if (b == '*' || b == '?' || b == '[' || b == '\\')
            {
                return i;
            }
        }
        return length;
    }

    /** How many leading bytes every name this matches shares with the pattern. */
    int literalPrefix()
    {
        return literalPrefix;
    }

    /** Whether no name at all matches (Redis' nesting guard). */
    boolean matchesNothing()
    {
        return never;
    }

    /** Whether the whole of {@code name[0, length)} matches. */
    boolean matches(final byte[] name, final int length)
    {
        if (never)
        {
            return false;
        }
        if (length == 0)
        {
            return empty;
        }
        int p = 0;
        int s = 0;
        int resumeItem = -1;
        int resumeByte = 0;
        while (s < length)
        {
            if (p < items.length && items[p] == STAR)
            {
                p++;
                if (p == items.length)
                {
                    return true;
                }
                resumeItem = p;
                resumeByte = s;
            }
            else if (p < items.length && accepts(items[p], name[s]))
            {
                p++;
                s++;
            }
            else if (resumeItem < 0)
            {
                return false;
            }
            else
            {
                p = resumeItem;
                s = ++resumeByte;
            }
        }
        while (p < items.length && items[p] == STAR)
        {
            p++;
        }
        return p == items.length;
    }

    private boolean accepts(final int item, final byte b)
    {
        if (item >= 0)
        {
            return item == (b & 0xFF);
        }
        if (item == ANY)
        {
            return true;
        }
        final int unsigned = b & 0xFF;
        return (sets[(SET_BASE - item) * 4 + (unsigned >>> 6)] & 1L << unsigned) != 0;
    }
}
