package dev.topics.loadgen.adapter;

import java.nio.ByteBuffer;

/**
 * Stateless, shared by every thread of a run: how one kind of broker spells the few commands the
 * loadgen needs. Publishes are split into a per-topic prefix (encoded once, before the run) and
 * a suffix, so the hot path only copies bytes and patches the payload header.
 */
public interface WireProtocol
{
    /** Bytes a new connection sends first (NATS CONNECT); none by default. */
    default byte[] hello()
    {
        return WireBytes.EMPTY;
    }

    /** A command whose reply means everything sent before it was processed. */
    byte[] ping();

    /** Reply to a server's PING (NATS); empty where the server never pings, the default. */
    default byte[] pong()
    {
        return WireBytes.EMPTY;
    }

    /** Subscribes to {@code topic}; {@code subscriptionId} is unique per connection (NATS sid). */
    void encodeSubscribe(ByteBuffer out, String topic, int subscriptionId);

    /**
     * Subscribes to every topic {@code pattern} matches, in NATS subject syntax ({@code *} is one
     * {@code .}-separated token, a last {@code >} one or more). Topics and NATS spell it as an
     * exact subscribe, the default; Redis has a command of its own.
     */
    default void encodePatternSubscribe(final ByteBuffer out, final String pattern, final int subscriptionId)
    {
        encodeSubscribe(out, pattern, subscriptionId);
    }

    /** Everything of a publish of {@code payloadBytes} to {@code topic} that comes before the payload. */
    byte[] publishPrefix(String topic, int payloadBytes);

    /** Everything of a publish after the payload: CRLF in every protocol so far. */
    default byte[] publishSuffix()
    {
        return WireBytes.CRLF;
    }

    /** A new decoder for one connection's inbound bytes. */
    FrameDecoder newDecoder();
}
