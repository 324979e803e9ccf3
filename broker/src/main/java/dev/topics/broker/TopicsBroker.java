package dev.topics.broker;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.egress.Writer;
import dev.topics.broker.egress.WriterProxy;
import dev.topics.broker.engine.Engine;
import dev.topics.broker.engine.EngineCounters;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.broker.ingress.InboundProxy;
import dev.topics.transport.IoThreads;
import dev.topics.transport.TransportCounters;
import dev.topics.transport.TransportServer;
import dev.topics.transport.codec.ErrorCode;

import java.net.InetSocketAddress;
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
 *  event loops --(1) inbound ring, MULTI--> engine --(2) outbound ring, SINGLE--> writers --> sockets
 *                                                       (one writer per event loop, run on it)
 * </pre>
 *
 * <p>Launched and closed by one controlling thread; the threads it starts are named
 * {@code topics-io-*} (which also run the writers) and {@code topics-engine-0}.
 */
public final class TopicsBroker implements AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(TopicsBroker.class.getName());

    private final BrokerConfig config;
    private final Disruptor<InboundEvent> inbound;
    private final RingBuffer<OutboundEvent> outbound;
    private final Writer[] writers;
    private final Engine engine;
    private final InboundProxy inboundProxy;
    private final TransportServer server;
    private final IoThreads io;
    private boolean closed;

    private TopicsBroker(
        final BrokerConfig config,
        final Disruptor<InboundEvent> inbound,
        final RingBuffer<OutboundEvent> outbound,
        final Writer[] writers,
        final Engine engine,
        final InboundProxy inboundProxy,
        final TransportServer server,
        final IoThreads io)
    {
        this.config = config;
        this.inbound = inbound;
        this.outbound = outbound;
        this.writers = writers;
        this.engine = engine;
        this.inboundProxy = inboundProxy;
        this.server = server;
        this.io = io;
    }

    /** Starts the rings, the engine, the writers and the server; returns once it listens. */
    public static TopicsBroker launch(final BrokerConfig config) throws InterruptedException
    {
        final LongAdder internalErrors = new LongAdder();

        // 0. The event loops, started first: they are also the writers of the outbound ring.
        final IoThreads io = IoThreads.start(config.ioThreads(), config.transport());

        // 2. Outbound ring, built before the engine because the engine publishes into it.
        //    Single producer: only the engine thread publishes. Drained by one Writer per event
        //    loop through an EventPoller: each sees every event and writes those of the sessions
        //    living on its loop, in-loop, woken by the engine once per batch. Nobody blocks on
        //    this ring's wait strategy, so a spinning one costs nothing and its publish never locks.
        final RingBuffer<OutboundEvent> outboundRing = RingBuffer.createSingleProducer(
            OutboundEvent::new, config.outboundRingSize(), new BusySpinWaitStrategy());
        final Writer[] writers = new Writer[io.count()];
        for (int shard = 0; shard < writers.length; shard++)
        {
            writers[shard] = new Writer(shard, outboundRing, io.executor(shard), internalErrors);
        }
        final WriterProxy writerProxy = new WriterProxy(outboundRing, writers.length, shard -> writers[shard].wakeUp());

        // 1. Inbound ring. ProducerType.MULTI: every event-loop thread publishes into it.
        //    One event handler, the engine, owns all topic state.
        final int maxTopicBytes = config.maxTopicBytes();
        final Disruptor<InboundEvent> inbound = new Disruptor<>(
            () -> new InboundEvent(maxTopicBytes), config.inboundRingSize(), threads("topics-engine-"),
            ProducerType.MULTI, config.waitStrategy().create());
        final RingBuffer<InboundEvent> inboundRing = inbound.getRingBuffer();
        // Created here, not by the server, so that STATS can be wired before the server starts.
        final TransportCounters transportCounters = new TransportCounters();
        final BrokerStats stats = new BrokerStats(inboundRing, outboundRing, transportCounters, internalErrors);
        final Engine engine = new Engine(writerProxy, stats, config.maxSubscriptions(), config.maxTopics());
        inbound.handleEventsWith(engine);
        inbound.setDefaultExceptionHandler(new LoggingExceptionHandler<>("engine", internalErrors,
            event -> answerFailedCommand(event, writerProxy)));

        inbound.start();

        // 3. The transport: event loops parse lines and offer them into the inbound ring.
        final InboundProxy inboundProxy = new InboundProxy(inboundRing);
        final TransportServer server;
        try
        {
            server = TransportServer.start(config.transportConfig(), io, inboundProxy, transportCounters);
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            inbound.halt();
            io.close();
            throw ex;
        }
        return new TopicsBroker(config, inbound, outboundRing, writers, engine, inboundProxy, server, io);
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
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.shutdownTimeoutMs());
        server.stopAccepting();
        inboundProxy.beginShutdown();
        awaitDrained(inbound.getRingBuffer(), deadlineNs);
        awaitWritersDrained(deadlineNs);
        server.closeConnections(remainingMs(deadlineNs));
        inboundProxy.close();
        shutdown(inbound, deadlineNs);
        final boolean engineStopped = awaitEngine(deadlineNs);
        awaitWritersDrained(deadlineNs);
        server.close();
        io.close();
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

    private boolean awaitEngine(final long deadlineNs)
    {
        try
        {
            return engine.awaitStopped(remainingMs(deadlineNs));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
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

    /** Waits until every consumer of {@code ring} has processed everything published so far. */
    private static void awaitDrained(final RingBuffer<?> ring, final long deadlineNs)
    {
        while (ring.remainingCapacity() < ring.getBufferSize() && System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(100_000);
        }
    }

    private static void shutdown(final Disruptor<?> disruptor, final long deadlineNs)
    {
        try
        {
            disruptor.shutdown(remainingMs(deadlineNs), TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            LOG.warning("a ring did not drain before the shutdown timeout; halting it");
            disruptor.halt();
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
        event.clear();
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
