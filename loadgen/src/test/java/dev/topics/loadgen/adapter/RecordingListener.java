package dev.topics.loadgen.adapter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test thread only: writes down every event a decoder reports, as text. */
final class RecordingListener implements InboundListener
{
    final List<String> events = new ArrayList<>();

    @Override
    public void onDelivery(final byte[] buffer, final int offset, final int length)
    {
        events.add("delivery " + new String(buffer, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void onSubscribed()
    {
        events.add("subscribed");
    }

    @Override
    public void onPong()
    {
        events.add("pong");
    }

    @Override
    public void onServerPing()
    {
        events.add("ping");
    }

    @Override
    public void onPublishReply(final long receivers)
    {
        events.add("receivers " + receivers);
    }

    @Override
    public void onError(final byte[] buffer, final int offset, final int length)
    {
        events.add("error " + new String(buffer, offset, length, StandardCharsets.UTF_8));
    }

    /**
     * Feeds {@code input} to a fresh decoder in two reads split at {@code split}, keeping the
     * unconsumed bytes as the connection does.
     */
    static List<String> decodeSplit(final WireProtocol protocol, final byte[] input, final int split)
    {
        final FrameDecoder decoder = protocol.newDecoder();
        final RecordingListener listener = new RecordingListener();
        final byte[] buffer = new byte[input.length];
        System.arraycopy(input, 0, buffer, 0, split);
        final int consumed = decoder.decode(buffer, 0, split, listener);
        final int kept = split - consumed;
        System.arraycopy(buffer, consumed, buffer, 0, kept);
        System.arraycopy(input, split, buffer, kept, input.length - split);
        final int end = kept + input.length - split;
        final int finalConsumed = decoder.decode(buffer, 0, end, listener);
        if (finalConsumed != end)
        {
            listener.events.add("left " + (end - finalConsumed));
        }
        return listener.events;
    }
}
