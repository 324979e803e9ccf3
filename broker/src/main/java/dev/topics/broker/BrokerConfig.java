package dev.topics.broker;

import dev.topics.broker.engine.Retention;
import dev.topics.broker.engine.WhenFull;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.SecurityConfig;
import dev.topics.transport.Transport;
import dev.topics.transport.TransportConfig;

import java.net.InetSocketAddress;

/**
 * Everything the broker can be told at start-up, validated. Immutable; safe on any thread.
 *
 * <p>Built by a {@link Builder}, which starts from the defaults and checks every setting, and the
 * settings against each other, once, in {@link Builder#build()}: the same path for {@link Main}
 * (which copies its options into a builder) and for tests ({@code BrokerConfig.builder()
 * .bind(address).ioThreads(2).build()}). Each default is written once, as an {@code X_DEFAULT}
 * constant below, which {@link Main}'s {@code --help} shows too. Defaults suit a 2-core machine;
 * see docs/operations.md for why.
 *
 * <p>A mutable builder and an immutable result, rather than one record with a copying
 * {@code with...} method per setting: a setting is added in one field of each, and settings that
 * depend on each other (the engine placement on the I/O threads) are checked when all are known.
 */
public final class BrokerConfig
{
    public static final String BIND_HOST_DEFAULT = "0.0.0.0";
    public static final int BIND_PORT_DEFAULT = 8889;
    /** {@link #BIND_HOST_DEFAULT} and {@link #BIND_PORT_DEFAULT} as typed on the command line. */
    public static final String BIND_DEFAULT = BIND_HOST_DEFAULT + ":" + BIND_PORT_DEFAULT;
    public static final int IO_THREADS_DEFAULT = 1;
    public static final int INBOUND_RING_SIZE_DEFAULT = 16 * 1024;
    public static final int OUTBOUND_RING_SIZE_DEFAULT = 64 * 1024;
    public static final WaitStrategies WAIT_STRATEGY_DEFAULT = WaitStrategies.BLOCKING;
    public static final EnginePlacement ENGINE_PLACEMENT_DEFAULT = EnginePlacement.AUTO;
    public static final int MAX_LINE_BYTES_DEFAULT = 1024 * 1024;
    public static final int MAX_TOPIC_BYTES_DEFAULT = 256;
    public static final Transport TRANSPORT_DEFAULT = Transport.AUTO;
    public static final long SHUTDOWN_TIMEOUT_MS_DEFAULT = 5_000;
    public static final int MAX_PENDING_BYTES_DEFAULT = 8 * 1024 * 1024;
    public static final int MAX_CONNECTIONS_DEFAULT = 10_000;
    public static final int MAX_SUBSCRIPTIONS_DEFAULT = 10_000;
    public static final int MAX_TOPICS_DEFAULT = 1_000_000;
    /** Topics whose receivers over patterns stay resolved at once; about 250 bytes each when full. */
    public static final int ROUTE_CACHE_TOPICS_DEFAULT = 65_536;
    /** No token, no TLS, no idle timeout. */
    public static final SecurityConfig SECURITY_DEFAULT = SecurityConfig.NONE;
    /** Seconds {@link Main} spends warming the JIT up before it listens ({@link Warmup}); 0 = off. */
    public static final int WARMUP_SECONDS_DEFAULT = 2;
    /** {@link #metricsPort()} when there is no metrics endpoint: the default. */
    public static final int METRICS_PORT_OFF = -1;
    /** The memory budget when none is given, lowered to what the JVM can hold (docs/operations.md). */
    public static final long MAX_MEMORY_BYTES_DEFAULT = MemoryBudget.MAX_BYTES_DEFAULT;
    /**
     * The smallest budget: its reserve (1/16) is then one 2 MiB chunk of the allocator, which
     * takes memory a chunk at a time; below it the thresholds would be finer than what is measured.
     */
    public static final long MAX_MEMORY_BYTES_MIN = 32L * 1024 * 1024;
    public static final Retention RETENTION_DEFAULT = Retention.LATEST;
    public static final WhenFull WHEN_FULL_DEFAULT = WhenFull.REFUSE;

