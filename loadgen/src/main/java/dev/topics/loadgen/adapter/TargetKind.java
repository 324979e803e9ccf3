package dev.topics.loadgen.adapter;

import java.util.Locale;

/**
 * Immutable, any thread: the brokers the loadgen can drive, with their label, default loopback
 * port and wire protocol. A kind is the pair (server, client protocol): the topics broker is two
 * kinds, {@code topics} on its own text port and {@code topics-resp} on its RESP port
 * ({@code --resp-port}), where the loadgen speaks to it exactly as to Redis, so the two can be
 * compared with one client.
 */
public enum TargetKind
{
    TOPICS("topics", 8889, new TopicsProtocol(), true),
    /** The topics broker's RESP listener, driven with the very adapter {@link #REDIS} uses. */
    TOPICS_RESP("topics-resp", 6380, new RedisProtocol(), true),
    REDIS("redis", 6379, new RedisProtocol(), false),
    NATS("nats", 4222, new NatsProtocol(), false);

    private final String label;
    private final int defaultPort;
    private final WireProtocol protocol;
    private final boolean topicsBroker;

    TargetKind(final String label, final int defaultPort, final WireProtocol protocol, final boolean topicsBroker)
    {
        this.label = label;
        this.defaultPort = defaultPort;
        this.protocol = protocol;
        this.topicsBroker = topicsBroker;
    }

    /**
     * The kind a target label {@code KIND} or {@code KIND-NAME} (any case) starts with. The longest
     * kind that fits wins, so {@code topics-resp-x} is topics-resp named x, while {@code topics-io}
     * stays topics named io: the kind label may itself hold a dash.
     */
    public static TargetKind ofLabel(final String text)
    {
        final String lower = text.trim().toLowerCase(Locale.ROOT);
        TargetKind found = null;
        for (final TargetKind kind : values())
        {
            final boolean fits = lower.equals(kind.label) || lower.startsWith(kind.label + "-");
            if (fits && (found == null || kind.label.length() > found.label.length()))
            {
                found = kind;
            }
        }
        if (found == null)
        {
            throw new IllegalArgumentException(
                "unknown target '" + text + "', expected topics, topics-resp, redis or nats");
        }
        return found;
    }

    public int defaultPort()
    {
        return defaultPort;
    }

    public WireProtocol protocol()
    {
        return protocol;
    }

    /**
     * Whether this is the broker under test (it gets ratio rows) rather than a peer it is measured
     * against.
     */
    public boolean isTopicsBroker()
    {
        return topicsBroker;
    }

    /** Whether a client of this kind sends and expects the same bytes as one of {@code other}. */
    public boolean sameClientProtocol(final TargetKind other)
    {
        return protocol.getClass() == other.protocol.getClass();
    }

    /** Lower-case name as typed on the command line and printed in reports. */
    public String label()
    {
        return label;
    }
}
