package dev.topics.loadgen.adapter;

import java.nio.ByteBuffer;

/**
 * Stateless, shared by every thread: core NATS ({@code CONNECT}, {@code SUB subject sid},
 * {@code PUB subject n}; deliveries are {@code MSG subject sid n} frames). Verbose mode is off
 * so the server sends no {@code +OK} per command.
 */
public final class NatsProtocol implements WireProtocol
{
    private static final byte[] HELLO = WireBytes.ascii(
        "CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"topics-loadgen\"}\r\n");
    private static final byte[] PING = WireBytes.ascii("PING\r\n");
    private static final byte[] PONG = WireBytes.ascii("PONG\r\n");

    @Override
    public byte[] hello()
    {
        return HELLO;
    }

    @Override
    public byte[] ping()
    {
        return PING;
    }

    @Override
    public byte[] pong()
    {
        return PONG;
    }

    @Override
    public void encodeSubscribe(final ByteBuffer out, final String topic, final int subscriptionId)
    {
        out.put(WireBytes.ascii("SUB " + topic + " " + subscriptionId + "\r\n"));
    }

    @Override
    public byte[] publishPrefix(final String topic, final int payloadBytes)
    {
        return WireBytes.ascii("PUB " + topic + " " + payloadBytes + "\r\n");
    }

    @Override
    public FrameDecoder newDecoder()
    {
        return new NatsDecoder();
    }
}
