package dev.topics.loadgen.adapter;

import java.util.Locale;

/**
 * Immutable, any thread: the brokers the loadgen can drive, with their default loopback port
 * and wire protocol.
 */
public enum TargetKind
{
    TOPICS(8889, new TopicsProtocol()),
    REDIS(6379, new RedisProtocol()),
    NATS(4222, new NatsProtocol());

    private final int defaultPort;
    private final WireProtocol protocol;

    TargetKind(final int defaultPort, final WireProtocol protocol)
    {
        this.defaultPort = defaultPort;
        this.protocol = protocol;
    }

    /** The kind named {@code text}, in any case. */
    public static TargetKind parse(final String text)
    {
        try
        {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("unknown target '" + text + "', expected topics, redis or nats", e);
        }
    }

    public int defaultPort()
    {
        return defaultPort;
    }

    public WireProtocol protocol()
    {
        return protocol;
    }

    /** Lower-case name as typed on the command line and printed in reports. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
