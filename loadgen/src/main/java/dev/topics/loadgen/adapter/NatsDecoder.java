package dev.topics.loadgen.adapter;

/**
 * Owned by the thread that reads one NATS connection: decodes {@code MSG} frames (control line
 * plus payload), {@code PING}, {@code PONG} and {@code -ERR}; {@code INFO} and {@code +OK} are
 * ignored.
 */
final class NatsDecoder implements FrameDecoder
{
    private static final byte[] MSG = WireBytes.ascii("MSG ");
    private static final byte[] PING = WireBytes.ascii("PING");
    private static final byte[] PONG = WireBytes.ascii("PONG");
    private static final byte[] ERR = WireBytes.ascii("-ERR");

    @Override
    public int decode(final byte[] buffer, final int start, final int end, final InboundListener listener)
    {
        int frameStart = start;
        while (frameStart < end)
        {
            final int newline = FrameDecoder.indexOfNewline(buffer, frameStart, end);
            if (newline < 0)
            {
                return frameStart;
            }
            final int lineEnd = FrameDecoder.contentEnd(buffer, frameStart, newline);
            if (FrameDecoder.startsWith(buffer, frameStart, lineEnd, MSG))
            {
                final int payloadBytes = lastNumber(buffer, frameStart, lineEnd);
                final int payloadStart = newline + 1;
                final int frameEnd = payloadStart + payloadBytes + 2;
                if (payloadBytes < 0 || frameEnd > end)
                {
                    return frameStart;
                }
                listener.onDelivery(buffer, payloadStart, payloadBytes);
                frameStart = frameEnd;
                continue;
            }
            onControlLine(buffer, frameStart, lineEnd, listener);
            frameStart = newline + 1;
        }
        return frameStart;
    }

    private static void onControlLine(
        final byte[] buffer,
        final int start,
        final int end,
        final InboundListener listener)
    {
        if (FrameDecoder.startsWith(buffer, start, end, PING))
        {
            listener.onServerPing();
        }
        else if (FrameDecoder.startsWith(buffer, start, end, PONG))
        {
            listener.onPong();
        }
        else if (FrameDecoder.startsWith(buffer, start, end, ERR))
        {
            listener.onError(buffer, start, end - start);
        }
    }

    /** The decimal number that ends the line (the payload size of a MSG), or -1. */
    private static int lastNumber(final byte[] buffer, final int start, final int end)
    {
        int digitsStart = end;
        while (digitsStart > start && buffer[digitsStart - 1] >= '0' && buffer[digitsStart - 1] <= '9')
        {
            digitsStart--;
        }
        if (digitsStart == end)
        {
            return -1;
        }
        int value = 0;
        for (int i = digitsStart; i < end; i++)
        {
            value = value * 10 + (buffer[i] - '0');
        }
        return value;
    }
}
