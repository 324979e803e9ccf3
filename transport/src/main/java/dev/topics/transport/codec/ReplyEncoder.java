package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How one wire protocol writes the engine's neutral replies: the only place where a command's
 * answer becomes bytes. A second protocol implements this next to its parser; nothing else in the
 * pipeline changes.
 *
 * <p>Implementations are stateless and safe on any thread; each method allocates the buffer it
 * returns from {@code alloc}, and the caller owns it.
 */
public interface ReplyEncoder
{
    /**
     * The reply a command carries from its event loop through the engine, encoded there so the
     * engine only keeps it in order: {@code PING}'s and {@code AUTH}'s; null for every other
     * command.
     */
    ByteBuf ingressFrame(ByteBufAllocator alloc, ParsedLine line);

    /**
     * Bytes of the canonical delivery frame of {@code pub} ({@code UPDATED <topic> <message>\r\n}
     * in every protocol): what text subscribers receive as it is, what other protocols' writers
     * re-encode for their subscribers, and what a topic keeps as its latest value.
     */
    int deliveryLength(ParsedLine pub);

    /**
     * Writes the delivery frame of {@code pub} at {@code out}'s writer index, exactly
     * {@link #deliveryLength} bytes; encoded once per publish, on the event loop, and also kept as
     * the topic's latest value, which {@code GET} is answered from.
     */
    void writeDelivery(ByteBuf out, ParsedLine pub);

    /**
     * The reply to one command, in this protocol; null when the command has no reply here. Takes
     * over {@link Reply#takePayload()}.
     */
    ByteBuf reply(ByteBufAllocator alloc, Reply reply);

    /**
     * The length of {@code reply} when this encoder can write it in place, into a connection's
     * write batch, without a buffer of its own (a frequent small reply: Redis' {@code PUBLISH}
     * count); -1 when it cannot, and {@link #reply} makes it.
     */
    default int inlineReplyLength(final Reply reply)
    {
        return -1;
    }

    /** Writes {@code reply} at {@code out}'s writer index, exactly {@link #inlineReplyLength} bytes. */
    default void writeInlineReply(final ByteBuf out, final Reply reply)
    {
        throw new UnsupportedOperationException("no reply is written in place");
    }

    /**
     * The error reply for {@code code}. {@code cause} is the command refused (the reply's command
     * and detail name it where the protocol words errors by command), or null for the transport's
     * own refusals (slow consumer, out of memory, busy); any payload it carries is released.
     */
    ByteBuf error(ByteBufAllocator alloc, ErrorCode code, Reply cause);

    /**
     * Whether the reply to {@code command} is a push that {@link ParsedLine#silent()} does not
     * silence (RESP3's subscription confirmations).
     */
    default boolean isPush(final Command command)
    {
        return false;
    }

    /** Whether a PUB is answered (with the count of subscriptions that received it). */
    default boolean acknowledgesPublish()
    {
        return false;
    }

    /**
     * Whether a connection with subscriptions may send only the commands that
     * {@link Command#allowedWhileSubscribed()} (RESP2); others are refused with
     * {@link ErrorCode#SUBSCRIBED_MODE}.
     */
    default boolean restrictsWhileSubscribed()
    {
        return false;
    }

    /**
     * Whether a connection with several subscriptions matching a topic receives a message once per
     * matching subscription (Redis: {@code message}, then one {@code pmessage} per pattern) rather
     * than once (the text protocol). Fixed for a connection's whole life.
     */
    default boolean deliversPerSubscription()
    {
        return false;
    }

    /**
     * This protocol's encoder for version {@code version} (HELLO), or null when it has none.
     */
    default ReplyEncoder forVersion(final int version)
    {
        return null;
    }

    /**
     * Whether deliveries are written as the canonical frame itself ({@link #writeDelivery}'s
     * bytes); when false, the writer asks {@link #pushLength} and {@link #writePush}.
     */
    default boolean sendsCanonicalFrame()
    {
        return true;
    }

    /**
     * Bytes of this protocol's delivery of the canonical frame {@code frame[offset, offset +
     * length)} for a topic of {@code topicLength} bytes, received by {@code pattern} (null: by
     * exact subscription).
     */
    default int pushLength(final int length, final int topicLength, final byte[] pattern)
    {
        throw new UnsupportedOperationException("deliveries are the canonical frame");
    }

    /** Writes that delivery at {@code out}'s writer index, exactly {@link #pushLength} bytes. */
    default void writePush(
        final ByteBuf out, final ByteBuf frame, final int offset, final int length, final int topicLength,
        final byte[] pattern)
    {
        throw new UnsupportedOperationException("deliveries are the canonical frame");
    }
}
