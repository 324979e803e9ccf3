package dev.topics.broker;

import dev.topics.transport.SecurityConfig;
import dev.topics.transport.TransportConfig;

import java.net.InetSocketAddress;

/**
 * Everything the broker can be told at start-up. Defaults suit a 2-core machine; see
 * docs/operations.md for why.
 *
 * <p>Immutable; safe on any thread.
 *
 * @param bind              address to listen on; port 0 picks a free port.
 * @param ioThreads         Netty event-loop threads.
 * @param inboundRingSize   slots in the inbound ring (a power of two).
 * @param outboundRingSize  slots in the outbound ring (a power of two).
 * @param waitStrategy      how the engine waits for commands.
 * @param maxLineBytes      longest accepted line.
 * @param maxTopicBytes     longest accepted topic.
 * @param transport         auto, epoll or nio.
 * @param shutdownTimeoutMs how long a graceful shutdown may take.
 * @param limits            pending bytes, connections, subscriptions and topics.
 * @param security          auth token, TLS and idle timeout, all off by default.
 */
public record BrokerConfig(
    InetSocketAddress bind,
    int ioThreads,
    int inboundRingSize,
    int outboundRingSize,
    WaitStrategies waitStrategy,
    int maxLineBytes,
    int maxTopicBytes,
    String transport,
    long shutdownTimeoutMs,
    ResourceLimits limits,
    SecurityConfig security)
{
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8889;
    public static final int IO_THREADS_DEFAULT = 1;
    public static final int INBOUND_RING_SIZE_DEFAULT = 16 * 1024;
    public static final int OUTBOUND_RING_SIZE_DEFAULT = 64 * 1024;
    public static final int MAX_LINE_BYTES_DEFAULT = 1024 * 1024;
    public static final int MAX_TOPIC_BYTES_DEFAULT = 256;
    public static final long SHUTDOWN_TIMEOUT_MS_DEFAULT = 5_000;

    public BrokerConfig
    {
        requirePowerOfTwo("inbound ring size", inboundRingSize);
        requirePowerOfTwo("outbound ring size", outboundRingSize);
        requirePositive("io threads", ioThreads);
        requirePositive("max line", maxLineBytes);
        requirePositive("max topic length", maxTopicBytes);
        if (security == null)
        {
            throw new IllegalArgumentException("security must be given; SecurityConfig.NONE turns it all off");
        }
        if (!transport.equals("auto") && !transport.equals("epoll") && !transport.equals("nio"))
        {
            throw new IllegalArgumentException("transport must be auto, epoll or nio, not " + transport);
        }
    }

    public static BrokerConfig defaults()
    {
        return new BrokerConfig(
            new InetSocketAddress(DEFAULT_HOST, DEFAULT_PORT),
            IO_THREADS_DEFAULT,
            INBOUND_RING_SIZE_DEFAULT,
            OUTBOUND_RING_SIZE_DEFAULT,
            WaitStrategies.BLOCKING,
            MAX_LINE_BYTES_DEFAULT,
            MAX_TOPIC_BYTES_DEFAULT,
            "auto",
            SHUTDOWN_TIMEOUT_MS_DEFAULT,
            ResourceLimits.DEFAULTS,
            SecurityConfig.NONE);
    }

    public BrokerConfig withBind(final InetSocketAddress bind)
    {
        return new BrokerConfig(bind, ioThreads, inboundRingSize, outboundRingSize, waitStrategy,
            maxLineBytes, maxTopicBytes, transport, shutdownTimeoutMs, limits, security);
    }

    public BrokerConfig withRings(final int inboundRingSize, final int outboundRingSize)
    {
        return new BrokerConfig(bind, ioThreads, inboundRingSize, outboundRingSize, waitStrategy,
            maxLineBytes, maxTopicBytes, transport, shutdownTimeoutMs, limits, security);
    }

    public BrokerConfig withIoThreads(final int ioThreads)
    {
        return new BrokerConfig(bind, ioThreads, inboundRingSize, outboundRingSize, waitStrategy,
            maxLineBytes, maxTopicBytes, transport, shutdownTimeoutMs, limits, security);
    }

    public BrokerConfig withLimits(final int maxLineBytes, final int maxTopicBytes)
    {
        return new BrokerConfig(bind, ioThreads, inboundRingSize, outboundRingSize, waitStrategy,
            maxLineBytes, maxTopicBytes, transport, shutdownTimeoutMs, limits, security);
    }

    public BrokerConfig withTransport(final String transport, final WaitStrategies waitStrategy)
    {
        return new BrokerConfig(bind, ioThreads, inboundRingSize, outboundRingSize, waitStrategy,
            maxLineBytes, maxTopicBytes, transport, shutdownTimeoutMs, limits, security);
    }

    public BrokerConfig withResourceLimits(final ResourceLimits limits)
    {
        return new BrokerConfig(bind, ioThreads, inboundRingSize, outboundRingSize, waitStrategy,
            maxLineBytes, maxTopicBytes, transport, shutdownTimeoutMs, limits, security);
    }

    public BrokerConfig withShutdownTimeout(final long shutdownTimeoutMs)
    {
        return new BrokerConfig(bind, ioThreads, inboundRingSize, outboundRingSize, waitStrategy,
            maxLineBytes, maxTopicBytes, transport, shutdownTimeoutMs, limits, security);
    }

    public BrokerConfig withSecurity(final SecurityConfig security)
    {
        return new BrokerConfig(bind, ioThreads, inboundRingSize, outboundRingSize, waitStrategy,
            maxLineBytes, maxTopicBytes, transport, shutdownTimeoutMs, limits, security);
    }

    TransportConfig transportConfig()
    {
        return new TransportConfig(bind, ioThreads, maxLineBytes, maxTopicBytes, transport,
            (int)limits.maxPendingBytes(), limits.maxConnections(), security);
    }

    private static void requirePowerOfTwo(final String what, final int value)
    {
        if (value < 2 || Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException(what + " must be a power of two, not " + value);
        }
    }

    private static void requirePositive(final String what, final int value)
    {
        if (value < 1)
        {
            throw new IllegalArgumentException(what + " must be at least 1, not " + value);
        }
    }
}
