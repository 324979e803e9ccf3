package dev.topics.broker.engine;

import dev.topics.transport.Session;
import dev.topics.transport.codec.ReplyEncoder;
import org.agrona.collections.Object2IntHashMap;

/**
 * The engine's record of one connected session, publisher or subscriber: what it subscribes to,
 * topics and patterns alike, each with this session's index in that set's subscriber array, so
 * unsubscribing and disconnecting cost O(1) per subscription however many others subscribe to
 * the same topic or pattern; and what CLIENTS shows of it that the engine owns (name, age,
 * subscriptions of each kind).
 *
 * <p>Owned by the engine thread.
 */
final class SessionState
{
    private static final int NOT_SUBSCRIBED = -1;

    final Session session;
    /**
     * How this session's replies and deliveries are written now: its first encoder until HELLO
     * switches the protocol version.
     */
    ReplyEncoder encoder;
    /** Whether a message reaches it once per matching subscription (RESP) rather than once. */
    final boolean perSubscription;
    /** Its protocol's index, which STATS counts by. */
    final int protocol;
    /** Topic or pattern → this session's index in its subscriber array. Identity-hashed. */
    private final Object2IntHashMap<SubscriberSet> positions = new Object2IntHashMap<>(NOT_SUBSCRIBED);
    /**
     * The last {@link Routing} pass that counted this session as a receiver: what makes a
     * connection receive a message once however many of its subscriptions match.
     */
    long receiverMark;
    /** When the engine applied this session's CONNECT ({@link System#nanoTime()}). */
    final long connectedNs;
    /** Set by NAME: one word of at most {@code Command.MAX_NAME_BYTES}; null until then. */
    byte[] name;
    /**
     * In a cluster: the id of this session's GET waiting for a topic's home to answer, or 0. While
     * one waits, the session's later commands wait in {@link #held}, so replies keep their order.
     */
    long awaiting;
    /** The commands that arrived while {@link #awaiting}, in order; null until the first. */
    java.util.ArrayDeque<dev.topics.broker.ingress.InboundEvent> held;
    /** How many of {@link #positions}' keys are patterns, kept where the map changes. */
    private int patternCount;

    SessionState(final Session session, final long connectedNs)
    {
        this.session = session;
        this.connectedNs = connectedNs;
        // Routing tests make states without a session: a text-like receiver.
        this.encoder = session == null ? null : session.encoder();
        this.perSubscription = encoder != null && encoder.deliversPerSubscription();
        this.protocol = session == null ? 0 : session.protocol().ordinal();
    }

    /** Topics and patterns together: what --max-subscriptions limits. */
    int subscriptionCount()
    {
        return positions.size();
    }

    /** Exact topics subscribed to. */
    int topicCount()
    {
        return positions.size() - patternCount;
    }

    /** Patterns subscribed to. */
    int patternCount()
    {
        return patternCount;
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
        if (positions.put(set, index) == NOT_SUBSCRIBED && set instanceof Pattern)
        {
            patternCount++;
        }
    }

    void forget(final SubscriberSet set)
    {
        if (positions.removeKey(set) != NOT_SUBSCRIBED && set instanceof Pattern)
        {
            patternCount--;
        }
    }

    /** A copy of what this session subscribes to, to unsubscribe from each while iterating. */
    SubscriberSet[] subscriptions()
    {
        return positions.keySet().toArray(new SubscriberSet[0]);
    }
}
