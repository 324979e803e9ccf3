package dev.topics.broker.engine;

import dev.topics.transport.Session;

import java.util.HashSet;

/**
 * The engine's record of one connected session: the topics it subscribes to, so a disconnect can
 * remove every subscription it made.
 *
 * <p>Owned by the engine thread.
 */
final class Subscriber
{
    final Session session;
    final HashSet<Topic> topics = new HashSet<>();

    Subscriber(final Session session)
    {
        this.session = session;
    }
}
