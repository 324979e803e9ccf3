package dev.topics.broker.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;

/**
 * One topic: its subscribers and its latest value.
 *
 * <p>Owned by the engine thread. The latest value is kept as a copy of the last delivery frame, in
 * an array of this topic's own (not a pooled buffer: it lives as long as the topic, and a copy of
 * a small frame is cheaper than holding the publisher's buffer), which {@code GET} is answered from. Subscribers sit in a dense array
 * (the publish loop walks it); each knows its own index, so removing one is a swap with the last.
 * Identity equality: the engine maps names to topics, never topics by value.
 */
final class Topic
{
    private static final SessionState[] NONE = new SessionState[0];

    final TopicName name;
    private SessionState[] subscribers = NONE;
    private int subscriberCount;
    /** Arrays up to this size are kept however small the next value is. */
    private static final int SHRINK_ABOVE_BYTES = 1024;

    /** The latest delivery frame in {@code latest[0, latestLength)}; null before the first. */
    private byte[] latest;
    private int latestLength;

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

    /** Whether a value was ever published and kept. */
    boolean hasLatest()
    {
        return latest != null;
    }

    /** A copy of the latest delivery frame, for GET (rare, so it may allocate). */
    ByteBuf copyOfLatest()
    {
        return Unpooled.wrappedBuffer(Arrays.copyOf(latest, latestLength));
    }

    /**
     * Keeps a copy of {@code frame[offset, offset + length)} as the latest value, reusing this
     * topic's array when it fits so that a steady stream of publishes allocates nothing; an
     * array four times too large is given back.
     */
    void storeLatest(final ByteBuf frame, final int offset, final int length)
    {
        if (latest == null || latest.length < length || latest.length > SHRINK_ABOVE_BYTES && latest.length / 4 > length)
        {
            latest = new byte[length];
        }
        frame.getBytes(offset, latest, 0, length);
        latestLength = length;
    }

    /** A topic with no subscribers and no value holds nothing worth keeping. */
    boolean isEmpty()
    {
        return subscriberCount == 0 && latest == null;
    }
}