    private final InetSocketAddress bind;
    private final int ioThreads;
    private final int inboundRingSize;
    private final int outboundRingSize;
    private final WaitStrategies waitStrategy;
    private final EnginePlacement enginePlacement;
    private final int maxLineBytes;
    private final int maxTopicBytes;
    private final Transport transport;
    private final long shutdownTimeoutMs;
    private final int maxPendingBytes;
    private final int maxConnections;
    private final int maxSubscriptions;
    private final int maxTopics;
    private final int routeCacheTopics;
    private final SecurityConfig security;
    private final int warmupSeconds;
    private final int metricsPort;
    private final InetSocketAddress respBind;
    private final dev.topics.broker.cluster.ClusterConfig cluster;
    private final long maxMemoryBytes;
    private final Retention retention;
    private final WhenFull whenFull;

    private BrokerConfig(final Builder builder, final long maxMemoryBytes)
    {
        bind = builder.bind;
        ioThreads = builder.ioThreads;
        inboundRingSize = builder.inboundRingSize;
        outboundRingSize = builder.outboundRingSize;
        waitStrategy = builder.waitStrategy;
        enginePlacement = builder.enginePlacement;
        maxLineBytes = builder.maxLineBytes;
        maxTopicBytes = builder.maxTopicBytes;
        transport = builder.transport;
        shutdownTimeoutMs = builder.shutdownTimeoutMs;
        maxPendingBytes = builder.maxPendingBytes;
        maxConnections = builder.maxConnections;
        maxSubscriptions = builder.maxSubscriptions;
        maxTopics = builder.maxTopics;
        routeCacheTopics = builder.routeCacheTopics;
        security = builder.security;
        warmupSeconds = builder.warmupSeconds;
        metricsPort = builder.metricsPort;
        respBind = builder.respBind;
        cluster = builder.cluster;
        this.maxMemoryBytes = maxMemoryBytes;
        retention = builder.retention;
        whenFull = builder.whenFull;
    }

    /** A builder holding every default; change what differs, then {@link Builder#build()}. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** Address to listen on; port 0 picks a free port. */
    public InetSocketAddress bind()
    {
        return bind;
    }

    /** Netty event-loop threads; each also runs the writer for its own connections. */
    public int ioThreads()
    {
        return ioThreads;
    }

    /** Slots in the inbound ring, a power of two. */
    public int inboundRingSize()
    {
        return inboundRingSize;
    }

    /** Slots in the outbound ring, a power of two. */
    public int outboundRingSize()
    {
        return outboundRingSize;
    }

    /** How the engine waits for commands on the inbound ring. */
    public WaitStrategies waitStrategy()
    {
        return waitStrategy;
    }

    /** Where the engine runs, as configured; see {@link #resolvedEnginePlacement()}. */
    public EnginePlacement enginePlacement()
    {
        return enginePlacement;
    }

    /**
     * Where the engine runs on this machine: {@link EnginePlacement#AUTO} becomes
     * {@link EnginePlacement#IO} with one I/O thread on at most 2 cores (where every thread
     * crossing is a wake-up), else {@link EnginePlacement#DEDICATED}.
     */
    public EnginePlacement resolvedEnginePlacement()
    {
        return enginePlacement.resolve(ioThreads, Runtime.getRuntime().availableProcessors());
    }

    /** Longest accepted line, without its line ending. */
    public int maxLineBytes()
    {
        return maxLineBytes;
    }

    /** Longest accepted topic. */
    public int maxTopicBytes()
    {
        return maxTopicBytes;
    }

    /** Which Netty transport serves the sockets. */
    public Transport transport()
    {
        return transport;
    }

    /** How long a graceful shutdown may take. */
    public long shutdownTimeoutMs()
    {
        return shutdownTimeoutMs;
    }

