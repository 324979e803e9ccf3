package dev.topics.loadgen.adapter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Stateless, shared by every thread: the topics text line protocol ({@code SUB}, {@code PUB},
 * {@code PING}; deliveries are {@code UPDATED <topic> <message>} lines).
 */
public final class TopicsProtocol implements WireProtocol
{
    private static final byte[] PING = ascii("PING lg\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] EMPTY = new byte[0];

    @Override
    public byte[] hello()
    {
        return EMPTY;
    }

    @Override
    public byte[] ping()
    {
        return PING;
    }

    @Override
    public byte[] pong()
    {
        return EMPTY;
    }

    @Override
    public void encodeSubscribe(final ByteBuffer out, final String topic, final int subscriptionId)
    {
        out.put(ascii("SUB " + topic + "\r\n"));
    }

    @Override
    public byte[] publishPrefix(final String topic, final int payloadBytes)
    {
        return ascii("PUB " + topic + " ");
    }

    @Override
    public byte[] publishSuffix()
    {
        return CRLF;
    }

    @Override
    public FrameDecoder newDecoder()
    {
        return new TopicsLineDecoder();
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
