package dev.topics.transport.resp;

import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.Replies;
import dev.topics.transport.codec.Reply;
import dev.topics.transport.codec.ReplyEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * STUB (to be written): RESP2 and RESP3 replies and pushes.
 *
 * <p>Stateless; safe on any thread.
 */
public final class RespEncoder implements ReplyEncoder
{
    public static final RespEncoder RESP2 = new RespEncoder(2);
    public static final RespEncoder RESP3 = new RespEncoder(3);

    private final int version;

    private RespEncoder(final int version)
    {
        this.version = version;
    }

    /** 2 or 3. */
    public int version()
    {
        return version;
    }

    @Override
    public ByteBuf ingressFrame(final ByteBufAllocator alloc, final ParsedLine line)
    {
        return null;
    }

    @Override
    public int deliveryLength(final ParsedLine pub)
    {
        return Replies.TEXT.deliveryLength(pub);
    }

    @Override
    public void writeDelivery(final ByteBuf out, final ParsedLine pub)
    {
        Replies.TEXT.writeDelivery(out, pub);
    }

    @Override
    public ByteBuf reply(final ByteBufAllocator alloc, final Reply reply)
    {
        throw new UnsupportedOperationException("not written yet");
    }

    @Override
    public ByteBuf error(final ByteBufAllocator alloc, final ErrorCode code, final Reply cause)
    {
        throw new UnsupportedOperationException("not written yet");
    }
}
