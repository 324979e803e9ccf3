package dev.topics.loadgen.adapter;

import java.nio.ByteBuffer;

/**
 * Stateless, shared by every thread: Redis Pub/Sub in RESP2 ({@code SUBSCRIBE}, {@code PSUBSCRIBE},
 * {@code PUBLISH}, {@code PING}); deliveries are {@code message} push frames ({@code pmessage} to a
 * pattern subscription), and every PUBLISH is answered with the number of receivers, which the
 * publisher's reader consumes.
 */
public final class RedisProtocol implements WireProtocol
{
    private static final byte[] PING = WireBytes.ascii("*1\r\n$4\r\nPING\r\n");

    @Override
    public byte[] ping()
    {
        return PING;
    }

    @Override
    public void encodeSubscribe(final ByteBuffer out, final String topic, final int subscriptionId)
    {
        out.put(WireBytes.ascii("*2\r\n$9\r\nSUBSCRIBE\r\n" + bulk(topic)));
    }

    /**
     * {@code PSUBSCRIBE}: Redis patterns are globs, where {@code *} matches any characters, dots
     * included. Over the loadgen's topic names ({@code bench.<t>}: no further dots) a NATS
     * {@code *} and a glob {@code *} match the same names, so the pattern is sent as it is.
     */
    @Override
    public void encodePatternSubscribe(final ByteBuffer out, final String pattern, final int subscriptionId)
    {
        out.put(WireBytes.ascii("*2\r\n$10\r\nPSUBSCRIBE\r\n" + bulk(pattern)));
    }

    @Override
    public byte[] publishPrefix(final String topic, final int payloadBytes)
    {
        return WireBytes.ascii("*3\r\n$7\r\nPUBLISH\r\n" + bulk(topic) + "$" + payloadBytes + "\r\n");
    }

    @Override
    public FrameDecoder newDecoder()
    {
        return new RespDecoder();
    }

    private static String bulk(final String text)
    {
        return "$" + text.length() + "\r\n" + text + "\r\n";
    }
}
