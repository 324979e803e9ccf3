package dev.topics.broker.engine;

import dev.topics.transport.WireProtocol;

import java.util.Arrays;

/**
 * The sessions subscribed to one thing, a topic or a pattern, in a dense array: a publish walks
 * it, and each session knows its own index in it (see {@link SessionState}), so removing one is a
 * swap with the last, O(1) however many others subscribe.
 *
 * <p>Owned by the engine thread. Identity equality: the engine maps names to sets, never sets by
 * value.
 */
abstract class SubscriberSet
{
    private static final SessionState[] NONE = new SessionState[0];

    final TopicName name;
    private SessionState[] subscribers = NONE;
    private int subscriberCount;
    /** Subscribers by their protocol's index ({@link SessionState#protocol}): STATS' deliveries by protocol. */
    private final int[] byProtocol = new int[WireProtocol.values().length];

    SubscriberSet(final TopicName name)
    {
        this.name = name;
    }

    final int subscriberCount()
    {
        return subscriberCount;
    }

    /** Subscribers whose protocol has index {@code protocol}. */
    final int subscriberCount(final int protocol)
    {
        return byProtocol[protocol];
    }

    final SessionState subscriber(final int index)
    {
        return subscribers[index];
    }

    /** The array behind {@link #subscriber}; read only, valid up to {@link #subscriberCount()}. */
    final SessionState[] subscriberArray()
    {
        return subscribers;
    }

    final void addSubscriber(final SessionState state)
    {
        if (subscriberCount == subscribers.length)
        {
            subscribers = Arrays.copyOf(subscribers, Math.max(4, subscriberCount * 2));
        }
        subscribers[subscriberCount] = state;
        state.position(this, subscriberCount);
        subscriberCount++;
        byProtocol[state.protocol]++;
    }

    /** Removes {@code state} in O(1) by moving the last subscriber into its place. */
    final void removeSubscriber(final SessionState state)
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
        state.forget(this);
        byProtocol[state.protocol]--;
    }
}
