package dev.topics.transport.resp;

import dev.topics.transport.FrameSink;
import dev.topics.transport.RequestFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

import java.util.List;

/**
 * Frames a RESP connection's bytes into whole requests and hands each one, in place, to its
 * {@link FrameSink} (the connection's handler, whose front end re-scans it): the range of a RESP
 * array of bulk strings ({@code *N\r\n$len\r\n<bytes>\r\n...}, its last CRLF included), or of an
 * inline line (not starting with {@code *}, without its line ending). Nothing is allocated per
 * request; a request split across reads waits in the cumulation, and its parse resumes where the
 * previous read left it.
 *
 * <p>As Redis 7.0's {@code processMultibulkBuffer} and {@code processInlineBuffer}: an array of 0
 * or fewer elements ({@code *0}, {@code *-1}) and a blank inline line are ignored; a count that is
 * not a strict integer, a bulk length that is not one or is negative (or over Redis' 512 MB
 * {@code proto-max-bulk-len}), an element not starting with {@code $}, unbalanced quotes in an
 * inline line, or a header or inline line with no end after {@code --max-line} bytes are protocol
 * errors ({@link FrameSink#onProtocolError} with a {@link RespProtocolError} detail), after which
 * everything is discarded (the connection is answered and closed). As in Redis, the two bytes
 * after a header's {@code \r} and after a bulk's content are not checked.
 *
 * <p>Where it differs from Redis, on purpose: an inline line longer than {@code --max-line} is a
 * "too big inline request" even when its end arrived in the same read (Redis only looks when it
 * has no end yet, at 64 KiB); and a request with a bulk string longer than {@code --max-line}, or
 * longer in all than {@code --max-line} plus {@link #MAX_REQUEST_OVERHEAD} bytes, is not taken:
 * its bytes are dropped as they arrive (its lengths say where it ends) and
 * {@link FrameSink#onLineTooLong} answers it in its place once it has all passed, and the
 * connection carries on. What this connection holds for an incomplete request is thus about
 * {@code --max-line} plus the overhead. Redis' "unauthenticated multibulk/bulk length" limits are
 * not applied (this decoder does not know the connection's authentication).
 *
 * <p>An {@link OutOfMemoryError} while the input is gathered loses the bytes just read: what the
 * request had gathered is dropped, the request is answered {@code out-of-memory} in its place, and
 * framing starts again after the next {@code \n}, as the text protocol's decoder does (a RESP
 * stream cut at an unknown place cannot be resynchronised exactly: what follows may well be a
 * protocol error).
 *
 * <p>One instance per channel, on that channel's event-loop thread, except
 * {@link #incompleteLineBytes()}, which the memory guard reads from another.
 */
