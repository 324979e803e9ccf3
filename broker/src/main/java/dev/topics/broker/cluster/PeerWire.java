package dev.topics.broker.cluster;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The messages between cluster nodes, as they travel in one Aeron message each: a fixed header,
 * then the topic's bytes, then the message's canonical delivery frame (the {@code UPDATED} line
 * every node delivers as it is). Little-endian, as Agrona writes it.
 *
 * <pre>
 *   0  type          byte  (the constants below)
 *   1  from          byte  the sender's node id
 *   2  match         byte  {@code TopicMatch} ordinal (INTEREST_*)
 *   3  flags         byte  {@link #STORE_LATEST}
 *   4  topic length  short
 *   6  (unused)      short
 *   8  value         long  HEARTBEAT: incarnation; GET_*: request id
 *  16  topic bytes, then the frame to the end of the message
 * </pre>
 *
 * <p>Stateless; safe on any thread.
 */
public final class PeerWire
{
    /** Every {@code timeout / 10}: I am alive, in this incarnation (a new process, a new value). */
    public static final byte HEARTBEAT = 1;
    /** A PUB received on the sender for a topic the receiver is home of: order it there. */
    public static final byte FORWARD = 2;
    /** A publication ordered by its home, for the receiver's subscribers (and its copy). */
    public static final byte DELIVER = 3;
    /** A latest value handed over when homes move: stored only where the topic has none. */
    public static final byte HANDOFF = 4;
    /** The sender now has local subscribers for this topic or pattern. */
    public static final byte INTEREST_ADD = 5;
    /** The sender no longer has local subscribers for this topic or pattern. */
    public static final byte INTEREST_REMOVE = 6;
    /** Forget all the sender's interest: the whole of it follows. */
    public static final byte INTEREST_RESET = 7;
    /** GET at the sender for a topic homed at the receiver. */
    public static final byte GET_REQUEST = 8;
    /** The home's answer to a GET_REQUEST: the frame, or nothing when the topic has no value. */
    public static final byte GET_REPLY = 9;
    /** Never on the wire: the link telling its engine which members are up ({@code value}: the bit set). */
    public static final byte MEMBERS = 10;

    /** DELIVER: the receiver is the topic's next home; it keeps the value as a copy. */
    public static final byte STORE_LATEST = 1;

    public static final int TYPE_OFFSET = 0;
    public static final int FROM_OFFSET = 1;
    public static final int MATCH_OFFSET = 2;
    public static final int FLAGS_OFFSET = 3;
    public static final int TOPIC_LENGTH_OFFSET = 4;
    public static final int VALUE_OFFSET = 8;
    public static final int HEADER_LENGTH = 16;

    private PeerWire()
    {
    }

    /** Writes the header and the topic at {@code buffer[0..]}; returns where the frame goes. */
    public static int writeHeader(
        final MutableDirectBuffer buffer, final byte type, final int from, final int match, final int flags,
        final long value, final byte[] topic, final int topicLength)
    {
        buffer.putByte(TYPE_OFFSET, type);
        buffer.putByte(FROM_OFFSET, (byte)from);
        buffer.putByte(MATCH_OFFSET, (byte)match);
        buffer.putByte(FLAGS_OFFSET, (byte)flags);
        buffer.putShort(TOPIC_LENGTH_OFFSET, (short)topicLength);
        buffer.putShort(TOPIC_LENGTH_OFFSET + 2, (short)0);
        buffer.putLong(VALUE_OFFSET, value);
        if (topicLength > 0)
        {
            buffer.putBytes(HEADER_LENGTH, topic, 0, topicLength);
        }
        return HEADER_LENGTH + topicLength;
    }

    public static byte type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    public static int from(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + FROM_OFFSET);
    }

    public static int match(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + MATCH_OFFSET);
    }

    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + FLAGS_OFFSET);
    }

    public static int topicLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TOPIC_LENGTH_OFFSET) & 0xFFFF;
    }

    public static long value(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + VALUE_OFFSET);
    }
}
