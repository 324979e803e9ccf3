package dev.topics.broker;

/**
 * The limits that keep memory bounded whatever clients do.
 *
 * <p>Immutable; safe on any thread.
 *
 * @param maxPendingBytes  unsent bytes queued for one connection before it is cut off as a slow consumer.
 * @param maxConnections   open connections; more are answered {@code ERR server-busy} and closed.
 * @param maxSubscriptions subscriptions per connection.
 * @param maxTopics        topics in the store, each keeping its latest value.
 */
public record ResourceLimits(long maxPendingBytes, int maxConnections, int maxSubscriptions, int maxTopics)
{
    public static final long MAX_PENDING_BYTES_DEFAULT = 8L * 1024 * 1024;
    public static final int MAX_CONNECTIONS_DEFAULT = 10_000;
    public static final int MAX_SUBSCRIPTIONS_DEFAULT = 10_000;
    public static final int MAX_TOPICS_DEFAULT = 1_000_000;

    public static final ResourceLimits DEFAULTS = new ResourceLimits(
        MAX_PENDING_BYTES_DEFAULT, MAX_CONNECTIONS_DEFAULT, MAX_SUBSCRIPTIONS_DEFAULT, MAX_TOPICS_DEFAULT);

    public ResourceLimits
    {
        if (maxPendingBytes < 2 || maxPendingBytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("max pending must be 2 bytes to 2 GiB, not " + maxPendingBytes);
        }
        if (maxConnections < 1 || maxSubscriptions < 1 || maxTopics < 1)
        {
            throw new IllegalArgumentException("connection, subscription and topic limits must be at least 1");
        }
    }
}
