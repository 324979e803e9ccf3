package dev.topics.broker.engine;

import java.nio.charset.StandardCharsets;

/**
 * The pattern rules written as plainly as possible, for tests to hold the engine's token trees
 * against: a pattern token {@code *} matches any one token (an empty one too), a last {@code >}
 * one or more, any other token only itself, byte for byte. Also makes the engine's name types
 * from strings.
 */
final class PatternReference
{
    private PatternReference()
    {
    }

    /** Whether {@code pattern}, a valid token pattern, matches the concrete topic {@code topic}. */
    static boolean matches(final String pattern, final String topic)
    {
        final String[] p = pattern.split("\\.", -1);
        final String[] t = topic.split("\\.", -1);
        for (int i = 0; i < p.length; i++)
        {
            if (p[i].equals(">"))
            {
                return t.length > i;
            }
            if (i == t.length || !p[i].equals("*") && !p[i].equals(t[i]))
            {
                return false;
            }
        }
        return p.length == t.length;
    }

    /** A stored name, as the engine keeps one. */
    static TopicName name(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return TopicName.probe().wrap(bytes, bytes.length).copy();
    }

    /** {@code text} split into its tokens. */
    static Tokens tokens(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new Tokens().split(bytes, bytes.length);
    }
}
