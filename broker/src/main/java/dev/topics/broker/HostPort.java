package dev.topics.broker;

import java.net.InetSocketAddress;

/**
 * Reads the {@code HOST:PORT} a user types into an address to bind. Stateless; safe on any thread.
 */
final class HostPort
{
    private HostPort()
    {
    }

    /**
     * {@code HOST:PORT}, {@code :PORT} or {@code PORT} (the host then is
     * {@link BrokerConfig#BIND_HOST_DEFAULT}); IPv6 hosts in brackets, {@code [::1]:8889}. The
     * host is not resolved here beyond what {@link InetSocketAddress} does.
     *
     * @throws IllegalArgumentException in words fit to show a user.
     */
    static InetSocketAddress parse(final String text)
    {
        final int colon = text.lastIndexOf(':');
        final String host = colon <= 0 ? BrokerConfig.BIND_HOST_DEFAULT : text.substring(0, colon).replace("[", "").replace("]", "");
        final String port = colon < 0 ? text : text.substring(colon + 1);
        try
        {
            return new InetSocketAddress(host, Integer.parseInt(port));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("HOST:PORT expected, got '" + text + "'", ex);
        }
    }
}
