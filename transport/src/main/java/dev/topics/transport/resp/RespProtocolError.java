package dev.topics.transport.resp;

/**
 * The wordings of Redis' protocol errors, after which the connection is closed: the detail of a
 * {@code PROTOCOL_ERROR} the {@link RespFrameDecoder} reports ({@code FrameSink.onProtocolError}),
 * as {@code ordinal() | (byte << 8)} for {@link #EXPECTED_DOLLAR}, which names the byte found.
 * Shared by the decoder (in) and {@link RespEncoder} (out).
 *
 * <p>Immutable; safe on any thread.
 */
public enum RespProtocolError
{
    INVALID_MULTIBULK_LENGTH("Protocol error: invalid multibulk length"),
    INVALID_BULK_LENGTH("Protocol error: invalid bulk length"),
    /** Followed by the byte found: {@code Protocol error: expected '$', got 'x'}. */
    EXPECTED_DOLLAR("Protocol error: expected '$', got '%c'"),
    UNBALANCED_QUOTES("Protocol error: unbalanced quotes in request"),
    TOO_BIG_INLINE("Protocol error: too big inline request"),
    TOO_BIG_MBULK_COUNT("Protocol error: too big mbulk count string"),
    TOO_BIG_BULK_COUNT("Protocol error: too big bulk count string");

    private final String format;

    RespProtocolError(final String format)
    {
        this.format = format;
    }

    /** The error text without the leading {@code -ERR } and the line ending, for {@code detail}. */
    public static String text(final int detail)
    {
        final RespProtocolError error = values()[detail & 0xFF];
        return error == EXPECTED_DOLLAR ? String.format(error.format, (char)((detail >>> 8) & 0xFF)) : error.format;
    }

    /** The detail that reports this error ({@code found}: the byte, for {@link #EXPECTED_DOLLAR}). */
    public int detail(final byte found)
    {
        return ordinal() | ((found & 0xFF) << 8);
    }
}
