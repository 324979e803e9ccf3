package dev.topics.loadgen.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopologyTest
{
    @Test
    void shouldFanOneTopicOutToEverySubscriber()
    {
        final Topology fanout = new Topology(1, 8, 1);

        assertEquals(1, fanout.streams());
        for (int s = 0; s < 8; s++)
        {
            assertArrayEquals(new int[] {0}, fanout.topicsOf(s));
            assertTrue(fanout.receivesFrom(s, 0));
        }
    }

    @Test
    void shouldGiveEveryTopicOnePublisherAndOneSubscriberWhenTopicsOutnumberBoth()
    {
        final Topology topics = new Topology(4, 4, 64);

        assertEquals(64, topics.streams());
        assertArrayEquals(new int[] {1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45, 49, 53, 57, 61}, topics.streamsOf(1));
        final int[] subscribersPerTopic = new int[64];
        for (int s = 0; s < 4; s++)
        {
            for (final int topic : topics.topicsOf(s))
            {
                subscribersPerTopic[topic]++;
                assertTrue(topics.subscribes(s, topic));
            }
        }
        for (final int count : subscribersPerTopic)
        {
            assertEquals(1, count);
        }
    }

    @Test
    void shouldSubscribeEverySubscriberOnceToThePatternThatMatchesEveryTopic()
    {
        final Topology pattern = new Topology(1, 3, 2, true);

        assertTrue(pattern.byPattern());
        assertEquals("bench.0", pattern.topicName(0));
        assertEquals("bench.1", pattern.topicName(1));
        for (int s = 0; s < 3; s++)
        {
            assertArrayEquals(new String[] {"bench.*"}, pattern.subscriptionsOf(s));
            assertArrayEquals(new int[] {0, 1}, pattern.topicsOf(s));
            assertTrue(pattern.subscribes(s, 0) && pattern.subscribes(s, 1));
            assertTrue(pattern.receivesFrom(s, 0));
        }
    }

    @Test
    void shouldSubscribeToExactTopicNamesWithoutAPattern()
    {
        final Topology exact = new Topology(1, 2, 4);

        assertFalse(exact.byPattern());
        assertArrayEquals(new String[] {"lg.t1", "lg.t3"}, exact.subscriptionsOf(1));
    }

    @Test
    void shouldShareATopicBetweenPublishersWhenPublishersOutnumberTopics()
    {
        final Topology shared = new Topology(4, 1, 2);

        assertEquals(4, shared.streams());
        assertEquals(0, shared.topicOf(2));
        assertEquals(2, shared.publisherOf(2));
        assertArrayEquals(new int[] {0, 1}, shared.topicsOf(0));
    }
}
