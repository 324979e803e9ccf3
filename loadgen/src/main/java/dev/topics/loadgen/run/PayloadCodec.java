package dev.topics.loadgen.run;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Stateless, so safe from any thread: writes and reads the fixed header every loadgen message
 * carries in its payload, in place in a caller's byte array.
 *
 * <p>The header is printable ASCII because the topics protocol is line based (a payload cannot
 * contain {@code \n}); fixed-width lowercase hex keeps encoding and decoding branch-light and
 * allocation-free:
 * <pre>
 *   offset 0   6 hex digits   stream id (publisher x topic, see {@link Topology})
 *   offset 6  10 hex digits   sequence number within the stream, from 0
 *   offset 16 16 hex digits   intended send time, System.nanoTime() of the schedule
 *   offset 32 '.' padding up to the payload size
 * </pre>
 *
 * <p>A <em>probe</em>, sent during setup to prove a subscription reaches the publishers' node,
 * starts with {@code probe:} and a 6 hex digit stream id instead: {@code p} is no hex digit, so a
 * probe can never be read as a data header ({@link #readStream} returns -1 for it), and a
 * subscriber only looks for the probe mark after that check failed, off the data path.
 */
public final class PayloadCodec
{
    /** Bytes of the header; the smallest payload the loadgen can send. */
    public static final int HEADER_BYTES = 32;
    /** Largest stream id the header can hold. */
    public static final int MAX_STREAMS = 1 << 24;

    private static final int STREAM_OFFSET = 0;
    private static final int STREAM_DIGITS = 6;
    private static final int SEQUENCE_OFFSET = 6;
    private static final int SEQUENCE_DIGITS = 10;
    private static final int TIME_OFFSET = 16;
    private static final int TIME_DIGITS = 16;
    private static final byte PADDING = '.';
    private static final byte[] PROBE_MARK = "probe:".getBytes(StandardCharsets.US_ASCII);
    private static final int PROBE_STREAM_OFFSET = PROBE_MARK.length;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private PayloadCodec()
    {
    }

    /** Writes the padding of a payload once; {@link #writeHeader} then only patches the header. */
    public static void writePadding(final byte[] buffer, final int offset, final int payloadBytes)
    {
        Arrays.fill(buffer, offset + HEADER_BYTES, offset + payloadBytes, PADDING);
    }

    /** Writes the header of one message at {@code offset}. */
    public static void writeHeader(
        final byte[] buffer,
        final int offset,
        final int stream,
        final long sequence,
        final long intendedNs)
    {
        writeHex(buffer, offset + STREAM_OFFSET, STREAM_DIGITS, stream);
        writeHex(buffer, offset + SEQUENCE_OFFSET, SEQUENCE_DIGITS, sequence);
        writeHex(buffer, offset + TIME_OFFSET, TIME_DIGITS, intendedNs);
    }

    /** Stream id of the payload at {@code offset}, or -1 if the header is not ours. */
    public static int readStream(final byte[] buffer, final int offset)
    {
        return (int) readHex(buffer, offset + STREAM_OFFSET, STREAM_DIGITS);
    }

    /** Sequence number of the payload at {@code offset}, or -1 if the header is not ours. */
    public static long readSequence(final byte[] buffer, final int offset)
    {
        return readHex(buffer, offset + SEQUENCE_OFFSET, SEQUENCE_DIGITS);
    }

    /**
     * Intended send time of the payload at {@code offset}; all 64 bits are used (nanoTime may be
     * negative), so the caller must have checked the header with {@link #readStream} first.
     */
    public static long readIntendedNs(final byte[] buffer, final int offset)
    {
        long value = 0;
        for (int i = 0; i < TIME_DIGITS; i++)
        {
            value = (value << 4) | digit(buffer[offset + TIME_OFFSET + i]);
        }
        return value;
    }

    /** Writes a whole probe payload of {@code payloadBytes} for {@code stream} at {@code offset}. */
    public static void writeProbe(final byte[] buffer, final int offset, final int payloadBytes, final int stream)
    {
        System.arraycopy(PROBE_MARK, 0, buffer, offset, PROBE_MARK.length);
        writeHex(buffer, offset + PROBE_STREAM_OFFSET, STREAM_DIGITS, stream);
        Arrays.fill(buffer, offset + PROBE_STREAM_OFFSET + STREAM_DIGITS, offset + payloadBytes, PADDING);
    }

    /** The stream a probe payload of {@code length} bytes at {@code offset} is for, or -1 if it is no probe. */
    public static int readProbeStream(final byte[] buffer, final int offset, final int length)
    {
        if (length < PROBE_STREAM_OFFSET + STREAM_DIGITS)
        {
            return -1;
        }
        for (int i = 0; i < PROBE_MARK.length; i++)
        {
            if (buffer[offset + i] != PROBE_MARK[i])
            {
                return -1;
            }
        }
        return (int) readHex(buffer, offset + PROBE_STREAM_OFFSET, STREAM_DIGITS);
    }

    private static void writeHex(final byte[] buffer, final int offset, final int digits, final long value)
    {
        long remaining = value;
        for (int i = digits - 1; i >= 0; i--)
        {
            buffer[offset + i] = HEX[(int) (remaining & 0xF)];
            remaining >>>= 4;
        }
    }

    private static long readHex(final byte[] buffer, final int offset, final int digits)
    {
        long value = 0;
        for (int i = 0; i < digits; i++)
        {
            final int digit = digit(buffer[offset + i]);
            if (digit < 0)
            {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private static int digit(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        return -1;
    }
}
