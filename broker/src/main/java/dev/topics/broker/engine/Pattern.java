package dev.topics.broker.engine;

import dev.topics.transport.codec.TopicMatch;
import org.agrona.collections.ObjectHashSet;

/**
 * One pattern subscription target, such as {@code orders.>}: its subscribers, and the cached
 * topics it matches, so that a change to this pattern touches exactly those topics' routes.
 *
 * <p>Owned by the engine thread. Which topics it matches is its {@link PatternIndex}'s business;
 * a pattern itself knows only its name.
 */
final class Pattern extends SubscriberSet
{
    /** The syntax this pattern is written in, which names its {@link PatternIndex}. */
    final TopicMatch syntax;
    /** The cached topics whose route counts this pattern (see {@link Routing}). */
    final ObjectHashSet<Topic> cachedMatches = new ObjectHashSet<>();
    /** In {@link PeerInterest} only: the peers with subscribers for this pattern, as a bit set. */
    long peers;

    Pattern(final TopicName name, final TopicMatch syntax)
    {
        super(name);
        this.syntax = syntax;
    }

    @Override
    public String toString()
    {
        return "Pattern[" + name + "]";
    }
}
