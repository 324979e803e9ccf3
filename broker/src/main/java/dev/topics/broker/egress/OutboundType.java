package dev.topics.broker.egress;

/** What kind of output an {@link OutboundEvent} carries. Immutable; safe on any thread. */
public enum OutboundType
{
    /** A shared delivery frame (one reference owned by the event). */
    DELIVER,
    /** The reply to the event's command, encoded by the session's protocol. */
    REPLY,
    /** An error reply. */
    ERROR,
    /**
     * No output: release a replaced latest value on the event loop that allocated it (owned
     * reference in the payload; no session).
     */
    RELEASE
}
