package dev.topics.transport;

import dev.topics.transport.codec.ParsedLine;

/**
 * Where the transport hands every connection event and parsed command, in the order they happened
 * on each connection.
 *
 * <p>Called on the connection's event-loop thread, concurrently from several event loops. Each
 * method must not block: it returns false when there is no room now, and the transport stops
 * reading that connection and offers the same item again later. It never throws.
 */
public interface CommandSink
{
    boolean offerConnect(Session session);

    /** The line's buffers are valid only during the call: copy what must outlive it. */
    boolean offerCommand(Session session, ParsedLine line);

    boolean offerDisconnect(Session session);

    /**
     * Whether room is made by a task already queued on the caller's own event loop (the engine
     * polled there), so a refused item is best offered again as the next task, not after a delay
     * that would leave the loop idle.
     */
    default boolean drainsOnCallersLoop()
    {
        return false;
    }
}