    /** Unsent bytes one connection may queue before it is cut off as a slow consumer. */
    public int maxPendingBytes()
    {
        return maxPendingBytes;
    }

    /** Open connections; more are answered {@code ERR server-busy} and closed. */
    public int maxConnections()
    {
        return maxConnections;
    }

    /** Subscriptions per connection. */
    public int maxSubscriptions()
    {
        return maxSubscriptions;
    }

    /** Topics in the store, each keeping its latest value. */
    public int maxTopics()
    {
        return maxTopics;
    }

    public int routeCacheTopics()
    {
        return routeCacheTopics;
    }

    /** Auth token, TLS and idle timeout. */
    public SecurityConfig security()
    {
        return security;
    }

    /** Seconds {@link Main} warms the JIT up on a throwaway broker before listening; 0 = off. */
    public int warmupSeconds()
    {
        return warmupSeconds;
    }

    /**
     * The port of the HTTP metrics endpoint on the host of {@link #bind()} (0 picks a free one), or
     * {@link #METRICS_PORT_OFF}.
     */
    public int metricsPort()
    {
        return metricsPort;
    }

    /** Where the RESP listener (Redis clients) listens, or null when there is none. */
    public InetSocketAddress respBind()
    {
        return respBind;
    }

    /** This node's place in a cluster, or null for a broker on its own (the default). */
    public dev.topics.broker.cluster.ClusterConfig cluster()
    {
        return cluster;
    }

    /**
     * The memory budget for everything clients make the broker hold: stored latest values, input
     * of incomplete lines, frames in the rings, output pending for slow readers.
     */
    public long maxMemoryBytes()
    {
        return maxMemoryBytes;
    }

    /** What a topic keeps of what was published to it. */
    public Retention retention()
    {
        return retention;
    }

    /** What storing a latest value does when the budget is full. */
    public WhenFull whenFull()
    {
        return whenFull;
    }

    /** The part of this configuration the transport reads. */
    TransportConfig transportConfig()
    {
        return new TransportConfig(bind, maxLineBytes, maxTopicBytes, maxPendingBytes, maxConnections, security, respBind);
    }

    @Override
    public String toString()
    {
        return "BrokerConfig[bind=" + bind + ", ioThreads=" + ioThreads
            + ", inboundRingSize=" + inboundRingSize + ", outboundRingSize=" + outboundRingSize
            + ", waitStrategy=" + waitStrategy + ", enginePlacement=" + enginePlacement
            + ", maxLineBytes=" + maxLineBytes + ", maxTopicBytes=" + maxTopicBytes
            + ", transport=" + transport + ", shutdownTimeoutMs=" + shutdownTimeoutMs
            + ", maxPendingBytes=" + maxPendingBytes + ", maxConnections=" + maxConnections
            + ", maxSubscriptions=" + maxSubscriptions + ", maxTopics=" + maxTopics + ", routeCacheTopics=" + routeCacheTopics
            + ", security=" + security + ", warmupSeconds=" + warmupSeconds + ", metricsPort=" + metricsPort + ", respBind=" + respBind + ", cluster=" + cluster
            + ", maxMemoryBytes=" + maxMemoryBytes + ", retention=" + retention + ", whenFull=" + whenFull + "]";
    }

