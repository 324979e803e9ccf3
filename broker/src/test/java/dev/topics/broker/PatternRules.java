package dev.topics.broker;

import java.util.Collection;

/**
 * The pattern rules of the text protocol, written again as plainly as possible and independently
 * of the broker's token tree, so that end-to-end tests can predict deliveries from them: a token
 * exactly {@code *} matches one token, a last token exactly {@code >} matches one or more, and any
 * other token (including {@code a*} or {@code b>}) matches only itself.
 *
 * <p>Stateless; safe on any thread. Only for well-formed patterns: the tests send malformed ones
 * to the broker, never to this oracle.
 */
final class PatternRules
{
    private PatternRules()
    {
    }

    /** Whether {@code target} (a SUB argument) is a pattern rather than an exact topic. */
    static boolean isPattern(final String target)
    {
        for (final String token : tokens(target))
        {
            if (token.equals("*") || token.equals(">"))
            {
                return true;
            }
        }
        return false;
    }

    /** Whether a subscription to {@code target}, exact or pattern, receives a publish to {@code topic}. */
    static boolean matches(final String target, final String topic)
    {
        final String[] pattern = tokens(target);
        final String[] concrete = tokens(topic);
        for (int i = 0; i < pattern.length; i++)
        {
            if (pattern[i].equals(">"))
            {
                return concrete.length > i;
            }
            if (i >= concrete.length || !pattern[i].equals("*") && !pattern[i].equals(concrete[i]))
            {
                return false;
            }
        }
        return pattern.length == concrete.length;
    }

    /** Whether any of a connection's subscriptions receives a publish to {@code topic}: it then receives it once. */
    static boolean matchesAny(final Collection<String> targets, final String topic)
    {
        for (final String target : targets)
        {
            if (matches(target, topic))
            {
                return true;
            }
        }
        return false;
    }

    /** Splits at every dot, keeping empty tokens. */
    private static String[] tokens(final String name)
    {
        return name.split("\\.", -1);
    }
}
