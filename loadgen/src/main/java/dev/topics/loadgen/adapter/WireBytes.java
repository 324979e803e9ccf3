package dev.topics.loadgen.adapter;

import java.nio.charset.StandardCharsets;

/**
 * Immutable, any thread: the bytes every wire protocol shares. The arrays are never written to:
 * callers only copy or wrap them.
 */
final class WireBytes
{
    static final byte[] EMPTY = new byte[0];
    static final byte[] CRLF = ascii("\r\n");

    private WireBytes()
    {
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
