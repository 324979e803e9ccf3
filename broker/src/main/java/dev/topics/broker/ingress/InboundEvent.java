package dev.topics.broker.ingress;

import dev.topics.broker.report.EngineSnapshot;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;

/**
 * One slot of the inbound ring: a connection event or a parsed command, pre-allocated and reused.
 *
 * <p>Filled by an event-loop thread ({@link InboundProxy}) between claim and publish, then read and
 * cleared by the engine. Never touched by two threads at once: the ring's sequences order the
 * hand-over.
 */
public final class InboundEvent
{
    // filled by the event loop:
    public Command command;
    public Session session;
    /**
     * Topic bytes (NAME: the name), valid up to {@link #topicLength}; the array itself is owned by
     * this slot.
     */
    public final byte[] topic;
    public int topicLength;
    /** SUB, UNSUB: whether the topic is exact or a pattern, and of which syntax. */
    public TopicMatch match = TopicMatch.EXACT;
    /**
     * PUB: the chunk holding its delivery frame at {@link #payloadOffset}; PING, AUTH, RAW, INVALID:
     * their ingress frame, if their protocol made one; NUMSUB: its names ({@code NameList}). One
     * reference, owned by this slot until the engine takes it.
     */
    public ByteBuf payload;
    public int payloadOffset;
    public int payloadLength;
    /** INVALID: which error to answer. */
    public ErrorCode error;
    /** The protocol's detail of the command ({@code ParsedLine.detail()}): HELLO's version, RAW's kind. */
    public int detail;
    /** The replies to this command are not to be sent (pushes are). */
    public boolean silent;
    /**
     * PUB: {@link System#nanoTime()} of the read that completed its line, on the event loop;
     * carried to the writers, which time each delivery from it.
     */
    public long readNanos;
    // filled by the cluster link for a CLUSTER event (a message from a peer; detail is its type):
    /** CLUSTER: the node the message came from. */
    public int peer;
    /** CLUSTER: the message's flags ({@code PeerWire.STORE_LATEST}). */
    public int peerFlags;
    /** CLUSTER: the message's value: a request id, or for MEMBERS the live members' bit set. */
    public long peerValue;
    // filled by the event loop that offers a SNAPSHOT for the metrics endpoint:
    /** SNAPSHOT: the request the engine fills; it has no session. */
    public EngineSnapshot snapshot;

    /** @param maxTopicBytes --max-topic-length; the slot also holds a name of {@link Command#MAX_NAME_BYTES}. */
    public InboundEvent(final int maxTopicBytes)
    {
        this.topic = new byte[Math.max(maxTopicBytes, Command.MAX_NAME_BYTES)];
    }

    /**
     * Copies this command into {@code copy}, which takes over the payload reference: for a command
     * the engine holds back until an earlier one of its connection is answered.
     */
    public void moveTo(final InboundEvent copy)
    {
        copy.command = command;
        copy.session = session;
        System.arraycopy(topic, 0, copy.topic, 0, topicLength);
        copy.topicLength = topicLength;
        copy.match = match;
        copy.payload = payload;
        copy.payloadOffset = payloadOffset;
        copy.payloadLength = payloadLength;
        copy.error = error;
        copy.detail = detail;
        copy.silent = silent;
        copy.readNanos = readNanos;
        payload = null;
    }

    /** Drops references once the engine is done, so the slot does not keep garbage alive. */
    public void clear()
    {
        session = null;
        payload = null;
        error = null;
        snapshot = null;
    }
}
