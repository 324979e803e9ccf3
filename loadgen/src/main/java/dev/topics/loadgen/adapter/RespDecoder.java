package dev.topics.loadgen.adapter;

/**
 * Owned by the thread that reads one Redis connection: decodes the RESP2 frames a Pub/Sub client
 * sees: {@code message} and {@code pmessage}, {@code subscribe} and {@code psubscribe}, and
 * {@code pong} arrays, {@code :n} integers (PUBLISH replies), {@code +PONG} and {@code -ERR}.
 *
 * <p>A frame is only dispatched once it is complete; an incomplete one is re-parsed from its
 * start after the next read, which is cheap because frames are small.
 */
final class RespDecoder implements FrameDecoder
{
    private static final int INCOMPLETE = -1;
    private static final int MAX_ELEMENTS = 4;
    private static final byte[] MESSAGE = WireBytes.ascii("message");
    /** A delivery to a pattern subscription: pmessage, pattern, channel, payload. */
    private static final byte[] PMESSAGE = WireBytes.ascii("pmessage");
    private static final byte[] SUBSCRIBE = WireBytes.ascii("subscribe");
    private static final byte[] PSUBSCRIBE = WireBytes.ascii("psubscribe");
    private static final byte[] PONG_ELEMENT = WireBytes.ascii("pong");
    private static final byte[] PONG_STATUS = WireBytes.ascii("+PONG");

    /** Start and length of the first elements of the array being parsed; reused per frame. */
    private final int[] elementOffsets = new int[MAX_ELEMENTS];
    private final int[] elementLengths = new int[MAX_ELEMENTS];
    /** Where the number parsed by {@link #parseLine} ended (the index after its newline). */
    private int lineNext;
    private long lineNumber;

    @Override
    public int decode(final byte[] buffer, final int start, final int end, final InboundListener listener)
    {
        int frameStart = start;
        while (frameStart < end)
        {
            final int next = decodeFrame(buffer, frameStart, end, listener);
            if (next == INCOMPLETE)
            {
                return frameStart;
            }
            frameStart = next;
        }
        return frameStart;
    }

    private int decodeFrame(final byte[] buffer, final int start, final int end, final InboundListener listener)
    {
        final byte type = buffer[start];
        if (type == '*')
        {
            return decodeArray(buffer, start, end, listener);
        }
        final int newline = FrameDecoder.indexOfNewline(buffer, start, end);
        if (newline < 0)
        {
            return INCOMPLETE;
        }
        final int lineEnd = FrameDecoder.contentEnd(buffer, start, newline);
        if (type == ':')
        {
            listener.onPublishReply(parseLong(buffer, start + 1, lineEnd));
        }
        else if (type == '-')
        {
            listener.onError(buffer, start, lineEnd - start);
        }
        else if (FrameDecoder.startsWith(buffer, start, lineEnd, PONG_STATUS))
        {
            listener.onPong();
        }
        return newline + 1;
    }

    private int decodeArray(final byte[] buffer, final int start, final int end, final InboundListener listener)
    {
        if (!parseLine(buffer, start + 1, end))
        {
            return INCOMPLETE;
        }
        final long count = lineNumber;
        int position = lineNext;
        for (int i = 0; i < count; i++)
        {
            position = skipElement(buffer, position, end, i);
            if (position == INCOMPLETE)
            {
                return INCOMPLETE;
            }
        }
        dispatchArray(buffer, (int) Math.min(count, MAX_ELEMENTS), listener);
        return position;
    }

    /** Skips one element (bulk string, integer or status), remembering where its value is. */
    private int skipElement(final byte[] buffer, final int start, final int end, final int index)
    {
        if (start >= end)
        {
            return INCOMPLETE;
        }
        final byte type = buffer[start];
        if (!parseLine(buffer, start + 1, end))
        {
            return INCOMPLETE;
        }
        final int valueStart;
        final int valueLength;
        final int next;
        if (type == '$')
        {
            valueStart = lineNext;
            valueLength = (int) lineNumber;
            next = valueLength < 0 ? lineNext : lineNext + valueLength + 2;
            if (next > end)
            {
                return INCOMPLETE;
            }
        }
        else
        {
            valueStart = start + 1;
            valueLength = lineNext - 2 - valueStart;
            next = lineNext;
        }
        if (index < MAX_ELEMENTS)
        {
            elementOffsets[index] = valueStart;
            elementLengths[index] = valueLength;
        }
        return next;
    }

    private void dispatchArray(final byte[] buffer, final int elements, final InboundListener listener)
    {
        if (elements == 0)
        {
            return;
        }
        if (elements >= 3 && elementIs(buffer, 0, MESSAGE))
        {
            listener.onDelivery(buffer, elementOffsets[2], elementLengths[2]);
        }
        else if (elements >= 4 && elementIs(buffer, 0, PMESSAGE))
        {
            listener.onDelivery(buffer, elementOffsets[3], elementLengths[3]);
        }
        else if (elementIs(buffer, 0, SUBSCRIBE) || elementIs(buffer, 0, PSUBSCRIBE))
        {
            listener.onSubscribed();
        }
        else if (elementIs(buffer, 0, PONG_ELEMENT))
        {
            listener.onPong();
        }
    }

    private boolean elementIs(final byte[] buffer, final int index, final byte[] word)
    {
        return elementLengths[index] == word.length
            && FrameDecoder.startsWith(buffer, elementOffsets[index], elementOffsets[index] + word.length, word);
    }

    /** Parses the number of a {@code \r\n}-terminated line into fields; false if incomplete. */
    private boolean parseLine(final byte[] buffer, final int start, final int end)
    {
        final int newline = FrameDecoder.indexOfNewline(buffer, start, end);
        if (newline < 0)
        {
            return false;
        }
        lineNumber = parseLong(buffer, start, FrameDecoder.contentEnd(buffer, start, newline));
        lineNext = newline + 1;
        return true;
    }

    private static long parseLong(final byte[] buffer, final int start, final int end)
    {
        final boolean negative = start < end && buffer[start] == '-';
        long value = 0;
        for (int i = negative ? start + 1 : start; i < end; i++)
        {
            final byte b = buffer[i];
            if (b < '0' || b > '9')
            {
                break;
            }
            value = value * 10 + (b - '0');
        }
        return negative ? -value : value;
    }
}
