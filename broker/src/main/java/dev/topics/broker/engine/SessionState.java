package dev.topics.broker.engine;

import dev.topics.transport.Session;
import org.agrona.collections.Object2IntHashMap;

/**
 * The engine's record of one connected session, publisher or subscriber: the topics it subscribes
 * to, each with this session's index in that topic's subscriber array, so unsubscribing and
 * disconnecting cost O(1) per subscription however many others subscribe to the same topic.
 *
 * <p>Owned by the engine thread.
 */
final class SessionState
{
    private static final int NOT_SUBSCRIBED = -1;

    final Session session;
    /** Topic → this session's index in {@link Topic#subscriber(int)}. Identity-hashed topics. */
    private final Object2IntHashMap<Topic> positions = new Object2IntHashMap<>(NOT_SUBSCRIBED);

    SessionState(final Session session)
    {
        this.session = session;
    }

    int subscriptionCount()
    {
        return positions.size();
    }

    boolean isSubscribed(final Topic topic)
    {
        return positions.containsKey(topic);
    }

    /** This session's index in {@code topic}'s subscriber array; only while subscribed. */
    int positionIn(final Topic topic)
    {
        return positions.getValue(topic);
    }

    /** Records (or, after a swap in the topic's array, updates) this session's index in {@code topic}. */
    void position(final Topic topic, final int index)
    {
        positions.put(topic, index);
    }

    void forget(final Topic topic)
    {
        positions.removeKey(topic);
    }

    /** The topics subscribed to; iterate only, never modify through it. */
    Iterable<Topic> topics()
    {
        return positions.keySet();
    }

    void forgetAll()
    {
        positions.clear();
    }
}
