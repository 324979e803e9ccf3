package dev.topics.loadgen.adapter;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Immutable, any thread: one broker to drive, parsed from {@code KIND[-NAME][=ADDRESSES]}, for
 * example {@code redis=127.0.0.1:6380}, {@code topics-io=127.0.0.1:18890} or
 * {@code topics-resp=127.0.0.1:16380} (the topics broker's RESP port, spoken to as Redis). The
 * label (the kind, or {@code KIND-NAME} to tell several brokers of one kind apart) names the
 * target in the table, the files and {@code --broker-pid}; the address defaults to 127.0.0.1 and
 * the kind's usual port.
 *
 * <p>A target may be a cluster of nodes driven across nodes:
 * {@code KIND[-NAME]=PUBHOST:PORT/SUBHOST:PORT+SUBHOST:PORT...} connects every publisher to the
 * address before the {@code /} and spreads the subscribers round-robin over the addresses after
 * it (subscriber {@code s} on {@code subscriberAddresses[s % n]}), so "publishers on node 1,
 * subscribers on nodes 2 and 3" is {@code nats-cluster=:14222/:14223+:14224}. Without a {@code /}
 * publishers and subscribers share the one address.
 *
 * @param kind                which broker, and which protocol to speak to it
 * @param label               {@code kind} or {@code kind-NAME}
 * @param address             where the publishers connect (and the subscribers, unless split)
 * @param subscriberAddresses where the subscribers connect, round-robin; {@code [address]} unless split
 */
public record Target(TargetKind kind, String label, InetSocketAddress address, List<InetSocketAddress> subscriberAddresses)
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    public Target
    {
        subscriberAddresses = List.copyOf(subscriberAddresses);
        if (subscriberAddresses.isEmpty())
        {
            throw new IllegalArgumentException("target " + label + " needs at least one subscriber address");
        }
    }

    /** Publishers and subscribers on one address. */
    public Target(final TargetKind kind, final String label, final InetSocketAddress address)
    {
        this(kind, label, address, List.of(address));
    }

    /** A target labelled by its kind alone, publishers and subscribers on one address. */
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
        if (equals < 0)
        {
            return new Target(kind, label, new InetSocketAddress("127.0.0.1", kind.defaultPort()));
        }
        final String addresses = text.substring(equals + 1).trim();
        final int slash = addresses.indexOf('/');
        final InetSocketAddress publisherAddress =
            parseAddress(slash < 0 ? addresses : addresses.substring(0, slash), kind.defaultPort());
        if (slash < 0)
        {
            return new Target(kind, label, publisherAddress);
        }
        final List<InetSocketAddress> subscriberAddresses = new ArrayList<>();
        // -1: a trailing '+' is an empty entry to reject, not one to drop.
        for (final String entry : addresses.substring(slash + 1).split("\\+", -1))
        {
            if (entry.isBlank())
            {
                throw new IllegalArgumentException("target '" + text
                    + "': expected PUBHOST:PORT/SUBHOST:PORT+SUBHOST:PORT..., with an address between every '+'");
            }
            subscriberAddresses.add(parseAddress(entry.trim(), kind.defaultPort()));
        }
        return new Target(kind, label, publisherAddress, subscriberAddresses);
    }

    /** Parses {@code HOST:PORT}, {@code HOST} or {@code :PORT}. */
    public static InetSocketAddress parseAddress(final String text, final int defaultPort)
    {
        final int colon = text.lastIndexOf(':');
        final String host = colon < 0 ? text : text.substring(0, colon);
        final int port = colon < 0 ? defaultPort : Integer.parseInt(text.substring(colon + 1));
        return new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port);
    }

    /** Where subscriber {@code subscriber} (from 0) connects: the subscriber addresses round-robin. */
    public InetSocketAddress subscriberAddress(final int subscriber)
    {
        return subscriberAddresses.get(Math.floorMod(subscriber, subscriberAddresses.size()));
    }

    /** Whether publishers and subscribers connect to different addresses (given as PUB/SUB+SUB). */
    public boolean isSplit()
    {
        return !subscriberAddresses.equals(List.of(address));
    }

    /** The addresses as parsed back: {@code HOST:PORT}, or {@code PUBHOST:PORT/SUBHOST:PORT+...} when split. */
    public String addressText()
    {
        if (!isSplit())
        {
            return hostPort(address);
        }
        final StringJoiner subscribers = new StringJoiner("+", hostPort(address) + "/", "");
        for (final InetSocketAddress subscriberAddress : subscriberAddresses)
        {
            subscribers.add(hostPort(subscriberAddress));
        }
        return subscribers.toString();
    }

    private static String hostPort(final InetSocketAddress address)
    {
        return address.getHostString() + ":" + address.getPort();
    }

    @Override
    public String toString()
    {
        return label + "=" + addressText();
    }
}
