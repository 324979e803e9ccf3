package dev.topics.loadgen.run;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PayloadCodecTest
{
    @Test
    void shouldRoundTripTheHeaderIncludingANegativeNanoTime()
    {
        final byte[] buffer = new byte[10 + 64];
        PayloadCodec.writePadding(buffer, 10, 64);
        PayloadCodec.writeHeader(buffer, 10, 0xabcdef, 123_456_789_012L, -42L);

        assertEquals(0xabcdef, PayloadCodec.readStream(buffer, 10));
        assertEquals(123_456_789_012L, PayloadCodec.readSequence(buffer, 10));
        assertEquals(-42L, PayloadCodec.readIntendedNs(buffer, 10));
    }

    @Test
    void shouldBePrintableAsciiWithoutNewlinesSoEveryProtocolCanCarryIt()
    {
        final byte[] buffer = new byte[48];
        PayloadCodec.writePadding(buffer, 0, 48);
        PayloadCodec.writeHeader(buffer, 0, 7, 9, Long.MIN_VALUE);

        final String text = new String(buffer, StandardCharsets.US_ASCII);
        assertEquals("000007" + "0000000009" + "8000000000000000" + ".".repeat(16), text);
    }

    @Test
    void shouldRejectAForeignHeader()
    {
        final byte[] buffer = "hello world, not a loadgen message".getBytes(StandardCharsets.US_ASCII);

        assertEquals(-1, PayloadCodec.readStream(buffer, 0));
    }

    @Test
    void shouldTellAProbeFromADataHeaderBothWays()
    {
        final byte[] probe = new byte[64];
        PayloadCodec.writeProbe(probe, 0, 64, 0x12);
        final byte[] data = new byte[64];
        PayloadCodec.writePadding(data, 0, 64);
        PayloadCodec.writeHeader(data, 0, 0x12, 0, 0);

        assertEquals("probe:000012" + ".".repeat(52), new String(probe, StandardCharsets.US_ASCII));
        assertEquals(-1, PayloadCodec.readStream(probe, 0), "a probe is never read as data");
        assertEquals(0x12, PayloadCodec.readProbeStream(probe, 0, 64));
        assertEquals(-1, PayloadCodec.readProbeStream(data, 0, 64), "data is never read as a probe");
        assertEquals(-1, PayloadCodec.readProbeStream(probe, 0, 8), "too short to hold a stream id");
    }
}
