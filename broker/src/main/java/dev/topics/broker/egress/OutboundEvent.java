package dev.topics.broker.egress;

import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.Reply;
import dev.topics.transport.codec.ReplyEncoder;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;

/**
 * One slot of the outbound ring: something to send to one session, and the encoder to write it
 * with (the one in effect for that session when the engine made it). A reply's slot is also the
 * {@link Reply} its encoder reads.
 *
 * <p>Filled by the engine thread between claim and publish; read, then cleared, by the one writer
 * thread whose shard is {@link #shard}. The other writers read only {@link #shard}, which is never
 * cleared.
 */
public final class OutboundEvent implements Reply
{
    // filled by the engine:
    public int shard;
    public OutboundType type;
    public Session session;
    /** How to write this event: the session's encoder in effect when the engine made it. */
    public ReplyEncoder encoder;
    /** REPLY, and ERROR caused by a command: the command answered. */
    public Command command;
    /**
     * DELIVER: the chunk holding the canonical frame at {@link #payloadOffset}; REPLY to GET, PING,
     * AUTH, RAW, ERROR of a command: its payload. One reference, owned by this event.
     */
    public ByteBuf payload;
    /** DELIVER: where the frame lies in {@link #payload}. */
    public int payloadOffset;
    public int payloadLength;
    /** DELIVER: when its PUB was read ({@link System#nanoTime()} on the publisher's event loop). */
    public long readNanos;
    /**
     * DELIVER: which publish it is (the low bits of the engine's count of publishes before it): one
     * encoding per publish. An int, to keep a delivery's slot small; consecutive publishes differ.
     */
    public int publishId;
    /** DELIVER: the length of the topic in the canonical frame. */
    public int topicLength;
    /**
     * REPLY: see {@link Reply#topic()}; DELIVER: the pattern through which this session receives
     * it (one delivery per subscription), or null. Exact-length, immutable.
     */
    public byte[] topic;
    /** REPLY and ERROR only: the rest of what a reply carries. */
    final ReplyFields reply = new ReplyFields();

    /** ERROR: the error to send. */
    public ErrorCode error()
    {
        return reply.error;
    }

    /** REPLY, ERROR: not to be sent, unless the encoder calls it a push. */
    public boolean silent()
    {
        return reply.silent;
    }

    @Override
    public Command command()
    {
        return command;
    }

    @Override
    public byte[] topic()
    {
        return topic;
    }

    @Override
    public TopicMatch match()
    {
        return reply.match;
    }

    @Override
    public ByteBuf takePayload()
    {
        final ByteBuf taken = payload;
        payload = null;
        return taken;
    }

    @Override
    public String text()
    {
        return reply.text;
    }

    @Override
    public long count()
    {
        return reply.count;
    }

    @Override
    public int detail()
    {
        return reply.detail;
    }

    @Override
    public byte[][] names()
    {
        return reply.names;
    }

    @Override
    public long[] numbers()
    {
        return reply.numbers;
    }

    @Override
    public long sessionId()
    {
        return session.id();
    }

    /** Drops references once written, so the slot does not keep garbage alive. */
    void clear()
    {
        session = null;
        encoder = null;
        command = null;
        payload = null;
        topic = null;
        reply.error = null;
        reply.text = null;
        reply.names = null;
        reply.numbers = null;
    }
}
