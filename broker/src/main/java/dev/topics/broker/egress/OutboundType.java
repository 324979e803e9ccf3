package dev.topics.broker.egress;

/** What a writer is to send for an {@link OutboundEvent}. Immutable; safe on any thread. */
public enum OutboundType
{
    /** A shared {@code UPDATED} frame (one reference owned by the event). */
    DELIVER,
    /** An already encoded reply such as {@code PONG} (owned by the event). */
    FRAME,
    SUBSCRIBED,
    UNSUBSCRIBED,
    /** {@code VALUE}, encoded from the topic's latest {@code UPDATED} frame (one reference owned). */
    VALUE,
    NOVALUE,
    STATS,
    HELP,
    ERROR,
    /** {@code BYE}, then close the connection. */
    BYE,
    /**
     * No output: release a replaced latest value on the event loop that allocated it (owned
     * reference in the payload; no session).
     */
    RELEASE
}
