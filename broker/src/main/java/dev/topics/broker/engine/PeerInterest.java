package dev.topics.broker.engine;

import dev.topics.transport.codec.TopicMatch;
import org.agrona.collections.Object2LongHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Which peers have subscribers for which topics and patterns, as they told us (INTEREST
 * messages), so that a topic's home sends its publications only where someone listens, as NATS
 * gateways do. Each peer's interest is a bit in a set per exact topic and per pattern; a
 * publication asks {@link #peersFor} once, cached on the topic until any interest changes.
 *
 * <p>Owned by the engine thread.
 */
final class PeerInterest
{
    private final Object2LongHashMap<TopicName> exact = new Object2LongHashMap<>(0L);
    private final PatternIndex[] indexes = new PatternIndex[TopicMatch.values().length];
    private final List<Pattern> patterns = new ArrayList<>();
    private final Tokens tokens = new Tokens();
    private final List<Pattern> matches = new ArrayList<>();
    private int version;

    PeerInterest()
    {
        indexes[TopicMatch.TOKEN_PATTERN.ordinal()] = new TokenPatternIndex();
        indexes[TopicMatch.GLOB_PATTERN.ordinal()] = new GlobPatternIndex();
    }

    /** Changes whenever any interest changes. */
    int version()
    {
        return version;
    }

    /** {@code peer} has subscribers for the topic or pattern {@code probe} points at. */
    void add(final int peer, final TopicMatch match, final TopicName probe)
    {
        final long bit = 1L << peer;
        if (match == TopicMatch.EXACT)
        {
            final long peers = exact.getValue(probe);
            if ((peers & bit) == 0)
            {
                exact.put(peers == 0 ? probe.copy() : probe, peers | bit);
                version++;
            }
            return;
        }
        final PatternIndex index = indexes[match.ordinal()];
        Pattern pattern = index.find(probe);
        if (pattern == null)
        {
            pattern = index.add(probe.copy());
            patterns.add(pattern);
        }
        if ((pattern.peers & bit) == 0)
        {
            pattern.peers |= bit;
            version++;
        }
    }

    /** {@code peer} no longer has subscribers for it. */
    void remove(final int peer, final TopicMatch match, final TopicName probe)
    {
        final long bit = 1L << peer;
        if (match == TopicMatch.EXACT)
        {
            final long peers = exact.getValue(probe);
            if ((peers & bit) != 0)
            {
                if (peers == bit)
                {
                    exact.removeKey(probe);
                }
                else
                {
                    exact.put(probe, peers & ~bit);
                }
                version++;
            }
            return;
        }
        final Pattern pattern = indexes[match.ordinal()].find(probe);
        if (pattern != null && (pattern.peers & bit) != 0)
        {
            pattern.peers &= ~bit;
            if (pattern.peers == 0)
            {
                indexes[match.ordinal()].remove(pattern);
                patterns.remove(pattern);
            }
            version++;
        }
    }

    /** Forgets all of {@code peer}'s interest: it went down, or is about to send all of it again. */
    void clear(final int peer)
    {
        final long bit = 1L << peer;
        final Object2LongHashMap<TopicName>.EntryIterator entries = exact.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            final long peers = entries.getLongValue();
            if ((peers & bit) != 0)
            {
                if (peers == bit)
                {
                    entries.remove();
                }
                else
                {
                    entries.setValue(peers & ~bit);
                }
            }
        }
        for (int i = patterns.size() - 1; i >= 0; i--)
        {
            final Pattern pattern = patterns.get(i);
            pattern.peers &= ~bit;
            if (pattern.peers == 0)
            {
                indexes[pattern.syntax.ordinal()].remove(pattern);
                patterns.remove(i);
            }
        }
        version++;
    }

    /** The peers with interest in {@code topic}, by exact subscription or pattern. */
    long peersFor(final Topic topic)
    {
        if (topic.peersVersion != version)
        {
            topic.peers = compute(topic.name);
            topic.peersVersion = version;
        }
        return topic.peers;
    }

    private long compute(final TopicName name)
    {
        long peers = exact.getValue(name);
        if (!patterns.isEmpty())
        {
            tokens.split(name);
            matches.clear();
            for (final PatternIndex index : indexes)
            {
                if (index != null && index.size() > 0)
                {
                    index.collectMatches(tokens, matches);
                }
            }
            for (int i = 0; i < matches.size(); i++)
            {
                peers |= matches.get(i).peers;
            }
            matches.clear();
        }
        return peers;
    }
}
