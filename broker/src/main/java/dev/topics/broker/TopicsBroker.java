package dev.topics.broker;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import dev.topics.broker.cluster.ClusterLink;
import dev.topics.broker.egress.DeliveryLatencies;
import dev.topics.broker.egress.DeliveryLatency;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.egress.Writer;
import dev.topics.broker.egress.WriterProxy;
import dev.topics.broker.engine.Engine;
import dev.topics.broker.engine.EngineCounters;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.broker.ingress.InboundProxy;
import dev.topics.broker.metrics.MetricsServer;
import dev.topics.broker.report.EngineSnapshot;
import dev.topics.transport.IoThreads;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.TransportCounters;
import dev.topics.transport.TransportServer;
import dev.topics.transport.codec.ErrorCode;

import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running broker: the whole pipeline wired in one place, started by {@link #launch} and stopped
 * by {@link #close}. Used alike by {@link Main} and by the end-to-end tests.
 *
 * <pre>
 *  event loops --(1) inbound ring--> engine --(2) outbound ring, SINGLE--> writers --> sockets
 *                                    (own thread,                  (one writer per event loop,
 *                                     or polled on the event loop)   run on it)
 * </pre>
 *
 * <p>Launched and closed by one controlling thread; the threads it starts are named
 * {@code topics-io-*} (which also run the writers, and the engine when it is placed there) and
 * {@code topics-engine-0} (the engine on its own thread), and in a cluster {@code topics-cluster-0}
 * (the Aeron links to the other nodes, {@link ClusterLink}).
 */
public final class TopicsBroker implements AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(TopicsBroker.class.getName());

    private final BrokerConfig config;
    private final RingBuffer<InboundEvent> inbound;
    private final EngineRunner engineRunner;
    private final RingBuffer<OutboundEvent> outbound;
    private final Writer[] writers;
    private final Engine engine;
    private final InboundProxy inboundProxy;
    private final TransportServer server;
    private final IoThreads io;
    private final EnginePlacement placement;
    private final DeliveryLatencies latencies;
    private final MetricsServer metrics;
    private final ClusterLink cluster;
    private boolean closed;

    private TopicsBroker(final Builder parts)
    {
        this.config = parts.config;
        this.inbound = parts.inbound;
        this.engineRunner = parts.engineRunner;
        this.outbound = parts.outbound;
        this.writers = parts.writers;
        this.engine = parts.engine;
        this.inboundProxy = parts.inboundProxy;
        this.server = parts.server;
        this.io = parts.io;
        this.placement = parts.placement;
        this.latencies = parts.latencies;
        this.metrics = parts.metrics;
        this.cluster = parts.cluster;
    }

    /** Starts the rings, the engine, the writers and the server; returns once it listens. */
    public static TopicsBroker launch(final BrokerConfig config) throws InterruptedException
    {
        final Builder parts = new Builder();
        parts.config = config;
        parts.placement = config.resolvedEnginePlacement();
        final boolean engineOnEventLoop = parts.placement == EnginePlacement.IO;
        final LongAdder internalErrors = new LongAdder();
        final LongAdder slowConsumers = new LongAdder();
        // The one memory budget: the event loops refuse PUBs and cut connections by it, the engine
        // counts latest values into it, the writers count what they could not allocate.
        final MemoryBudget memory = new MemoryBudget(config.maxMemoryBytes());

        // 0. The event loops, started first: they are also the writers of the outbound ring, and
        //    with --engine-thread io the one loop also runs the engine.
        final IoThreads io = IoThreads.start(config.ioThreads(), config.transport());
        parts.io = io;

        // 1. Inbound ring. One event handler, the engine, owns all topic state.
        //    Engine on its own thread: ProducerType.MULTI, every event-loop thread publishes, and
        //    the engine waits with the configured strategy. Engine on the event loop: single
        //    producer (the one loop) and nobody waits, so a publish signals nobody.
        //    In a cluster the link's thread publishes too: several producers wherever the engine runs.
        final int maxTopicBytes = config.maxTopicBytes();
        final boolean clustered = config.cluster() != null;
        parts.inbound = engineOnEventLoop && !clustered
            ? RingBuffer.createSingleProducer(
                () -> new InboundEvent(maxTopicBytes), config.inboundRingSize(), new BusySpinWaitStrategy())
            : RingBuffer.createMultiProducer(() -> new InboundEvent(maxTopicBytes), config.inboundRingSize(),
                engineOnEventLoop ? new BusySpinWaitStrategy() : config.waitStrategy().create());

        // 2. Outbound ring. Single producer: only the engine publishes. Drained by one Writer per
        //    event loop through an EventPoller: each sees every event and writes those of the
        //    sessions living on its loop, in-loop, woken by the engine once per batch. Nobody
        //    blocks on this ring's wait strategy, so a spinning one costs nothing and its publish
        //    never locks. When it is full and the engine shares the writer's loop, the engine runs
        //    the writer itself instead of waiting for it.
        parts.outbound = RingBuffer.createSingleProducer(
            OutboundEvent::new, config.outboundRingSize(), new BusySpinWaitStrategy());
        //    Each writer times its deliveries from the PUB's read to their flush; read together.
        final Writer[] writers = new Writer[io.count()];
        final DeliveryLatency[] writerLatencies = new DeliveryLatency[writers.length];
        for (int shard = 0; shard < writers.length; shard++)
        {
            writers[shard] = new Writer(shard, parts.outbound, io.executor(shard), internalErrors, slowConsumers, memory);
            writerLatencies[shard] = writers[shard].latency();
        }
        parts.writers = writers;
        parts.latencies = new DeliveryLatencies(writerLatencies);
        final WriterProxy writerProxy = new WriterProxy(parts.outbound, writers.length,
            shard -> writers[shard].wakeUp(), engineOnEventLoop ? writers[0]::drain : () -> { });

        // 3. The engine, and where it runs. Transport counters are created here, not by the
        //    server, so that STATS is wired before the server starts.
        final TransportCounters transportCounters = new TransportCounters();
        final BrokerStats stats = new BrokerStats(
            parts.inbound, parts.outbound, transportCounters, internalErrors, slowConsumers, parts.latencies, memory);
        parts.engine = new Engine(writerProxy, stats, config.maxSubscriptions(), config.maxTopics(), config.routeCacheTopics(),
            memory, config.retention(), config.whenFull());
        final LoggingExceptionHandler<InboundEvent> onEngineFailure = new LoggingExceptionHandler<>(
            "engine", internalErrors, event -> answerFailedCommand(event, writerProxy));
        parts.engineRunner = engineOnEventLoop
            ? new EventLoopEngine(parts.inbound, io.executor(0), parts.engine, writerProxy, onEngineFailure)
            : new DedicatedEngine(parts.inbound, threads("topics-engine-"), parts.engine, onEngineFailure);
        final EngineRunner runner = parts.engineRunner;
        parts.inboundProxy = new InboundProxy(parts.inbound, runner::wakeUp, io.count(), engineOnEventLoop, memory);

        // 3b. In a cluster, the links to the other nodes: joined before the engine runs, started after.
        if (clustered)
        {
            try
            {
                parts.cluster = ClusterLink.open(config.cluster(), parts.inboundProxy, threads("topics-cluster-"));
            }
            catch (final RuntimeException ex)
            {
                io.close();
                throw ex;
            }
            parts.engine.joinCluster(parts.cluster);
        }
        runner.start();

        // 4. The transport: event loops parse lines and offer them into the inbound ring.
        try
        {
            parts.server = TransportServer.start(config.transportConfig(), io, parts.inboundProxy, transportCounters, memory);
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            if (parts.cluster != null)
            {
                parts.cluster.close();
            }
            runner.stop(config.shutdownTimeoutMs());
            io.close();
            throw ex;
        }

        // 4b. The cluster link's thread: peers are heard from now on (its news is logged after the
        //     listening line, which Main prints once launch returns, in most starts).
        if (parts.cluster != null)
        {
            parts.cluster.start();
        }

        // 5. The metrics endpoint, when asked for: its requests for the engine's figures enter the
        //    inbound ring from event loop 0 (with the engine on the loop, the ring's one producer).
        if (config.metricsPort() != BrokerConfig.METRICS_PORT_OFF)
        {
            final InboundProxy proxy = parts.inboundProxy;
            final IoThreads loops = io;
            try
            {
                parts.metrics = MetricsServer.start(new InetSocketAddress(config.bind().getAddress(), config.metricsPort()),
                    snapshot -> offerSnapshot(loops, proxy, snapshot), threads("topics-metrics-"));
            }
            catch (final RuntimeException ex)
            {
                new TopicsBroker(parts).close();
                throw ex;
            }
        }
        return new TopicsBroker(parts);
    }

    /** From the metrics thread: offers the request on event loop 0; refused at once without room. */
    private static void offerSnapshot(final IoThreads io, final InboundProxy proxy, final EngineSnapshot snapshot)
    {
        try
        {
            io.executor(0).execute(() ->
            {
                if (!proxy.offerSnapshot(snapshot))
                {
                    snapshot.refuse();
                }
            });
        }
        catch (final RejectedExecutionException stopping)
        {
            snapshot.refuse();
        }
    }

    /** Where the metrics endpoint listens, with the real port; null when it is off. */
    public InetSocketAddress metricsAddress()
    {
        return metrics == null ? null : metrics.address();
    }

    /**
     * The writers' delivery latencies (PUB read to delivery written), for a metrics endpoint:
     * each read shares its interval with STATS, which also reads them.
     */
    public DeliveryLatencies deliveryLatencies()
    {
        return latencies;
    }

    /** Where the engine runs: its own thread, or the event loop. */
    public EnginePlacement enginePlacement()
    {
        return placement;
    }

    /** The RESP listener's bound address, or null when there is none. */
    public InetSocketAddress respAddress()
    {
        return server.respAddress();
    }

    /** The address it listens on, with the real port when port 0 was asked for. */
    public InetSocketAddress address()
    {
        return server.address();
    }

    /** {@code epoll} or {@code nio}. */
    public String transportName()
    {
        return server.transportName();
    }

    /** Whether clients must speak TLS. */
    public boolean tlsEnabled()
    {
        return server.tlsEnabled();
    }

    /** Whether clients must send {@code AUTH <token>} first. */
    public boolean authEnabled()
    {
        return config.security().authEnabled();
    }

    /**
     * Stops gracefully: stop accepting, answer new commands {@code ERR shutting-down}, let both
     * rings drain so everything accepted is written, close every connection, stop every thread.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (metrics != null)
        {
            metrics.close();
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.shutdownTimeoutMs());
        server.stopAccepting();
        inboundProxy.beginShutdown();
        awaitDrained(inbound, deadlineNs);
        awaitWritersDrained(deadlineNs);
        server.closeConnections(remainingMs(deadlineNs));
        inboundProxy.close();
        final boolean engineStopped = engineRunner.stop(remainingMs(deadlineNs));
        if (cluster != null)
        {
            // After the engine, which sends on the links until it stops; peers then see this
            // node's heartbeats stop and move its topics.
            cluster.close();
        }
        awaitWritersDrained(deadlineNs);
        server.close();
        io.close();
        inboundProxy.releaseArenas();
        if (engineStopped)
        {
            final EngineCounters counters = engine.counters();
            LOG.info(() -> "stopped after " + counters.published() + " publications and "
                + counters.delivered() + " deliveries");
        }
        else
        {
            LOG.warning("stopped, but the engine did not finish within the shutdown timeout");
        }
    }

    /**
     * What the engine did, final once {@link #close()} has returned (the engine thread has
     * stopped by then); for tests and shutdown reports.
     */
    public EngineCounters engineCounters()
    {
        return engine.counters();
    }

    /**
     * Waits until every writer has passed everything published so far. Writers with no events of
     * their own are only woken when the ring is full, so all are woken here.
     */
    private void awaitWritersDrained(final long deadlineNs)
    {
        for (final Writer writer : writers)
        {
            writer.wakeUp();
        }
        awaitDrained(outbound, deadlineNs);
    }

    /**
     * Waits until every consumer of {@code ring} has processed everything published before this
     * call. Not "until the ring is empty": a client that keeps sending during shutdown keeps the
     * inbound ring busy with the errors it is answered, and an engine polled in batches by the
     * event loop is rarely seen with an empty ring, so that wait ran into the shutdown timeout.
     */
    private static void awaitDrained(final RingBuffer<?> ring, final long deadlineNs)
    {
        final long published = ring.getCursor();
        while (ring.getMinimumGatingSequence() < published && System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(100_000);
        }
    }

    private static long remainingMs(final long deadlineNs)
    {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()));
    }

    static void answerFailedCommand(final InboundEvent event, final WriterProxy writers)
    {
        if (event.payload != null)
        {
            event.payload.release();
        }
        if (event.session != null)
        {
            writers.error(event.session, ErrorCode.INTERNAL);
            writers.endOfBatch();
        }
        if (event.snapshot != null)
        {
            event.snapshot.refuse(); // the endpoint answers 503 now rather than after its timeout
        }
        event.clear();
    }

    /** The parts of a broker as {@link #launch} builds them, so the constructor stays short. */
    private static final class Builder
    {
        BrokerConfig config;
        EnginePlacement placement;
        IoThreads io;
        RingBuffer<InboundEvent> inbound;
        RingBuffer<OutboundEvent> outbound;
        Writer[] writers;
        DeliveryLatencies latencies;
        Engine engine;
        EngineRunner engineRunner;
        InboundProxy inboundProxy;
        TransportServer server;
        MetricsServer metrics;
        ClusterLink cluster;
    }

    private static ThreadFactory threads(final String prefix)
    {
        final AtomicInteger next = new AtomicInteger();
        return runnable ->
        {
            final Thread thread = new Thread(runnable, prefix + next.getAndIncrement());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, ex) -> LOG.log(Level.SEVERE, ex, () -> t.getName() + " died"));
            return thread;
        };
    }
}
