package dev.topics.broker.engine;

import dev.topics.transport.MemoryBudget;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The latest values' account in the memory budget, driven on the test thread. */
class LatestValuesTest
{
    private static final long MIB = 1024 * 1024;
    /** One value: its array plus the counted overhead. */
    private static final long VALUE_COST = MIB + LatestValues.VALUE_OVERHEAD_BYTES;

    private final MemoryBudget budget = new MemoryBudget(32 * MIB);
    private final ByteBuf frame = Unpooled.wrappedBuffer(new byte[(int)MIB]);
    private final List<Topic> evicted = new ArrayList<>();

    private LatestValues values(final Retention retention, final WhenFull whenFull)
    {
        return new LatestValues(budget, retention, whenFull, evicted::add);
    }

    private static Topic topic(final int n)
    {
        final byte[] name = ("t." + n).getBytes(StandardCharsets.US_ASCII);
        return new Topic(TopicName.probe().wrap(name, name.length).copy());
    }

    /** Stores 1 MiB values in new topics until one is refused; returns the topics, the refused one last. */
    private static List<Topic> fill(final LatestValues values, final ByteBuf frame)
    {
        final List<Topic> topics = new ArrayList<>();
        boolean stored = true;
        for (int i = 0; stored && i < 100; i++)
        {
            final Topic topic = topic(i);
            topics.add(topic);
            stored = values.store(topic, frame, 0, frame.readableBytes());
        }
        return topics;
    }

    @Test
    void shouldRefuseAValueThatWouldTakeTheTotalPastTheReserve()
    {
        final LatestValues values = values(Retention.LATEST, WhenFull.REFUSE);
        budget.sample(0);

        final List<Topic> topics = fill(values, frame);

        final long fitting = budget.refuseAtBytes() / VALUE_COST;
        assertEquals(fitting + 1, topics.size(), "30 MiB of 32 hold this many 1 MiB values, the next is refused");
        assertFalse(topics.get(topics.size() - 1).hasLatest(), "nothing stored for the refused one");
        assertEquals(fitting * VALUE_COST, values.totalBytes());
        assertEquals(fitting * VALUE_COST, budget.usedBytes(), "the engine's total is published to the budget");
        assertTrue(values.store(topics.get(0), frame, 0, frame.readableBytes()),
            "a value that stores no more than the one it replaces still goes through when full");
    }

    @Test
    void shouldCountTheDirectMemoryOfTheLastSample()
    {
        final LatestValues values = values(Retention.LATEST, WhenFull.REFUSE);
        budget.sample(budget.refuseAtBytes() - MIB);

        assertFalse(values.store(topic(1), frame, 0, frame.readableBytes()), "1 MiB left is not 1 MiB plus overhead");
        assertTrue(values.store(topic(2), frame, 0, 1000));
    }

    @Test
    void shouldEvictTheLeastRecentlyPublishedValuesOfTopicsNobodySubscribesTo()
    {
        final LatestValues values = values(Retention.LATEST, WhenFull.EVICT);
        budget.sample(0);
        final List<Topic> topics = new ArrayList<>();
        for (int i = 0; i < 29; i++)
        {
            topics.add(topic(i));
            assertTrue(values.store(topics.get(i), frame, 0, frame.readableBytes()));
        }
        topics.get(0).addSubscriber(new SessionState(new Session(1, new EmbeddedChannel(), 0, Replies.TEXT), 0));
        assertTrue(values.store(topics.get(1), frame, 0, frame.readableBytes()), "1 is now the most recent");

        assertTrue(values.store(topic(100), frame, 0, frame.readableBytes()), "room is made");

        assertEquals(List.of(topics.get(2)), evicted, "0 has a subscriber, 1 was published again: 2 goes");
        assertFalse(topics.get(2).hasLatest());
        assertTrue(topics.get(0).hasLatest() && topics.get(1).hasLatest() && topics.get(3).hasLatest());
        assertEquals(1, budget.evictions());
        assertEquals(29 * VALUE_COST, values.totalBytes());
    }

    @Test
    void shouldNotEvictWhenTheDirectMemoryAloneLeavesNoRoom()
    {
        final LatestValues values = values(Retention.LATEST, WhenFull.EVICT);
        budget.sample(0);
        final Topic kept = topic(1);
        assertTrue(values.store(kept, frame, 0, 1000));
        budget.sample(budget.refuseAtBytes());

        assertFalse(values.store(topic(2), frame, 0, frame.readableBytes()));

        assertTrue(kept.hasLatest(), "evicting could not have made room, so nothing was evicted");
        assertEquals(List.of(), evicted);
    }

    @Test
    void shouldStoreNothingWithoutRetention()
    {
        final LatestValues values = values(Retention.NONE, WhenFull.REFUSE);
        budget.sample(0);
        final Topic topic = topic(1);

        assertTrue(values.store(topic, frame, 0, frame.readableBytes()));

        assertFalse(topic.hasLatest());
        assertEquals(0, values.totalBytes());
    }
}
