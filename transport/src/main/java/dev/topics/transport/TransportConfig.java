package dev.topics.transport;

import java.net.InetSocketAddress;

/**
 * What the transport reads to listen and serve connections; the event loops it runs on are
 * started separately ({@link IoThreads}).
 *
 * <p>Immutable; safe on any thread.
 *
 * @param bind            address and port to listen on; port 0 picks a free one.
 * @param maxLineBytes    longest accepted line, without its line ending.
 * @param maxTopicBytes   longest accepted topic.
 * @param maxPendingBytes unsent bytes per connection at which it stops being writable.
 * @param maxConnections  open connections; more are refused with {@code ERR server-busy}.
 * @param security        auth token, TLS and idle timeout; {@link SecurityConfig#NONE} for none.
 * @param respBind        where the RESP listener (Redis clients) listens, or null for none; the
 *                        limits and security above apply to it too, and its connections count
 *                        toward the same {@code maxConnections}.
 */
public record TransportConfig(
    InetSocketAddress bind,
    int maxLineBytes,
    int maxTopicBytes,
    int maxPendingBytes,
    int maxConnections,
    SecurityConfig security,
    InetSocketAddress respBind)
{
    /** Without a RESP listener. */
    public TransportConfig(
        final InetSocketAddress bind,
        final int maxLineBytes,
        final int maxTopicBytes,
        final int maxPendingBytes,
        final int maxConnections,
        final SecurityConfig security)
    {
        this(bind, maxLineBytes, maxTopicBytes, maxPendingBytes, maxConnections, security, null);
    }
}
