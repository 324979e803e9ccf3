package dev.topics.transport;

import dev.topics.transport.codec.Replies;
import dev.topics.transport.codec.ReplyEncoder;
import dev.topics.transport.resp.RespEncoder;

/**
 * The protocols a listener speaks: what frames its requests and how its connections start.
 *
 * <p>Immutable; safe on any thread.
 */
public enum WireProtocol
{
    /** The text protocol: one command per line (docs/protocol.md). */
    TEXT(Replies.TEXT),
    /** Redis' RESP2/RESP3, for pub/sub (docs/protocol.md, "Redis clients"). */
    RESP(RespEncoder.RESP2);

    private final ReplyEncoder firstEncoder;

    WireProtocol(final ReplyEncoder firstEncoder)
    {
        this.firstEncoder = firstEncoder;
    }

    /** The encoder a connection starts with, also for refusing it before it has a session. */
    public ReplyEncoder firstEncoder()
    {
        return firstEncoder;
    }

    /** Lower-case name, as STATS and logs print it. */
    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