    /**
     * A {@link BrokerConfig} being put together, starting from the defaults; each setter returns
     * this builder. Nothing is checked until {@link #build()}.
     *
     * <p>Not thread-safe: used by the one thread that builds the configuration.
     */
    public static final class Builder
    {
        private InetSocketAddress bind = new InetSocketAddress(BIND_HOST_DEFAULT, BIND_PORT_DEFAULT);
        private int ioThreads = IO_THREADS_DEFAULT;
        private int inboundRingSize = INBOUND_RING_SIZE_DEFAULT;
        private int outboundRingSize = OUTBOUND_RING_SIZE_DEFAULT;
        private WaitStrategies waitStrategy = WAIT_STRATEGY_DEFAULT;
        private EnginePlacement enginePlacement = ENGINE_PLACEMENT_DEFAULT;
        private int maxLineBytes = MAX_LINE_BYTES_DEFAULT;
        private int maxTopicBytes = MAX_TOPIC_BYTES_DEFAULT;
        private Transport transport = TRANSPORT_DEFAULT;
        private long shutdownTimeoutMs = SHUTDOWN_TIMEOUT_MS_DEFAULT;
        private int maxPendingBytes = MAX_PENDING_BYTES_DEFAULT;
        private int maxConnections = MAX_CONNECTIONS_DEFAULT;
        private int maxSubscriptions = MAX_SUBSCRIPTIONS_DEFAULT;
        private int maxTopics = MAX_TOPICS_DEFAULT;
        private int routeCacheTopics = ROUTE_CACHE_TOPICS_DEFAULT;
        private SecurityConfig security = SECURITY_DEFAULT;
        private int warmupSeconds = WARMUP_SECONDS_DEFAULT;
        private int metricsPort = METRICS_PORT_OFF;
        private InetSocketAddress respBind;
        private dev.topics.broker.cluster.ClusterConfig cluster;
        /** Null: {@link #MAX_MEMORY_BYTES_DEFAULT}, lowered to fit the JVM. */
        private Long maxMemoryBytes;
        private Retention retention = RETENTION_DEFAULT;
        private WhenFull whenFull = WHEN_FULL_DEFAULT;
        private JvmMemory jvm;

        private Builder()
        {
        }

        public Builder bind(final InetSocketAddress bind)
        {
            this.bind = bind;
            return this;
        }

