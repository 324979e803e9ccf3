package dev.topics.broker.engine;

import dev.topics.transport.codec.TopicMatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which peers listen to a topic, by exact subscription or pattern, as their INTEREST messages said. */
class PeerInterestTest
{
    private final PeerInterest interest = new PeerInterest();

    private static Topic topic(final String name)
    {
        return new Topic(PatternReference.name(name));
    }

    private static TopicName probe(final String name)
    {
        return PatternReference.name(name);
    }

    @Test
    void exactAndPatternInterestAddUpPerPeer()
    {
        final Topic paid = topic("orders.eu.paid");
        assertEquals(0, interest.peersFor(paid));
        interest.add(2, TopicMatch.EXACT, probe("orders.eu.paid"));
        interest.add(3, TopicMatch.TOKEN_PATTERN, probe("orders.>"));
        interest.add(5, TopicMatch.GLOB_PATTERN, probe("orders.*.p?id"));
        interest.add(4, TopicMatch.TOKEN_PATTERN, probe("users.>"));
        assertEquals(1L << 2 | 1L << 3 | 1L << 5, interest.peersFor(paid));
        assertEquals(1L << 3, interest.peersFor(topic("orders.us.new")));
    }

    @Test
    void removingOrClearingAPeerStopsItsShareAndTheCachedAnswerFollows()
    {
        final Topic paid = topic("orders.eu.paid");
        interest.add(2, TopicMatch.EXACT, probe("orders.eu.paid"));
        interest.add(2, TopicMatch.TOKEN_PATTERN, probe("orders.*.paid"));
        interest.add(3, TopicMatch.EXACT, probe("orders.eu.paid"));
        assertEquals(1L << 2 | 1L << 3, interest.peersFor(paid));
        interest.remove(2, TopicMatch.EXACT, probe("orders.eu.paid"));
        assertEquals(1L << 2 | 1L << 3, interest.peersFor(paid), "still through its pattern");
        interest.remove(2, TopicMatch.TOKEN_PATTERN, probe("orders.*.paid"));
        assertEquals(1L << 3, interest.peersFor(paid));
        interest.add(2, TopicMatch.GLOB_PATTERN, probe("orders*"));
        interest.clear(3);
        assertEquals(1L << 2, interest.peersFor(paid), "a cleared peer is gone, exact and patterns");
        interest.clear(2);
        assertEquals(0, interest.peersFor(paid));
    }

    @Test
    void addingTwiceIsOnceAndRemovingWhatWasNeverAddedChangesNothing()
    {
        final Topic news = topic("news");
        interest.add(2, TopicMatch.EXACT, probe("news"));
        interest.add(2, TopicMatch.EXACT, probe("news"));
        interest.remove(3, TopicMatch.EXACT, probe("news"));
        interest.remove(2, TopicMatch.TOKEN_PATTERN, probe("news.>"));
        assertEquals(1L << 2, interest.peersFor(news));
        interest.remove(2, TopicMatch.EXACT, probe("news"));
        assertEquals(0, interest.peersFor(news));
    }
}
