package dev.topics.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

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
final class LineFrameDecoder extends RequestFrameDecoder
{
    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final int maxLineBytes;
    /** Bytes after the reader index already searched for a line end, so a long line is searched once. */
    private int searched;
    /** Inside a line already known to be too long: drop bytes up to its end. */
    private boolean discarding;
    /** The line being discarded was already answered (out of memory): no line-too-long at its end. */
    private boolean answered;

    LineFrameDecoder(final int maxLineBytes, final FrameSink lines)
    {
        super(lines);
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    protected boolean restartAfterLostInput()
    {
        // The rest of the lost line is discarded up to its end, and it is answered in its place.
        searched = 0;
        discarding = true;
        answered = true;
        return true;
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
                heldForIncompleteRequest(searched == 0 ? 0 : in.capacity());
                return;
            }
            searched = 0;
            in.readerIndex(lineEnd + 1);
            final int end = lineEnd > start && in.getByte(lineEnd - 1) == CR ? lineEnd - 1 : lineEnd;
            if (discarding || end - start > maxLineBytes)
            {
                if (!answered)
                {
                    sink.onLineTooLong();
                }
                discarding = false;
                answered = false;
            }
            else
            {
                sink.onLine(in, start, end, readNanos());
            }
        }
        heldForIncompleteRequest(0);
    }
}
