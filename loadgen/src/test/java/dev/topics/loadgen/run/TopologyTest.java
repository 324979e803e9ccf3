package dev.topics.loadgen.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void shouldShareATopicBetweenPublishersWhenPublishersOutnumberTopics()
    {
        final Topology shared = new Topology(4, 1, 2);

        assertEquals(4, shared.streams());
        assertEquals(0, shared.topicOf(2));
        assertEquals(2, shared.publisherOf(2));
        assertArrayEquals(new int[] {0, 1}, shared.topicsOf(0));
    }
}
