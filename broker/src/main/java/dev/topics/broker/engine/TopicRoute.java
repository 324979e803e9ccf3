package dev.topics.broker.engine;

import dev.topics.transport.WireProtocol;

import java.util.Arrays;

/**
 * A cached topic's resolution: the patterns that match it and, de-duplicated by connection, every
 * session that receives it. One per cache slot, handed from an evicted topic to the next, so a
 * full cache churns without allocating new routes.
 *
 * <p>Owned by the engine thread; only {@link Routing} changes it.
 */
final class TopicRoute
{
    private static final SessionState[] NONE = new SessionState[0];
    private static final Pattern[] NO_PATTERNS = new Pattern[0];

    Topic topic;
    /** This route's index in the cache's clock. */
    int slot;
    /** Set by each publish, cleared by the clock hand: a second chance before eviction. */
    boolean recentlyUsed;

    Pattern[] patterns = NO_PATTERNS;
    int patternCount;

    SessionState[] receivers = NONE;
    /**
     * For each receiver, the pattern it receives through when its session takes one delivery per
     * subscription; null for a delivery by exact subscription or once per connection.
     */
    Pattern[] via = NO_PATTERNS;
    int receiverCount;
    /** {@link #receivers} by their protocol's index, for STATS. */
    final int[] receiversByProtocol = new int[WireProtocol.values().length];
    /** Subscriptions that match, each counted (exact subscribers plus each pattern's): PUBLISH's count. */
    int subscriptionCount;
    /** The receivers no longer reflect the subscribers of the topic or of its patterns. */
    boolean stale;

    TopicRoute(final int slot)
    {
        this.slot = slot;
    }

    void addPattern(final Pattern pattern)
    {
        if (patternCount == patterns.length)
        {
            patterns = Arrays.copyOf(patterns, Math.max(2, patternCount * 2));
        }
        patterns[patternCount++] = pattern;
        stale = true;
    }

    void removePattern(final Pattern pattern)
    {
        for (int i = 0; i < patternCount; i++)
        {
            if (patterns[i] == pattern)
            {
                patterns[i] = patterns[--patternCount];
                patterns[patternCount] = null;
                stale = true;
                break;
            }
        }
        if (patternCount == 0)
        {
            dropReceivers(); // the topic's exact subscribers are its receivers now
        }
    }

    /** Forgets the topic, its patterns and its receivers, ready for the next topic in this slot. */
    void clear()
    {
        topic = null;
        recentlyUsed = false;
        Arrays.fill(patterns, 0, patternCount, null);
        patternCount = 0;
        dropReceivers();
        stale = false;
    }

    /** Lets go of the merged sessions, so a closed connection is not kept alive by a cached route. */
    private void dropReceivers()
    {
        Arrays.fill(receivers, 0, receiverCount, null);
        Arrays.fill(via, 0, Math.min(receiverCount, via.length), null);
        receiverCount = 0;
        subscriptionCount = 0;
        Arrays.fill(receiversByProtocol, 0);
    }
}
