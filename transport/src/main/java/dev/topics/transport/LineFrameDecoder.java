package dev.topics.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Frames a connection's bytes into lines and hands each one, in place, to its
 * {@link ConnectionHandler}: no derived buffer and no pipeline event per line (Netty's
 * {@code LineBasedFrameDecoder} made a retained slice per line and passed it down the pipeline,
 * about 15% of the event loop's time in a profile of {@code max}). The handler parses the line
 * where it lies and copies it only when it must wait (back-pressure).
 *
 * <p>A line ends at {@code \n}; one {@code \r} before it is dropped. A line longer than
 * {@code --max-line} bytes (without its line ending) is discarded and reported when its end
 * arrives, in its place among the connection's lines; a line of exactly the maximum is accepted
 * however its {@code \r\n} is split across reads.
 *
 * <p>Each read takes the clock once ({@link System#nanoTime()}, about 20 ns: once per read, not
 * per line) and every line it completes carries that time, the moment the broker had the whole
 * line: where the latency in STATS starts.
 *
 * <p>An {@link OutOfMemoryError} while the input is gathered (Netty's cumulation buffer could not
 * grow) loses the bytes just read: the rest of that line is discarded, and the line is answered
 * {@code ERR out-of-memory} in its place; the connection carries on.
 *
 * <p>One instance per channel, used on that channel's event-loop thread, except
 * {@link #incompleteLineBytes()}, which the memory guard reads from another.
 */
final class LineFrameDecoder extends ByteToMessageDecoder implements HeldInput
{
    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final int maxLineBytes;
    private final FrameSink lines;
    /** Bytes after the reader index already searched for a line end, so a long line is searched once. */
    private int searched;
    /** Inside a line already known to be too long: drop bytes up to its end. */
    private boolean discarding;
    /** When the bytes being decoded were read. */
    private long readNanos;
    /** The line being discarded was already answered (out of memory): no line-too-long at its end. */
    private boolean answered;
    /**
     * Capacity of the buffer holding an incomplete line after the last read, 0 when none: what
     * this connection makes the broker hold for its input. Written only when it changes.
     */
    private volatile int incompleteLineBytes;

    LineFrameDecoder(final int maxLineBytes, final FrameSink lines)
    {
        this.maxLineBytes = maxLineBytes;
        this.lines = lines;
    }

    /** Bytes held for this connection's incomplete line; any thread (the memory guard). */
    @Override
    public int incompleteLineBytes()
    {
        return incompleteLineBytes;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception
    {
        readNanos = System.nanoTime();
        if (msg instanceof ByteBuf bytes)
        {
            lines.onRead(bytes.readableBytes());
        }
        try
        {
            super.channelRead(ctx, msg);
        }
        catch (final OutOfMemoryError ex)
        {
            // The cumulation could not grow; Netty has released what was read. What this line
            // gathered so far is dropped with the rest of it, and the line answered in its place.
            final ByteBuf gathered = internalBuffer();
            gathered.skipBytes(gathered.readableBytes());
            searched = 0;
            discarding = true;
            answered = true;
            heldForIncompleteLine(0);
            lines.onOutOfMemory();
        }
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        while (in.isReadable())
        {
            final int start = in.readerIndex();
            final int lineEnd = in.indexOf(start + searched, in.writerIndex(), LF);
            if (lineEnd < 0)
            {
                searched = in.readableBytes();
                // The line and one \r still waiting for its \n may fill the limit, not more.
                if (discarding || searched > maxLineBytes + 1)
                {
                    discarding = true;
                    in.skipBytes(searched);
                    searched = 0;
                }
                heldForIncompleteLine(searched == 0 ? 0 : in.capacity());
                return;
            }
            searched = 0;
            in.readerIndex(lineEnd + 1);
            final int end = lineEnd > start && in.getByte(lineEnd - 1) == CR ? lineEnd - 1 : lineEnd;
            if (discarding || end - start > maxLineBytes)
            {
                if (!answered)
                {
                    lines.onLineTooLong();
                }
                discarding = false;
                answered = false;
            }
            else
            {
                lines.onLine(in, start, end, readNanos);
            }
        }
        heldForIncompleteLine(0);
    }

    private void heldForIncompleteLine(final int bytes)
    {
        if (incompleteLineBytes != bytes)
        {
            incompleteLineBytes = bytes;
        }
    }
}
