package dev.topics.broker;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The HOST:PORT a user types on the command line. */
class HostPortTest
{
    @Test
    void shouldReadHostAndPort()
    {
        assertEquals(new InetSocketAddress("127.0.0.1", 9000), HostPort.parse("127.0.0.1:9000"));
    }

    @Test
    void shouldTakeTheDefaultHostForAPortAlone()
    {
        assertEquals(new InetSocketAddress("0.0.0.0", 9000), HostPort.parse(":9000"));
        assertEquals(new InetSocketAddress("0.0.0.0", 9000), HostPort.parse("9000"));
    }

    @Test
    void shouldReadAnIpv6HostInBrackets()
    {
        assertEquals(new InetSocketAddress("::1", 9000), HostPort.parse("[::1]:9000"));
    }

    @Test
    void shouldSayWhatWasExpectedForABadAddress()
    {
        for (final String bad : new String[]{"localhost", "localhost:port", "127.0.0.1:70000", ""})
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(bad));
            assertEquals("HOST:PORT expected, got '" + bad + "'", refused.getMessage());
        }
    }
}
