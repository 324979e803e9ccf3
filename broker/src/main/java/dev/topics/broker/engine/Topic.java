package dev.topics.broker.engine;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * One topic: its subscribers and its latest value.
 *
 * <p>Owned by the engine thread. The latest value is kept as the last delivery frame (one reference
 * held here), which is also what {@code GET} is answered from. Subscribers sit in a dense array
 * (the publish loop walks it); each knows its own index, so removing one is a swap with the last.
 * Identity equality: the engine maps names to topics, never topics by value.
 */
final class Topic
{
    private static final SessionState[] NONE = new SessionState[0];

    final TopicName name;
    private SessionState[] subscribers = NONE;
    private int subscriberCount;
    private ByteBuf latest;
    private int latestShard;

    Topic(final TopicName name)
    {
        this.name = name;
    }

    int subscriberCount()
    {
        return subscriberCount;
    }

    SessionState subscriber(final int index)
    {
        return subscribers[index];
    }

    void addSubscriber(final SessionState state)
    {
        if (subscriberCount == subscribers.length)
        {
            subscribers = Arrays.copyOf(subscribers, Math.max(4, subscriberCount * 2));
        }
        subscribers[subscriberCount] = state;
        state.position(this, subscriberCount);
        subscriberCount++;
    }

    /** Removes {@code state} in O(1) by moving the last subscriber into its place. */
    void removeSubscriber(final SessionState state)
    {
        final int index = state.positionIn(this);
        final int last = --subscriberCount;
        final SessionState moved = subscribers[last];
        subscribers[index] = moved;
        subscribers[last] = null;
        if (moved != state)
        {
            moved.position(this, index);
        }
    }

    ByteBuf latest()
    {
        return latest;
    }

    /** The writer shard of the event loop that allocated {@link #latest()}. */
    int latestShard()
    {
        return latestShard;
    }

    /**
     * Keeps {@code frame} (taking over the caller's reference) and returns the previous value,
     * whose reference now belongs to the caller; null if there was none.
     */
    ByteBuf replaceLatest(final ByteBuf frame, final int shard)
    {
        final ByteBuf previous = latest;
        latest = frame;
        latestShard = shard;
        return previous;
    }

    void releaseLatest()
    {
        if (latest != null)
        {
            latest.release();
            latest = null;
        }
    }

    /** A topic with no subscribers and no value holds nothing worth keeping. */
    boolean isEmpty()
    {
        return subscriberCount == 0 && latest == null;
    }
}
