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

    Topic(final TopicName name)
    {
        this.name = name;
    }

    ByteBuf latest()
    {
        return latest;
    }

    /** Keeps {@code frame} (taking over the caller's reference) and releases the previous value. */
    void replaceLatest(final ByteBuf frame)
    {
        final ByteBuf previous = latest;
        latest = frame;
        if (previous != null)
        {
            previous.release();
        }
    }

    void releaseLatest()
    {
        replaceLatest(null);
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
