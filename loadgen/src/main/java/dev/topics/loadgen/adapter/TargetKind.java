package dev.topics.loadgen.adapter;

/**
 * Immutable, any thread: the brokers the loadgen can drive, with their default loopback port
 * and wire protocol.
 */
public enum TargetKind {
    TOPICS(8889, new TopicsProtocol()),
    REDIS(6379, new RedisProtocol()),
    NATS(4222, new NatsProtocol());

    private final int defaultPort;
    private final WireProtocol protocol;

    TargetKind(int defaultPort, WireProtocol protocol) {
        this.defaultPort = defaultPort;
        this.protocol = protocol;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public WireProtocol protocol() {
        return protocol;
    }

    /** Lower-case name as typed on the command line and printed in reports. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
