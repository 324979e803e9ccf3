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
     * The frame a command carries from its event loop into the engine, encoded there so the engine
     * only routes it: the delivery of a {@code PUB} (also kept as the topic's latest value) and
     * the pass-through replies of {@code PING} and {@code AUTH}; null for every other command.
     */
    ByteBuf ingressFrame(ByteBufAllocator alloc, ParsedLine line);

    /**
     * The reply to {@code command}.
     *
     * @param topic   the topic the command named (SUB, UNSUB, GET without a value).
     * @param payload taken over: GET's latest delivery frame, or the ingress frame of PING and
     *                AUTH; null otherwise.
     * @param text    STATS' line without its line ending; null otherwise.
     */
    ByteBuf reply(ByteBufAllocator alloc, Command command, byte[] topic, ByteBuf payload, String text);

    /** The error reply for {@code code}. */
    ByteBuf error(ByteBufAllocator alloc, ErrorCode code);
}
