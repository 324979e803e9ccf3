package dev.topics.transport;

import java.net.InetSocketAddress;

/**
 * What the transport needs to know to listen.
 *
 * <p>Immutable; safe on any thread.
 *
 * @param bind          address and port to listen on; port 0 picks a free one.
 * @param ioThreads     event-loop threads serving the sockets.
 * @param maxLineBytes  longest accepted line, without its line ending.
 * @param maxTopicBytes longest accepted topic.
 * @param transport     {@code auto} (epoll where available, else NIO), {@code epoll} or {@code nio}.
 * @param maxPendingBytes unsent bytes per connection at which it stops being writable.
 * @param maxConnections  open connections; more are refused with {@code ERR server-busy}.
 * @param security      auth token, TLS and idle timeout; {@link SecurityConfig#NONE} for none.
 */
public record TransportConfig(
    InetSocketAddress bind,
    int ioThreads,
    int maxLineBytes,
    int maxTopicBytes,
    String transport,
    int maxPendingBytes,
    int maxConnections,
    SecurityConfig security)
{
}
