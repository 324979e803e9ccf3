package dev.topics.loadgen.adapter;

import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * Immutable, any thread: one broker to drive, parsed from {@code KIND[-NAME][=HOST:PORT]}, for
 * example {@code redis=127.0.0.1:6380}, {@code topics-io=127.0.0.1:18890} or
 * {@code topics-resp=127.0.0.1:16380} (the topics broker's RESP port, spoken to as Redis). The
 * label (the kind, or {@code KIND-NAME} to tell several brokers of one kind apart) names the
 * target in the table, the files and {@code --broker-pid}; the address defaults to 127.0.0.1 and
 * the kind's usual port.
 *
 * @param kind    which broker, and which protocol to speak to it
 * @param label   {@code kind} or {@code kind-NAME}
 * @param address where the broker listens
 */
public record Target(TargetKind kind, String label, InetSocketAddress address)
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** A target labelled by its kind alone. */
    public Target(final TargetKind kind, final InetSocketAddress address)
    {
        this(kind, kind.label(), address);
    }

    public static Target parse(final String text)
    {
        final int equals = text.indexOf('=');
        final String labelText = (equals < 0 ? text : text.substring(0, equals)).trim();
        final TargetKind kind = TargetKind.ofLabel(labelText);
        final String label;
        if (labelText.length() == kind.label().length())
        {
            label = kind.label();
        }
        else
        {
            final String name = labelText.substring(kind.label().length() + 1);
            if (!NAME.matcher(name).matches())
            {
                throw new IllegalArgumentException("target '" + labelText + "': the name after '" + kind.label()
                    + "-' must be letters, digits, '_', '.' or '-'");
            }
            label = kind.label() + "-" + name;
        }
        final InetSocketAddress address = equals < 0
            ? new InetSocketAddress("127.0.0.1", kind.defaultPort())
            : parseAddress(text.substring(equals + 1), kind.defaultPort());
        return new Target(kind, label, address);
    }

    /** Parses {@code HOST:PORT}, {@code HOST} or {@code :PORT}. */
    public static InetSocketAddress parseAddress(final String text, final int defaultPort)
    {
        final int colon = text.lastIndexOf(':');
        final String host = colon < 0 ? text : text.substring(0, colon);
        final int port = colon < 0 ? defaultPort : Integer.parseInt(text.substring(colon + 1));
        return new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port);
    }

    @Override
    public String toString()
    {
        return label + "=" + address.getHostString() + ":" + address.getPort();
    }
}
