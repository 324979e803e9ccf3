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
}
