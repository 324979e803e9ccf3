package dev.topics.broker;

import dev.topics.broker.engine.Retention;
import dev.topics.broker.engine.WhenFull;
import dev.topics.transport.SecurityConfig;
import dev.topics.transport.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The {@code topics} command: parses options, launches the broker, prints where it listens, and
 * stops it cleanly on SIGINT or SIGTERM with exit status 0. Each option's field starts at the
 * default {@link BrokerConfig} defines, so {@code --help} shows those defaults; {@link #config()}
 * copies the fields into a {@link BrokerConfig.Builder}, which checks them.
 *
 * <p>Runs on the main thread, which waits for a signal after launch.
 */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    version = "topics 0.1.0",
    sortOptions = false,
    description = "A low-latency in-memory publish/subscribe broker speaking a telnet-friendly line protocol.",
    showDefaultValues = true)
public final class Main implements Callable<Integer>
{
    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST:PORT", defaultValue = BrokerConfig.BIND_DEFAULT,
        description = "Address to listen on; port 0 picks a free port.")
    String bind;

    @Option(names = "--io-threads", description = "Netty event loops; each also writes to its own connections.")
    int ioThreads = BrokerConfig.IO_THREADS_DEFAULT;

    @Option(names = "--inbound-ring-size", description = "Inbound ring slots (power of two).")
    int inboundRingSize = BrokerConfig.INBOUND_RING_SIZE_DEFAULT;

    @Option(names = "--outbound-ring-size", description = "Outbound ring slots (power of two).")
    int outboundRingSize = BrokerConfig.OUTBOUND_RING_SIZE_DEFAULT;

    @Option(names = "--wait-strategy", description = "How the engine waits for commands: ${COMPLETION-CANDIDATES}.")
    WaitStrategies waitStrategy = BrokerConfig.WAIT_STRATEGY_DEFAULT;

    @Option(names = "--engine-thread", paramLabel = "auto|dedicated|io",
        description = "Where the engine runs: on its own thread (dedicated), polled by the event loop "
            + "(io, only with --io-threads 1), or chosen by core count (auto).")
    EnginePlacement enginePlacement = BrokerConfig.ENGINE_PLACEMENT_DEFAULT;

    @Option(names = "--max-line", paramLabel = "BYTES", description = "Longest accepted line.")
    int maxLineBytes = BrokerConfig.MAX_LINE_BYTES_DEFAULT;

    @Option(names = "--max-topic-length", paramLabel = "BYTES", description = "Longest accepted topic.")
    int maxTopicBytes = BrokerConfig.MAX_TOPIC_BYTES_DEFAULT;

    @Option(names = "--transport", description = "auto (epoll where available, else nio), epoll or nio.")
    Transport transport = BrokerConfig.TRANSPORT_DEFAULT;

    @Option(names = "--shutdown-timeout", paramLabel = "MS", description = "Longest a graceful shutdown may take.")
    long shutdownTimeoutMs = BrokerConfig.SHUTDOWN_TIMEOUT_MS_DEFAULT;

    @Option(names = "--max-pending", paramLabel = "BYTES",
        description = "Unsent bytes one connection may queue before it is cut off as a slow consumer.")
    int maxPendingBytes = BrokerConfig.MAX_PENDING_BYTES_DEFAULT;

    @Option(names = "--max-connections", description = "Open connections; more get ERR server-busy and are closed.")
    int maxConnections = BrokerConfig.MAX_CONNECTIONS_DEFAULT;

    @Option(names = "--max-subscriptions", description = "Subscriptions per connection.")
    int maxSubscriptions = BrokerConfig.MAX_SUBSCRIPTIONS_DEFAULT;

    @Option(names = "--max-topics", description = "Topics in the store, each keeping its latest value.")
    int maxTopics = BrokerConfig.MAX_TOPICS_DEFAULT;

    @Option(names = "--route-cache-topics",
        description = "Topics whose receivers over pattern subscriptions stay resolved at once (the rest are resolved again when published to).")
    int routeCacheTopics = BrokerConfig.ROUTE_CACHE_TOPICS_DEFAULT;

    @Option(names = "--max-memory", paramLabel = "BYTES", converter = ByteSize.class,
        showDefaultValue = CommandLine.Help.Visibility.NEVER,
        description = "Memory budget for what clients make the broker hold (latest values, incomplete lines, "
            + "rings, pending output), e.g. 64m or 1g; over it PUB gets ERR out-of-memory. Must be at most 7/8 of "
            + "-XX:MaxDirectMemorySize and at most -Xmx. Default: 256m, lowered to what this JVM can hold.")
    Long maxMemoryBytes;

    @Option(names = "--retention", paramLabel = "latest|none",
        description = "What a topic keeps: its latest value for GET, or nothing (pure fan-out, GET answers NOVALUE).")
    Retention retention = BrokerConfig.RETENTION_DEFAULT;

    @Option(names = "--when-full", paramLabel = "refuse|evict",
        description = "When latest values fill the budget: refuse the PUB, or evict the least recently published "
            + "values of topics without subscribers.")
    WhenFull whenFull = BrokerConfig.WHEN_FULL_DEFAULT;

    // Never shown as a default: it would print the secret in --help when the variable is set.
    @Option(names = "--auth-token", paramLabel = "TOKEN", defaultValue = "${env:TOPICS_AUTH_TOKEN}",
        showDefaultValue = CommandLine.Help.Visibility.NEVER,
        description = "Clients must send AUTH <token> first. Default: the TOPICS_AUTH_TOKEN environment variable "
            + "(keeps the secret out of ps), else off.")
    String authToken;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain; with --tls-key turns TLS on. Default: off.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (unencrypted PKCS#8) for --tls-cert.")
    Path tlsKey;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
        description = "Close a connection that sent nothing (not even PING) for this long; 0 = never.")
    long idleTimeoutSeconds = BrokerConfig.SECURITY_DEFAULT.idleTimeout().toSeconds();

    @Option(names = "--warmup", paramLabel = "SECONDS",
        description = "Before listening, run up to " + Warmup.MAX_MESSAGES + " messages through a throwaway copy of "
            + "the broker on loopback for at most this long, so the first clients meet compiled code; 0 = off.")
    int warmupSeconds = BrokerConfig.WARMUP_SECONDS_DEFAULT;

    @Option(names = "--metrics-port", paramLabel = "PORT", showDefaultValue = CommandLine.Help.Visibility.NEVER,
        description = "Serve GET /metrics (Prometheus), /stats and /clients (JSON) over HTTP on this port of the "
            + "listening host; 0 picks a free port. Default: off.")
    int metricsPort = BrokerConfig.METRICS_PORT_OFF;

    @Option(names = "--resp-port", paramLabel = "PORT", showDefaultValue = CommandLine.Help.Visibility.NEVER,
        description = "Also listen for Redis clients (RESP2/RESP3 pub/sub) on this port of the listening host; "
            + "0 picks a free port. Default: off.")
    Integer respPort;

    @Option(names = "--resp", paramLabel = "HOST:PORT", showDefaultValue = CommandLine.Help.Visibility.NEVER,
        description = "Also listen for Redis clients on this address (instead of --resp-port). Default: off.")
    String respBind;

    @Option(names = "--cluster-members", paramLabel = "ID@HOST:PORT,...", showDefaultValue = CommandLine.Help.Visibility.NEVER,
        description = "Every member of the cluster (this node too): its id (1-63) and its Aeron UDP endpoint. Default: no cluster.")
    String clusterMembers;

    @Option(names = "--node-id", paramLabel = "ID", showDefaultValue = CommandLine.Help.Visibility.NEVER,
        description = "This node's id in --cluster-members.")
    Integer nodeId;

    @Option(names = "--cluster-timeout", paramLabel = "MS",
        description = "A member not heard from for this long is down and its topics move (heartbeats: ten per timeout).")
    long clusterTimeoutMs = dev.topics.broker.cluster.ClusterConfig.TIMEOUT_MS_DEFAULT;

    @Option(names = "--cluster-term-length", paramLabel = "BYTES", converter = ByteSize.class,
        description = "Aeron term length of each link (power of two, 64k-1g); a message crossing nodes is at most an eighth.")
    long clusterTermLength = dev.topics.broker.cluster.ClusterConfig.TERM_LENGTH_DEFAULT;

    @Option(names = "--cluster-link-buffer", paramLabel = "BYTES", converter = ByteSize.class,
        description = "Each peer link's bound (power of two): bytes queued for a peer that has not read them; more is dropped and counted.")
    long clusterLinkBuffer = dev.topics.broker.cluster.ClusterConfig.LINK_BUFFER_BYTES_DEFAULT;

    @Option(names = "--cluster-max-park", paramLabel = "MICROS",
        description = "Longest the cluster link thread sleeps when idle: latency at an idle node against its idle CPU.")
    long clusterMaxParkMicros = dev.topics.broker.cluster.ClusterConfig.MAX_PARK_MICROS_DEFAULT;

    @Option(names = "--aeron-dir", paramLabel = "DIR", showDefaultValue = CommandLine.Help.Visibility.NEVER,
        description = "Use the Aeron media driver running in DIR instead of an embedded one. Default: embedded.")
    String aeronDir;

    @Option(names = "--log-level", description = "SEVERE, WARNING, INFO, FINE (debug) or ALL.")
    String logLevel = "INFO";

    public static void main(final String[] args)
    {
        System.exit(commandLine(new Main()).execute(args));
    }

    /** The command line that reads options into {@code main}: enum values in any case. */
    static CommandLine commandLine(final Main main)
    {
        return new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public Integer call() throws Exception
    {
        tuneNetty(ioThreads);
        configureLogging(Level.parse(logLevel.toUpperCase(Locale.ROOT)));
        final BrokerConfig config;
        try
        {
            config = config();
        }
        catch (final IllegalArgumentException ex)
        {
            // A bad option value is the user's mistake: say which, without a stack trace.
            System.err.println("topics: " + ex.getMessage());
            return 2;
        }
        final CountDownLatch stop = new CountDownLatch(1);
        // Handling the signals ourselves (instead of a shutdown hook) lets the process exit 0.
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        // Before binding, so that no client reaches the real broker while the JIT is still cold.
        Warmup.run(settings(), TimeUnit.SECONDS.toMillis(config.warmupSeconds()));
        final TopicsBroker launched;
        try
        {
            launched = TopicsBroker.launch(config);
        }
        catch (final Exception ex)
        {
            System.err.println("topics: cannot listen on " + bind + ": " + ex.getMessage());
            return 1;
        }
        try (TopicsBroker broker = launched)
        {
            // The host as configured (a wildcard bind would print as "::" on a dual-stack
            // socket), the port as bound (port 0 picks one).
            final InetSocketAddress address = broker.address();
            System.out.println("topics listening on " + config.bind().getHostString() + ":" + address.getPort()
                + " (" + broker.transportName() + (broker.tlsEnabled() ? ", TLS" : "")
                + (broker.authEnabled() ? ", auth required" : "") + ")"
                + (broker.respAddress() == null ? "" : ", redis clients on " + config.respBind().getHostString() + ":"
                    + broker.respAddress().getPort())
                + (broker.metricsAddress() == null ? "" : ", metrics on " + config.bind().getHostString() + ":"
                    + broker.metricsAddress().getPort())
                + (config.cluster() == null ? "" : ", cluster node " + config.cluster().nodeId() + " of "
                    + config.cluster().members().size() + " on " + config.cluster().self().endpointText()));
            System.out.flush();
            stop.await();
            System.out.println("topics stopping");
        }
        return 0;
    }

    /** The cluster options as one config, or null without --cluster-members. */
    private dev.topics.broker.cluster.ClusterConfig clusterConfig()
    {
        if (clusterMembers == null)
        {
            if (nodeId != null)
            {
                throw new IllegalArgumentException("--node-id needs --cluster-members");
            }
            return null;
        }
        if (nodeId == null)
        {
            throw new IllegalArgumentException("--cluster-members needs --node-id");
        }
        if (clusterTermLength > Integer.MAX_VALUE || clusterLinkBuffer > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("--cluster-term-length and --cluster-link-buffer must be powers of two from 64k to 1g");
        }
        return new dev.topics.broker.cluster.ClusterConfig(dev.topics.broker.cluster.ClusterConfig.parseMembers(clusterMembers),
            nodeId, clusterTimeoutMs, (int)clusterTermLength, clusterMaxParkMicros, aeronDir, (int)clusterLinkBuffer);
    }

    /** The RESP listener's address from --resp or --resp-port (on the listening host), or null. */
    private InetSocketAddress respAddress()
    {
        if (respBind != null && respPort != null)
        {
            throw new IllegalArgumentException("give --resp HOST:PORT or --resp-port PORT, not both");
        }
        if (respBind != null)
        {
            return HostPort.parse(respBind);
        }
        if (respPort == null)
        {
            return null;
        }
        if (respPort < 0 || respPort > 65_535)
        {
            throw new IllegalArgumentException("RESP port must be 0 to 65535, not " + respPort);
        }
        final InetSocketAddress main = HostPort.parse(bind);
        return new InetSocketAddress(main.getHostString(), respPort);
    }

    /**
     * The options as a checked configuration.
     *
     * @throws IllegalArgumentException naming the first wrong value, in words fit to show a user.
     */
    BrokerConfig config()
    {
        return settings().build();
    }

    /** The options in a new builder, unchecked: {@link Warmup} changes the address of its own copy. */
    private BrokerConfig.Builder settings()
    {
        final BrokerConfig.Builder builder = BrokerConfig.builder();
        builder.bind(HostPort.parse(bind))
            .ioThreads(ioThreads)
            .inboundRingSize(inboundRingSize)
            .outboundRingSize(outboundRingSize)
            .waitStrategy(waitStrategy)
            .enginePlacement(enginePlacement)
            .maxLineBytes(maxLineBytes)
            .maxTopicBytes(maxTopicBytes)
            .transport(transport)
            .shutdownTimeoutMs(shutdownTimeoutMs)
            .maxPendingBytes(maxPendingBytes)
            .maxConnections(maxConnections)
            .maxSubscriptions(maxSubscriptions)
            .maxTopics(maxTopics)
            .routeCacheTopics(routeCacheTopics)
            .security(new SecurityConfig(authToken, tlsCert, tlsKey, Duration.ofSeconds(idleTimeoutSeconds)))
            .warmupSeconds(warmupSeconds)
            .metricsPort(metricsPort)
            .retention(retention)
            .whenFull(whenFull);
        if (maxMemoryBytes != null)
        {
            builder.maxMemoryBytes(maxMemoryBytes);
        }
        builder.respBind(respAddress());
        builder.cluster(clusterConfig());
        return builder;
    }

    /**
     * Sizes Netty's pooled allocator for this broker rather than for a web server on a big machine,
     * and turns off its per-access checks and leak sampling on the hot path;
     * a {@code -D} given on the command line wins. Netty reads these once, when its allocator class
     * loads, so this runs before any Netty class is touched (picocli's parsing touches none).
     * Figures: docs/operations.md, "JVM flags and memory".
     */
    private static void tuneNetty(final int ioThreads)
    {
        // Every buffer is allocated and released on an event loop (TransportServer), and each
        // event loop sticks to one arena: Netty's default of 2 x cores arenas leaves the rest
        // empty at best, and at worst lets other threads spread chunks over more arenas.
        setIfAbsent("io.netty.allocator.numDirectArenas", Integer.toString(ioThreads));
        // The broker uses direct buffers only; one heap arena for whatever library asks for heap.
        setIfAbsent("io.netty.allocator.numHeapArenas", "1");
        // 2 MiB chunks instead of 4 MiB (8 KiB pages, maxOrder 8): memory is taken from and given
        // back to the OS a chunk at a time, so a smaller chunk keeps less idle memory resident
        // after a burst. Lines up to 2 MiB are still pooled (the default --max-line is 1 MiB).
        setIfAbsent("io.netty.allocator.maxOrder", "8");
        // Every buffer access re-checks the reference count and the bounds: in a profile of `max`
        // the reference-count read alone was a third of the event loop's samples. The code that
        // touches buffers is tested with both checks on and the leak detector at paranoid.
        setIfAbsent("io.netty.buffer.checkAccessible", "false");
        setIfAbsent("io.netty.buffer.checkBounds", "false");
        // Netty's default leak detector samples one buffer in 128; once it samples a read buffer,
        // every line sliced from it records a stack trace: in a profile of max that was half of
        // all allocation and a steady GC load. The tests run it at paranoid; -D turns it back on.
        setIfAbsent("io.netty.leakDetection.level", "disabled");
    }

    private static void setIfAbsent(final String key, final String value)
    {
        if (System.getProperty(key) == null)
        {
            System.setProperty(key, value);
        }
    }

    private static void configureLogging(final Level level)
    {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        final ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(level);
        final Logger root = Logger.getLogger("");
        root.setLevel(level);
        root.addHandler(handler);
    }
}
