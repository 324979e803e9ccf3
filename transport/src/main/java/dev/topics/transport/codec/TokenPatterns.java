package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;

/**
 * The text protocol's pattern syntax, the one NATS subjects use. A topic is a sequence of tokens
 * separated by {@code .}; in a pattern, a token that is exactly {@code *} matches any one token,
 * and a last token that is exactly {@code >} matches one or more tokens. A {@code *} or {@code >}
 * inside a longer token is an ordinary byte. A pattern has no empty token, so {@code a..*},
 * {@code .*} and {@code *.} are refused, and {@code >} may only be last.
 *
 * <p>Stateless; safe on any thread.
 */
public final class TokenPatterns
{
    public static final byte SEPARATOR = '.';
    public static final byte ONE_TOKEN = '*';
    public static final byte ONE_OR_MORE_TOKENS = '>';

    /** What {@link #classify} found. */
    public enum Shape
    {
        /** No wildcard token: an exact topic, whatever its other bytes. */
        EXACT,
        /** A valid pattern. */
        PATTERN,
        /** Wildcard tokens that break the rules above. */
        INVALID
    }

    private TokenPatterns()
    {
    }

    /** Classifies the topic at {@code topic[from, to)}. */
    public static Shape classify(final ByteBuf topic, final int from, final int to)
    {
        boolean wildcard = false;
        boolean emptyToken = false;
        boolean restNotLast = false;
        int tokenStart = from;
        for (int i = from; i <= to; i++)
        {
            if (i < to && topic.getByte(i) != SEPARATOR)
            {
                continue;
            }
            final int length = i - tokenStart;
            emptyToken |= length == 0;
            if (length == 1)
            {
                final byte b = topic.getByte(tokenStart);
                wildcard |= b == ONE_TOKEN || b == ONE_OR_MORE_TOKENS;
                restNotLast |= b == ONE_OR_MORE_TOKENS && i < to;
            }
            tokenStart = i + 1;
        }
        if (!wildcard)
        {
            return Shape.EXACT;
        }
        return emptyToken || restNotLast ? Shape.INVALID : Shape.PATTERN;
    }
}
