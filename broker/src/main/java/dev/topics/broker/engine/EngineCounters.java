package dev.topics.broker.engine;

import dev.topics.transport.WireProtocol;
import dev.topics.transport.codec.ErrorCode;

/**
 * What the engine has done since start.
 *
 * <p>Written and read only by the engine thread (STATS travels through the inbound ring like every
 * command), so plain fields suffice and the hot path pays no memory fence for counting.
 */
public final class EngineCounters
{
    long connections;
    long topics;
    long subscriptions;
    long patterns;
    long published;
    long delivered;
    long protocolErrors;
    /** In a cluster: PUBs sent on to their topic's home, and publications received from homes. */
    long forwarded;
    long fromHomes;
    /**
     * In a cluster: messages from peers not applied because this node's view of the homes differs
     * (a topic moving between nodes): what keeps a move from reordering or duplicating.
     */
    long misrouted;
    /** {@link #protocolErrors} by {@link ErrorCode#ordinal()}. */
    final long[] errorsByCode = new long[ErrorCode.values().length];
    /** Bytes read from and handed to connections the engine has forgotten (the open ones are summed when asked). */
    long closedBytesIn;
    long closedBytesOut;
    /** Open connections, PUBs applied and deliveries routed, by {@link WireProtocol#ordinal()}. */
    final long[] connectionsBy = new long[WireProtocol.values().length];
    final long[] publishedBy = new long[WireProtocol.values().length];
    final long[] deliveredBy = new long[WireProtocol.values().length];

    public long connections()
    {
        return connections;
    }

    public long topics()
    {
        return topics;
    }

    public long subscriptions()
    {
        return subscriptions;
    }

    public long patterns()
    {
        return patterns;
    }

    public long published()
    {
        return published;
    }

    public long delivered()
    {
        return delivered;
    }

    public long protocolErrors()
    {
        return protocolErrors;
    }

    /** Protocol errors answered with {@code code}. */
    public long errors(final ErrorCode code)
    {
        return errorsByCode[code.ordinal()];
    }
}
