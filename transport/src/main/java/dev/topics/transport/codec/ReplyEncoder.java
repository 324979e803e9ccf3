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

    /** Bytes of the delivery frame of {@code pub}: what its topic's subscribers receive. */
    int deliveryLength(ParsedLine pub);

    /**
     * Writes the delivery frame of {@code pub} at {@code out}'s writer index, exactly
     * {@link #deliveryLength} bytes; encoded once per publish, on the event loop, and also kept as
     * the topic's latest value, which {@code GET} is answered from.
     */
    void writeDelivery(ByteBuf out, ParsedLine pub);

    /**
     * The reply to {@code command}.
     *
     * @param topic   the topic the command named (SUB, UNSUB, GET without a value).
     * @param payload taken over: a copy of GET's latest delivery frame, or the ingress frame of
     *                PING and AUTH; null otherwise.
     * @param text    STATS' line without its line ending; CLIENTS' lines joined by CRLF, without
     *                the last line ending (the encoder ends the listing); null otherwise. One
     *                char per byte (ISO-8859-1): a name a client gave comes back byte for byte.
     */
    ByteBuf reply(ByteBufAllocator alloc, Command command, byte[] topic, ByteBuf payload, String text);

    /** The error reply for {@code code}. */
    ByteBuf error(ByteBufAllocator alloc, ErrorCode code);
}
