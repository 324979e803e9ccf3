package dev.topics.loadgen.adapter;

import java.net.InetSocketAddress;

/**
 * Immutable, any thread: one broker to drive, parsed from {@code KIND[=HOST:PORT]}
 * (for example {@code redis=127.0.0.1:6380}); the address defaults to 127.0.0.1 and the kind's
 * usual port.
 */
public record Target(TargetKind kind, InetSocketAddress address)
{
    public static Target parse(final String text)
    {
        final int equals = text.indexOf('=');
        final String kindText = equals < 0 ? text : text.substring(0, equals);
        final TargetKind kind = TargetKind.parse(kindText);
        if (equals < 0)
        {
            return new Target(kind, new InetSocketAddress("127.0.0.1", kind.defaultPort()));
        }
        return new Target(kind, parseAddress(text.substring(equals + 1), kind.defaultPort()));
    }

    /** Parses {@code HOST:PORT}, {@code HOST} or {@code :PORT}. */
    public static InetSocketAddress parseAddress(final String text, final int defaultPort)
    {
        final int colon = text.lastIndexOf(':');
        final String host = colon < 0 ? text : text.substring(0, colon);
        final int port = colon < 0 ? defaultPort : Integer.parseInt(text.substring(colon + 1));
        return new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port);
    }

    public String label()
    {
        return kind.label();
    }

    @Override
    public String toString()
    {
        return kind.label() + "=" + address.getHostString() + ":" + address.getPort();
    }
}
