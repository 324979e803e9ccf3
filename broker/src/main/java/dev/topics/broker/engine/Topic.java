package dev.topics.broker.engine;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;

/**
 * One topic: its subscribers and its latest value.
 *
 * <p>Owned by the engine thread. The latest value is kept as the last {@code UPDATED} frame (one
 * reference held here), which is also what {@code GET} is answered from.
 */
final class Topic
{
    final TopicName name;
    final ArrayList<Subscriber> subscribers = new ArrayList<>();
    private ByteBuf latest;
    private int latestShard;

    Topic(final TopicName name)
    {
        this.name = name;
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

    /** Removes {@code subscriber} by swapping the last one into its place; order does not matter. */
    void removeSubscriber(final Subscriber subscriber)
    {
        final int index = subscribers.indexOf(subscriber);
        final int last = subscribers.size() - 1;
        subscribers.set(index, subscribers.get(last));
        subscribers.remove(last);
    }

    /** A topic with no subscribers and no value holds nothing worth keeping. */
    boolean isEmpty()
    {
        return subscribers.isEmpty() && latest == null;
    }
}
