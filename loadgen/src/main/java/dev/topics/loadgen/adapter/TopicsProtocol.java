package dev.topics.loadgen.adapter;

import java.nio.ByteBuffer;

/**
 * Stateless, shared by every thread: the topics text line protocol ({@code SUB}, {@code PUB},
 * {@code PING}; deliveries are {@code UPDATED <topic> <message>} lines).
 */
public final class TopicsProtocol implements WireProtocol
{
    private static final byte[] PING = WireBytes.ascii("PING lg\r\n");

    @Override
    public byte[] ping()
    {
        return PING;
    }

    @Override
    public void encodeSubscribe(final ByteBuffer out, final String topic, final int subscriptionId)
    {
        out.put(WireBytes.ascii("SUB " + topic + "\r\n"));
    }

    @Override
    public byte[] publishPrefix(final String topic, final int payloadBytes)
    {
        return WireBytes.ascii("PUB " + topic + " ");
    }

    @Override
    public FrameDecoder newDecoder()
    {
        return new TopicsLineDecoder();
    }
}
