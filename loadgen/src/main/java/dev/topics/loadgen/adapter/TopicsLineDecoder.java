package dev.topics.loadgen.adapter;

/**
 * Owned by the thread that reads one topics connection: splits lines and recognises
 * {@code UPDATED}, {@code SUBSCRIBED}, {@code PONG} and {@code ERR}; other replies are ignored.
 */
final class TopicsLineDecoder implements FrameDecoder
{
    private static final byte[] UPDATED = WireBytes.ascii("UPDATED ");
    private static final byte[] SUBSCRIBED = WireBytes.ascii("SUBSCRIBED");
    private static final byte[] PONG = WireBytes.ascii("PONG");
    private static final byte[] ERR = WireBytes.ascii("ERR");

    @Override
    public int decode(final byte[] buffer, final int start, final int end, final InboundListener listener)
    {
        int lineStart = start;
        while (lineStart < end)
        {
            final int newline = FrameDecoder.indexOfNewline(buffer, lineStart, end);
            if (newline < 0)
            {
                return lineStart;
            }
            onLine(buffer, lineStart, FrameDecoder.contentEnd(buffer, lineStart, newline), listener);
            lineStart = newline + 1;
        }
        return lineStart;
    }

    private static void onLine(final byte[] buffer, final int start, final int end, final InboundListener listener)
    {
        if (FrameDecoder.startsWith(buffer, start, end, UPDATED))
        {
            final int topicStart = start + UPDATED.length;
            int space = topicStart;
            while (space < end && buffer[space] != ' ')
            {
                space++;
            }
            final int payloadStart = Math.min(space + 1, end);
            listener.onDelivery(buffer, payloadStart, end - payloadStart);
        }
        else if (FrameDecoder.startsWith(buffer, start, end, SUBSCRIBED))
        {
            listener.onSubscribed();
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
}
