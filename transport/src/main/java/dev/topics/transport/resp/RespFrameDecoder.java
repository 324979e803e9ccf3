package dev.topics.transport.resp;

import dev.topics.transport.FrameSink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * STUB (to be written): frames RESP requests (arrays of bulk strings, or inline lines) and hands
 * each whole request to its {@link FrameSink}, in place.
 *
 * <p>One instance per channel, on that channel's event-loop thread.
 */
public final class RespFrameDecoder extends ByteToMessageDecoder
{
    private final int maxLineBytes;
    private final FrameSink sink;

    public RespFrameDecoder(final int maxLineBytes, final FrameSink sink)
    {
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        throw new UnsupportedOperationException("RESP framing is not written yet");
    }
}
