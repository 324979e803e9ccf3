package dev.topics.broker.egress;

/** What kind of output an {@link OutboundEvent} carries. Immutable; safe on any thread. */
public enum OutboundType
{
    /** A delivery frame shared by every subscriber (one reference to its chunk owned by the event). */
    DELIVER,
    /** The reply to the event's command, encoded by the session's protocol. */
    REPLY,
    /** An error reply. */
    ERROR
}