        public Builder ioThreads(final int ioThreads)
        {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder inboundRingSize(final int inboundRingSize)
        {
            this.inboundRingSize = inboundRingSize;
            return this;
        }

        public Builder outboundRingSize(final int outboundRingSize)
        {
            this.outboundRingSize = outboundRingSize;
            return this;
        }

        public Builder waitStrategy(final WaitStrategies waitStrategy)
        {
            this.waitStrategy = waitStrategy;
            return this;
        }

        public Builder enginePlacement(final EnginePlacement enginePlacement)
        {
            this.enginePlacement = enginePlacement;
            return this;
        }

        public Builder maxLineBytes(final int maxLineBytes)
        {
            this.maxLineBytes = maxLineBytes;
            return this;
        }

        public Builder maxTopicBytes(final int maxTopicBytes)
        {
            this.maxTopicBytes = maxTopicBytes;
            return this;
        }

        public Builder transport(final Transport transport)
        {
            this.transport = transport;
            return this;
        }

        public Builder shutdownTimeoutMs(final long shutdownTimeoutMs)
        {
            this.shutdownTimeoutMs = shutdownTimeoutMs;
            return this;
        }

        public Builder maxPendingBytes(final int maxPendingBytes)
        {
            this.maxPendingBytes = maxPendingBytes;
            return this;
        }

        public Builder maxConnections(final int maxConnections)
        {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder maxSubscriptions(final int maxSubscriptions)
        {
            this.maxSubscriptions = maxSubscriptions;
            return this;
        }

        public Builder maxTopics(final int maxTopics)
        {
            this.maxTopics = maxTopics;
            return this;
        }

        public Builder routeCacheTopics(final int routeCacheTopics)
        {
            this.routeCacheTopics = routeCacheTopics;
            return this;
        }

        public Builder security(final SecurityConfig security)
        {
            this.security = security;
            return this;
        }

        public Builder warmupSeconds(final int warmupSeconds)
        {
            this.warmupSeconds = warmupSeconds;
            return this;
        }

        public Builder metricsPort(final int metricsPort)
        {
            this.metricsPort = metricsPort;
            return this;
        }

        /** This node's place in a cluster; null (the default) for a broker on its own. */
        public Builder cluster(final dev.topics.broker.cluster.ClusterConfig cluster)
        {
            this.cluster = cluster;
            return this;
        }

        /** Where the RESP listener listens; null (the default) for none. */
        public Builder respBind(final InetSocketAddress respBind)
        {
            this.respBind = respBind;
            return this;
        }

        /** The memory budget; must fit the JVM ({@link JvmMemory#check}). Unset: the default, made to fit. */
        public Builder maxMemoryBytes(final long maxMemoryBytes)
        {
            this.maxMemoryBytes = maxMemoryBytes;
            return this;
        }

        public Builder retention(final Retention retention)
        {
            this.retention = retention;
            return this;
        }

        public Builder whenFull(final WhenFull whenFull)
        {
            this.whenFull = whenFull;
            return this;
        }

        /** The JVM limits to check the budget against, for tests; this JVM's by default. */
        Builder jvm(final JvmMemory jvm)
        {
            this.jvm = jvm;
            return this;
        }

        /**
         * The configuration, once every setting is checked.
         *
         * @throws IllegalArgumentException naming the first setting that is wrong, in words fit
         *                                  to show a user.
         */
        public BrokerConfig build()
        {
            requireGiven("bind address", bind);
            requireGiven("wait strategy", waitStrategy);
            requireGiven("engine placement", enginePlacement);
            requireGiven("transport", transport);
            if (security == null)
            {
                throw new IllegalArgumentException("security must be given; SecurityConfig.NONE turns it all off");
            }
            requirePositive("io threads", ioThreads);
            requirePowerOfTwo("inbound ring size", inboundRingSize);
            requirePowerOfTwo("outbound ring size", outboundRingSize);
            requirePositive("max line", maxLineBytes);
            requirePositive("max topic length", maxTopicBytes);
            requirePositive("route cache topics", routeCacheTopics);
            if (shutdownTimeoutMs < 0)
            {
                throw new IllegalArgumentException("shutdown timeout must not be negative, not " + shutdownTimeoutMs);
            }
            // An int: Netty's write-buffer water marks are ints, so 2 GiB is the most it can be.
            if (maxPendingBytes < 2)
            {
                throw new IllegalArgumentException("max pending must be 2 bytes to 2 GiB, not " + maxPendingBytes);
            }
            if (warmupSeconds < 0)
            {
                throw new IllegalArgumentException("warm-up must be 0 (off) or more seconds, not " + warmupSeconds);
            }
            if (metricsPort < METRICS_PORT_OFF || metricsPort > 65_535)
            {
                throw new IllegalArgumentException("metrics port must be 0 to 65535, not " + metricsPort);
            }
            if (maxConnections < 1 || maxSubscriptions < 1 || maxTopics < 1)
            {
                throw new IllegalArgumentException("connection, subscription and topic limits must be at least 1");
            }
            if (enginePlacement == EnginePlacement.IO && ioThreads != 1)
            {
                throw new IllegalArgumentException(
                    "engine thread io needs exactly 1 io thread, not " + ioThreads);
            }
            requireGiven("retention", retention);
            requireGiven("when-full policy", whenFull);
            final JvmMemory limits = jvm == null ? JvmMemory.current() : jvm;
            final long budget = maxMemoryBytes == null ? limits.fit(MAX_MEMORY_BYTES_DEFAULT) : maxMemoryBytes;
            if (budget < MAX_MEMORY_BYTES_MIN)
            {
                throw new IllegalArgumentException("max memory must be at least " + ByteSize.format(MAX_MEMORY_BYTES_MIN)
                    + ", not " + ByteSize.format(budget)
                    + (maxMemoryBytes == null ? " (all this JVM can hold: raise -Xmx and -XX:MaxDirectMemorySize)" : ""));
            }
            limits.check(budget);
            return new BrokerConfig(this, budget);
        }

        private static void requireGiven(final String what, final Object value)
        {
            if (value == null)
            {
                throw new IllegalArgumentException(what + " must be given");
            }
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
}
