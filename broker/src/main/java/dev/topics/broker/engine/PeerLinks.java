package dev.topics.broker.engine;

import dev.topics.broker.report.FieldSink;
import org.agrona.DirectBuffer;

/**
 * The engine's way out to the other cluster nodes: one ordered link per peer. Implemented by the
 * cluster's Aeron link; every method is called on the engine thread and never blocks.
 */
public interface PeerLinks
{
    /** This node's id. */
    int selfId();

    /** Every member's id, this node's included, as a bit set. */
    long memberMask();

    /** The largest message {@link #send} carries. */
    int maxMessageLength();

    /**
     * Sends {@code buffer[0, length)} to {@code peer}, after everything sent to it before; false
     * when the link could not take it now (not connected, or its bound is full), which the link
     * counts and, for a full bound, logs.
     */
    boolean send(int peer, DirectBuffer buffer, int length);

    /** The engine finished a batch: lets the link's thread push out what was sent, at once. */
    void flush();

    /**
     * One {@code MEMBER key=value ...} line per member, joined by CRLF, for MEMBERS: its id,
     * endpoint, whether it is this node, {@code state} as in {@code live}, and the link's figures.
     */
    String describeMembers(long live);

    /** Appends the per-peer figures (state, forwarded, received, dropped, lag) to STATS. */
    void appendStats(FieldSink fields);
}
