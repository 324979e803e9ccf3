package dev.topics.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Frames lines like Netty's {@link LineBasedFrameDecoder}, but a line of exactly the maximum
 * length is accepted however its {@code \r\n} is split across reads.
 *
 * <p>Netty's decoder counts a trailing {@code \r} still waiting for its {@code \n} toward the
 * limit, so a maximum-length line whose {@code \r} ends one read is discarded as too long. Here the
 * inner decoder is allowed one more byte, and a frame over the real limit is reported as too
 * long, in its place among this connection's lines, exactly as the inner decoder reports longer
 * ones ({@code failFast=false}: when its end arrives).
 *
 * <p>One instance per channel, used on that channel's event-loop thread.
 */
final class LineFrameDecoder extends LineBasedFrameDecoder
{
    private final int maxLineBytes;

    LineFrameDecoder(final int maxLineBytes)
    {
        super(maxLineBytes + 1, true, false);
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    protected Object decode(final ChannelHandlerContext ctx, final ByteBuf buffer) throws Exception
    {
        final Object frame = super.decode(ctx, buffer);
        if (frame instanceof ByteBuf line && line.readableBytes() > maxLineBytes)
        {
            final int length = line.readableBytes();
            line.release();
            ctx.fireExceptionCaught(new TooLongFrameException("frame length (" + length + ") exceeds the allowed maximum (" + maxLineBytes + ")"));
            return null;
        }
        return frame;
    }
}