public final class RespFrameDecoder extends RequestFrameDecoder
{
    /** Bytes a request may hold beyond --max-line: its headers and short arguments (the channel). */
    public static final int MAX_REQUEST_OVERHEAD = 4096;
    /** Redis' default proto-max-bulk-len: a longer bulk length is invalid, not merely too long. */
    private static final long MAX_BULK_LENGTH = 512L * 1024 * 1024;
    private static final long NOT_A_NUMBER = Long.MIN_VALUE;
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** Bytes {@link #indexOfCr} looks at one by one: a header line with its longest count. */
    private static final int SHORT_SCAN_BYTES = 24;

    private final int maxLineBytes;
    private final long maxRequestBytes;
    /** Inside an array request: its header was read. */
    private boolean inArray;
    /** Elements of the array still to read. */
    private long elementsLeft;
    /** Bytes of the current bulk still to read, its CRLF included; -1 when its {@code $} header is next. */
    private long bulkLeft = -1;
    /** Bytes of the current request after the reader index already parsed (0 while skipping). */
    private int parsed;
    /** Bytes after the parse position already searched for a line end, so a long line is searched once. */
    private int searched;
    /** The current array is too long: its bytes are dropped as they pass. */
    private boolean skipping;
    /** After an out of memory: drop bytes up to the next {@code \n}. */
    private boolean resyncing;
    /** A protocol error was reported: everything after it is dropped. */
    private boolean failed;

    public RespFrameDecoder(final int maxLineBytes, final FrameSink sink)
    {
        super(sink);
        this.maxLineBytes = maxLineBytes;
        this.maxRequestBytes = (long)maxLineBytes + MAX_REQUEST_OVERHEAD;
    }

    @Override
    protected boolean restartAfterLostInput()
    {
        if (failed)
        {
            return false; // after a protocol error the connection takes nothing more
        }
        // The rest of the lost request is dropped up to the next line end, then framing resumes.
        restart();
        resyncing = true;
        return true;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        while (!failed && in.isReadable())
        {
            final boolean progressed;
            if (resyncing)
            {
                progressed = resync(in);
            }
            else if (inArray)
            {
                progressed = element(in);
            }
            else if (in.getByte(in.readerIndex()) == '*')
            {
                progressed = arrayHeader(in);
            }
            else
            {
                progressed = inline(in);
            }
            if (!progressed)
            {
                break;
            }
        }
        if (failed)
        {
            in.skipBytes(in.readableBytes());
        }
        heldForIncompleteRequest(in.isReadable() ? in.capacity() : 0);
    }

    private void restart()
    {
        inArray = false;
        skipping = false;
        elementsLeft = 0;
        bulkLeft = -1;
        parsed = 0;
        searched = 0;
    }

    private boolean resync(final ByteBuf in)
    {
        final int lf = in.indexOf(in.readerIndex(), in.writerIndex(), LF);
        if (lf < 0)
        {
            in.skipBytes(in.readableBytes());
            return false;
        }
        in.readerIndex(lf + 1);
        resyncing = false;
        return true;
    }

    /** {@code *N\r\n} at the reader index: the start of an array. */
    private boolean arrayHeader(final ByteBuf in)
    {
        final int base = in.readerIndex();
        final int cr = lineEnd(in, base, RespProtocolError.TOO_BIG_MBULK_COUNT);
        if (cr < 0)
        {
            return false;
        }
        final long count = parseLong(in, base + 1, cr);
        if (count == NOT_A_NUMBER || count > Integer.MAX_VALUE)
        {
            return protocolError(in, RespProtocolError.INVALID_MULTIBULK_LENGTH.detail((byte)0));
        }
        if (count <= 0)
        {
            in.readerIndex(cr + 2);
            return true;
        }
        inArray = true;
        elementsLeft = count;
        bulkLeft = -1;
        parsed = cr + 2 - base;
        return true;
    }

    /** The next part of the current array: a bulk header, or (part of) a bulk's content. */
    private boolean element(final ByteBuf in)
    {
        final int base = in.readerIndex();
        if (bulkLeft < 0)
        {
            final int pos = base + parsed;
            final int cr = lineEnd(in, pos, RespProtocolError.TOO_BIG_BULK_COUNT);
            if (cr < 0)
            {
                return false;
            }
            final byte first = in.getByte(pos);
            if (first != '$')
            {
                return protocolError(in, RespProtocolError.EXPECTED_DOLLAR.detail(first));
            }
            final long length = parseLong(in, pos + 1, cr);
            if (length == NOT_A_NUMBER || length < 0 || length > MAX_BULK_LENGTH)
            {
                return protocolError(in, RespProtocolError.INVALID_BULK_LENGTH.detail((byte)0));
            }
            parsed = cr + 2 - base;
            bulkLeft = length + 2;
            if (!skipping && (length > maxLineBytes || parsed + bulkLeft > maxRequestBytes))
            {
                skipping = true;
            }
            if (skipping)
            {
                in.readerIndex(base + parsed);
                parsed = 0;
            }
            return true;
        }
        if (skipping)
        {
            final int drop = (int)Math.min(in.readableBytes(), bulkLeft);
            in.skipBytes(drop);
            bulkLeft -= drop;
        }
        else
        {
            if (in.readableBytes() - parsed < bulkLeft)
            {
                return false;
            }
            parsed += (int)bulkLeft;
            bulkLeft = 0;
        }
        if (bulkLeft > 0)
        {
            return false;
        }
        bulkLeft = -1;
        if (--elementsLeft > 0)
        {
            return true;
        }
        final boolean tooLong = skipping;
        final int end = base + parsed;
        restart();
        if (tooLong)
        {
            sink.onLineTooLong();
        }
        else
        {
            in.readerIndex(end);
            sink.onLine(in, base, end, readNanos());
        }
        return true;
    }

    /** A line not starting with {@code *}: an inline request. */
    private boolean inline(final ByteBuf in)
    {
        final int base = in.readerIndex();
        final int lf = in.indexOf(base + searched, in.writerIndex(), LF);
        if (lf < 0)
        {
            searched = in.readableBytes();
            // The line and one \r still waiting for its \n may fill the limit, not more.
            if (searched > maxLineBytes + 1)
            {
                return protocolError(in, RespProtocolError.TOO_BIG_INLINE.detail((byte)0));
            }
            return false;
        }
        searched = 0;
        final int end = lf > base && in.getByte(lf - 1) == CR ? lf - 1 : lf;
        if (end - base > maxLineBytes)
        {
            return protocolError(in, RespProtocolError.TOO_BIG_INLINE.detail((byte)0));
        }
        final int argc = RespInline.split(in, base, end, null, null, null);
        if (argc == RespInline.UNBALANCED)
        {
            return protocolError(in, RespProtocolError.UNBALANCED_QUOTES.detail((byte)0));
        }
        in.readerIndex(lf + 1);
        if (argc > 0)
        {
            sink.onLine(in, base, end, readNanos());
        }
        return true;
    }

    /**
     * The index of the {@code \r} ending the header line at {@code pos}, once the byte after it has
     * arrived too; -1 while it has not (a protocol error {@code tooBig} once more than --max-line
     * bytes came without one).
     */
    private int lineEnd(final ByteBuf in, final int pos, final RespProtocolError tooBig)
    {
        final int cr = indexOfCr(in, pos + searched, in.writerIndex());
        if (cr < 0 || cr + 1 >= in.writerIndex())
        {
            searched = cr < 0 ? in.writerIndex() - pos : cr - pos;
            if (cr < 0 && searched > maxLineBytes)
            {
                protocolError(in, tooBig.detail((byte)0));
            }
            return -1;
        }
        searched = 0;
        return cr;
    }

    /**
     * The first CR in {@code in[from, to)}, or -1: a plain loop over the first bytes, where RESP's
     * headers end (a profile of PUBLISH at full rate spent a fifth of the event loop in
     * {@code ByteBuf.indexOf}'s set-up for these few bytes), then {@code indexOf} for the rest.
     */
    static int indexOfCr(final ByteBuf in, final int from, final int to)
    {
        final int shortEnd = Math.min(to, from + SHORT_SCAN_BYTES);
        for (int i = from; i < shortEnd; i++)
        {
            if (in.getByte(i) == CR)
            {
                return i;
            }
        }
        return shortEnd == to ? -1 : in.indexOf(shortEnd, to, CR);
    }

    private boolean protocolError(final ByteBuf in, final int detail)
    {
        failed = true;
        restart();
        in.skipBytes(in.readableBytes());
        sink.onProtocolError(detail);
        return false;
    }

    /**
     * {@code in[from, to)} as Redis' {@code string2ll} reads it: an optional {@code -} then digits,
     * no leading zero (but "0"), no sign alone, no overflow; else {@link #NOT_A_NUMBER}.
     */
    static long parseLong(final ByteBuf in, final int from, final int to)
    {
        int p = from;
        if (p >= to || to - from > 20)
        {
            return NOT_A_NUMBER;
        }
        if (to - from == 1 && in.getByte(p) == '0')
        {
            return 0;
        }
        final boolean negative = in.getByte(p) == '-';
        if (negative)
        {
            p++;
        }
        if (p >= to || in.getByte(p) < '1' || in.getByte(p) > '9')
        {
            return NOT_A_NUMBER;
        }
        long value = 0;
        for (; p < to; p++)
        {
            final byte b = in.getByte(p);
            if (b < '0' || b > '9')
            {
                return NOT_A_NUMBER;
            }
            // Up to 18 digits cannot overflow: only longer numbers pay for the check.
            if (to - from > 18 && value > (Long.MAX_VALUE - (b - '0')) / 10)
            {
                return NOT_A_NUMBER;
            }
            value = value * 10 + (b - '0');
        }
        return negative ? -value : value;
    }
}
