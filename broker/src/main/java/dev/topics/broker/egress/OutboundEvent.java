package dev.topics.broker.egress;

import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import io.netty.buffer.ByteBuf;

/**
 * One slot of the outbound ring: something to send to one session.
 *
 * <p>Filled by the engine thread between claim and publish; read, then cleared, by the one writer
 * thread whose shard is {@link #shard}. The other writers read only {@link #shard}, which is never
 * cleared.
 */
public final class OutboundEvent
{
    // filled by the engine:
    public int shard;
    public OutboundType type;
    public Session session;
    /** REPLY: the command answered. */
    public Command command;
    /**
     * DELIVER: the chunk holding the frame at {@link #payloadOffset}; REPLY to GET, PING, AUTH:
     * the reply's payload. One reference, owned by this event.
     */
    public ByteBuf payload;
    /** DELIVER: where the frame lies in {@link #payload}. */
    public int payloadOffset;
    public int payloadLength;
    /** DELIVER: when its PUB was read ({@link System#nanoTime()} on the publisher's event loop). */
    public long readNanos;
    /** REPLY to SUB, UNSUB, GET: exact-length, immutable topic bytes. */
    public byte[] topic;
    public ErrorCode error;
    /**
     * REPLY to STATS: the line without its CRLF; to CLIENTS: the lines joined by CRLF. A String, not
     * a per-slot buffer, to keep slots small.
     */
    public String text;

    /** Drops references once written, so the slot does not keep garbage alive. */
    void clear()
    {
        session = null;
        command = null;
        payload = null;
        topic = null;
        error = null;
        text = null;
    }
}
