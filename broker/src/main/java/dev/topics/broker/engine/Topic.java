package dev.topics.broker.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;

/**
 * One topic: its exact subscribers, its latest value, and, while patterns exist and the topic is
 * in {@link Routing}'s cache, its route: who receives it by exact subscription or pattern.
 *
 * <p>Owned by the engine thread. The latest value is kept as a copy of the last delivery frame, in
 * an array of this topic's own (not a pooled buffer: it lives as long as the topic, and a copy of
 * a small frame is cheaper than holding the publisher's buffer), which {@code GET} is answered
 * from.
 */
final class Topic extends SubscriberSet
{
    /** Arrays up to this size are kept however small the next value is. */
    private static final int SHRINK_ABOVE_BYTES = 1024;

    /** The latest delivery frame in {@code latest[0, latestLength)}; null before the first. */
    private byte[] latest;
    private int latestLength;
    /** Set by {@link Routing} while this topic is cached; null otherwise. */
    TopicRoute route;
    /** Neighbours in {@link LatestValues}' order of last publish (with {@code --when-full evict} only). */
    Topic olderValue;
    Topic newerValue;
    /** In a cluster: the peers with interest in this topic, as {@link PeerInterest} last computed them. */
    long peers;
    /** The {@link PeerInterest#version()} {@link #peers} was computed at; -1: never. */
    int peersVersion = -1;

    Topic(final TopicName name)
    {
        super(name);
    }

    /**
     * Who receives a publish, valid up to {@link #receiverCount()}: the exact subscribers when no
     * pattern matches, else the route's de-duplicated union (which {@link Routing#prepare} has
     * brought up to date).
     */
    SessionState[] receivers()
    {
        final TopicRoute r = route;
        return r == null || r.patternCount == 0 ? subscriberArray() : r.receivers;
    }

    /**
     * For each of {@link #receivers()}, the pattern its delivery is for (a session that receives
     * once per subscription), or null; the array itself is null when no pattern matches.
     */
    Pattern[] receiverPatterns()
    {
        final TopicRoute r = route;
        return r == null || r.patternCount == 0 ? null : r.via;
    }

    /** Matching subscriptions, each counted: exact subscribers plus every matching pattern's. */
    int subscriptionCount()
    {
        final TopicRoute r = route;
        return r == null || r.patternCount == 0 ? subscriberCount() : r.subscriptionCount;
    }

    /** Of {@link #receiverCount()}, the deliveries to sessions whose protocol has index {@code protocol}. */
    int receiverCount(final int protocol)
    {
        final TopicRoute r = route;
        return r == null || r.patternCount == 0 ? subscriberCount(protocol) : r.receiversByProtocol[protocol];
    }

    int receiverCount()
    {
        final TopicRoute r = route;
        return r == null || r.patternCount == 0 ? subscriberCount() : r.receiverCount;
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

    /** Writes the latest delivery frame into {@code dst} at {@code at}; returns its length (0: none). */
    int copyLatestTo(final org.agrona.MutableDirectBuffer dst, final int at)
    {
        if (latest != null)
        {
            dst.putBytes(at, latest, 0, latestLength);
        }
        return latest == null ? 0 : latestLength;
    }

    /**
     * Keeps a copy of {@code frame[offset, offset + length)} as the latest value, reusing this
     * topic's array when it fits so that a steady stream of publishes allocates nothing; an
     * array four times too large is given back.
     */
    void storeLatest(final ByteBuf frame, final int offset, final int length)
    {
        if (needsNewArray(length))
        {
            latest = new byte[length];
        }
        frame.getBytes(offset, latest, 0, length);
        latestLength = length;
    }

    /** Bytes of the array holding the latest value, 0 when there is none. */
    int latestBytes()
    {
        return latest == null ? 0 : latest.length;
    }

    /** What {@link #latestBytes()} would be after storing a value of {@code length} bytes. */
    int latestBytesAfter(final int length)
    {
        return needsNewArray(length) ? length : latest.length;
    }

    /** Drops the latest value (evicted): {@code GET} answers {@code NOVALUE} again. */
    void clearLatest()
    {
        latest = null;
        latestLength = 0;
    }

    private boolean needsNewArray(final int length)
    {
        return latest == null || latest.length < length || latest.length > SHRINK_ABOVE_BYTES && latest.length / 4 > length;
    }

    /** A topic with no exact subscribers and no value holds nothing worth keeping. */
    boolean isEmpty()
    {
        return subscriberCount() == 0 && latest == null;
    }

    @Override
    public String toString()
    {
        return "Topic[" + name + "]";
    }
}
