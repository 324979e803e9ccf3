package dev.topics.broker.engine;

import dev.topics.transport.Session;
import org.agrona.collections.Object2IntHashMap;

/**
 * The engine's record of one connected session, publisher or subscriber: what it subscribes to,
 * topics and patterns alike, each with this session's index in that set's subscriber array, so
 * unsubscribing and disconnecting cost O(1) per subscription however many others subscribe to
 * the same topic or pattern.
 *
 * <p>Owned by the engine thread.
 */
final class SessionState
{
    private static final int NOT_SUBSCRIBED = -1;

    final Session session;
    /** Topic or pattern → this session's index in its subscriber array. Identity-hashed. */
    private final Object2IntHashMap<SubscriberSet> positions = new Object2IntHashMap<>(NOT_SUBSCRIBED);
    /**
     * The last {@link Routing} pass that counted this session as a receiver: what makes a
     * connection receive a message once however many of its subscriptions match.
     */
    long receiverMark;

    SessionState(final Session session)
    {
        this.session = session;
    }

    /** Topics and patterns together: what --max-subscriptions limits. */
    int subscriptionCount()
    {
        return positions.size();
    }

    boolean isSubscribed(final SubscriberSet set)
    {
        return positions.containsKey(set);
    }

    /** This session's index in {@code set}'s subscriber array; only while subscribed. */
    int positionIn(final SubscriberSet set)
    {
        return positions.getValue(set);
    }

    /** Records (or, after a swap in the set's array, updates) this session's index in {@code set}. */
    void position(final SubscriberSet set, final int index)
    {
        positions.put(set, index);
    }

    void forget(final SubscriberSet set)
    {
        positions.removeKey(set);
    }

    /** A copy of what this session subscribes to, to unsubscribe from each while iterating. */
    SubscriberSet[] subscriptions()
    {
        return positions.keySet().toArray(new SubscriberSet[0]);
    }
}
