package dev.topics.transport;

import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.LineParser;
import dev.topics.transport.resp.RespFrameDecoder;
import dev.topics.transport.resp.RespFrontEnd;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Netty server: binds, frames lines, and hands each connection to a {@link ConnectionHandler}.
 *
 * <p>Started and closed by one controlling thread (main or a test); the channels it creates live
 * on its event-loop threads.
 */
public final class TransportServer implements AutoCloseable
{
    private final IoThreads ioThreads;
    private final Channel serverChannel;
    /** The RESP listener, or null when there is none. */
    private final Channel respChannel;
    private final ChannelGroup connections;
    private final boolean tls;
    private final MemoryGuard memoryGuard;

    private TransportServer(
        final IoThreads ioThreads,
        final Channel serverChannel,
        final Channel respChannel,
        final ChannelGroup connections,
        final boolean tls,
        final MemoryGuard memoryGuard)
    {
        this.ioThreads = ioThreads;
        this.memoryGuard = memoryGuard;
        this.serverChannel = serverChannel;
        this.respChannel = respChannel;
        this.connections = connections;
        this.tls = tls;
    }

    /**
     * Binds and starts serving on {@code ioThreads}, which the caller owns and closes after this
     * server; returns once the socket is listening. The event loops count into {@code counters},
     * which the caller creates so that it can report them without asking this server, and keep
     * {@code memory} sampled (on the first event loop) and within bounds.
     */
    public static TransportServer start(
        final TransportConfig config,
        final IoThreads ioThreads,
        final CommandSink sink,
        final TransportCounters counters,
        final MemoryBudget memory)
        throws InterruptedException
    {
        // Loaded before any thread starts, so a bad certificate fails the launch with its reason.
        final SslContext sslContext = sslContext(config.security());
        final ChannelGroup connections = new DefaultChannelGroup("topics-connections", GlobalEventExecutor.INSTANCE);
        final Listeners listeners = new Listeners(config, ioThreads, sink, counters, memory, sslContext, connections);
        Channel serverChannel = null;
        try
        {
            serverChannel = listeners.bind(config.bind(), WireProtocol.TEXT);
            final Channel respChannel = config.respBind() == null ? null : listeners.bind(config.respBind(), WireProtocol.RESP);
            // The allocator every channel uses (above): the bytes of its buffers in use are what
            // connections hold. Not its reserved chunks (usedDirectMemory): a chunk stays reserved
            // while any buffer in it lives, so after slow readers were cut, the few left kept 32
            // chunks (the whole budget) reserved and every PUB refused with nobody left to cut.
            final MemoryGuard guard = new MemoryGuard(
                memory, PooledByteBufAllocator.DEFAULT::pinnedDirectMemory, connections, counters.internalErrors);
            guard.start(ioThreads.executor(0));
            return new TransportServer(ioThreads, serverChannel, respChannel, connections, sslContext != null, guard);
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            if (serverChannel != null)
            {
                serverChannel.close().syncUninterruptibly();
            }
            connections.close();
            throw ex;
        }
    }

    /**
     * Binds listeners that share one set of event loops, connection limit, connection group and
     * memory budget; used by {@link #start} only, on the launching thread.
     */
    private static final class Listeners
    {
        private final TransportConfig config;
        private final IoThreads ioThreads;
        private final CommandSink sink;
        private final TransportCounters counters;
        private final MemoryBudget memory;
        private final SslContext sslContext;
        private final ChannelGroup connections;
        private final LineParser parser;
        private final AtomicLong nextSessionId = new AtomicLong();
        private final AtomicInteger openConnections = new AtomicInteger();

        Listeners(
            final TransportConfig config,
            final IoThreads ioThreads,
            final CommandSink sink,
            final TransportCounters counters,
            final MemoryBudget memory,
            final SslContext sslContext,
            final ChannelGroup connections)
        {
            this.config = config;
            this.ioThreads = ioThreads;
            this.sink = sink;
            this.counters = counters;
            this.memory = memory;
            this.sslContext = sslContext;
            this.connections = connections;
            this.parser = new LineParser(config.maxTopicBytes());
        }

        Channel bind(final InetSocketAddress address, final WireProtocol protocol) throws InterruptedException
        {
            final long idleTimeoutMs = config.security().idleTimeout().toMillis();
            final Class<? extends ServerChannel> channelType =
                ioThreads.isEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            return new ServerBootstrap()
                .group(ioThreads.group())
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // The pooled allocator, not Netty 4.2's default adaptive one: profiling showed the
                // adaptive buffers copying PUB bytes through a ByteBuffer slice (an allocation per
                // message) where the pooled ones copy memory directly; every buffer is released on
                // the event loop that allocated it, so the per-thread caches serve it.
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // Above the high mark a channel is unwritable: the writer's slow-consumer signal.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(config.maxPendingBytes() / 2, config.maxPendingBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        if (openConnections.incrementAndGet() > config.maxConnections())
                        {
                            openConnections.decrementAndGet();
                            refuseBusy(channel, counters, protocol);
                            return;
                        }
                        channel.closeFuture().addListener(closed -> openConnections.decrementAndGet());
                        connections.add(channel);
                        final ChannelPipeline pipeline = channel.pipeline();
                        if (sslContext != null)
                        {
                            // First, so that every handler after it sees plain text.
                            pipeline.addLast(sslContext.newHandler(channel.alloc()));
                        }
                        if (idleTimeoutMs > 0)
                        {
                            // Reader idle only: any bytes from the client, a PING included, are activity.
                            pipeline.addLast(new IdleStateHandler(idleTimeoutMs, 0, 0, TimeUnit.MILLISECONDS));
                        }
                        addHandlers(pipeline, config, nextSessionId.incrementAndGet(), sink, parser, counters,
                            ioThreads, memory, protocol);
                    }
                })
                .bind(address)
                .sync()
                .channel();
        }
    }

    /** The text protocol's pipeline, as {@link #addHandlers(ChannelPipeline, TransportConfig, long, CommandSink, LineParser, TransportCounters, ShardLookup, MemoryBudget, WireProtocol)} builds it. */
    static void addHandlers(
        final ChannelPipeline pipeline,
        final TransportConfig config,
        final long sessionId,
        final CommandSink sink,
        final LineParser parser,
        final TransportCounters counters,
        final ShardLookup shards,
        final MemoryBudget memory)
    {
        addHandlers(pipeline, config, sessionId, sink, parser, counters, shards, memory, WireProtocol.TEXT);
    }

    /**
     * The per-connection pipeline of {@code protocol}, after TLS and the idle timer when they are
     * on: its frame decoder, then the {@link ConnectionHandler} with the protocol's
     * {@link FrontEnd}. Package-visible so codec tests build exactly the same one.
     */
    static void addHandlers(
        final ChannelPipeline pipeline,
        final TransportConfig config,
        final long sessionId,
        final CommandSink sink,
        final LineParser parser,
        final TransportCounters counters,
        final ShardLookup shards,
        final MemoryBudget memory,
        final WireProtocol protocol)
    {
        final AuthGate auth = new AuthGate(config.security().authTokenBytes());
        if (protocol == WireProtocol.RESP)
        {
            final ConnectionHandler handler = new ConnectionHandler(sessionId, sink,
                new RespFrontEnd(config.maxTopicBytes(), auth, counters), counters, shards, memory);
            pipeline.addLast(new RespFrameDecoder(config.maxLineBytes(), handler), handler);
            return;
        }
        final ConnectionHandler handler =
            new ConnectionHandler(sessionId, sink, new TextFrontEnd(parser, auth, counters), counters, shards, memory);
        // An over-long line is reported when its end arrives, in its place in the order of this
        // connection's lines, and the rest of it is discarded.
        pipeline.addLast(
            new LineFrameDecoder(config.maxLineBytes(), handler),
            handler);
    }

    /** The server's TLS context from PEM files, or null when TLS is off. */
    private static SslContext sslContext(final SecurityConfig security)
    {
        if (!security.tlsEnabled())
        {
            return null;
        }
        try
        {
            // The JDK provider: no native library to ship, and the JDK's TLS 1.3 is fast enough for
            // a text protocol whose cost is in fan-out, not in the handshake.
            return SslContextBuilder.forServer(security.tlsCert().toFile(), security.tlsKey().toFile())
                .sslProvider(SslProvider.JDK)
                .build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("cannot load TLS certificate " + security.tlsCert()
                + " and key " + security.tlsKey() + ": " + ex.getMessage(), ex);
        }
    }

    /** Over --max-connections: one error in the listener's protocol, then close; the broker never sees it. */
    private static void refuseBusy(final SocketChannel channel, final TransportCounters counters, final WireProtocol protocol)
    {
        counters.rejectedConnections.increment();
        channel.writeAndFlush(protocol.firstEncoder().error(channel.alloc(), ErrorCode.SERVER_BUSY, null))
            .addListener(ChannelFutureListener.CLOSE);
    }

    /** The bound address, with the real port when 0 was asked for. */
    public InetSocketAddress address()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    /** The RESP listener's bound address, or null when there is none. */
    public InetSocketAddress respAddress()
    {
        return respChannel == null ? null : (InetSocketAddress)respChannel.localAddress();
    }

    /** {@code epoll} or {@code nio}. */
    public String transportName()
    {
        return ioThreads.transportName();
    }

    /** Whether connections speak TLS. */
    public boolean tlsEnabled()
    {
        return tls;
    }

    /** Stops accepting new connections; existing ones carry on. */
    public void stopAccepting()
    {
        serverChannel.close().syncUninterruptibly();
        if (respChannel != null)
        {
            respChannel.close().syncUninterruptibly();
        }
    }

    /**
     * Flushes every connection, waits up to {@code timeoutMs} for their sockets to take everything
     * queued (a client that does not read is not waited for beyond that), then closes them all and
     * waits for the closes.
     *
     * <p>Called off the event loops, so it reads no channel state: it writes an empty buffer to
     * each connection and waits for those writes. A channel completes its writes in order, on its
     * own event loop, so the empty one completes once every byte queued before it is in the
     * socket (Netty's own "close on flush" idiom).
     */
    public void closeConnections(final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        connections.writeAndFlush(Unpooled.EMPTY_BUFFER).awaitUninterruptibly(timeoutMs, TimeUnit.MILLISECONDS);
        final long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()));
        connections.close().awaitUninterruptibly(remainingMs, TimeUnit.MILLISECONDS);
    }

    /** Stops accepting and closes every connection; the event loops are the caller's to close. */
    @Override
    public void close()
    {
        memoryGuard.stop();
        if (serverChannel.isOpen())
        {
            stopAccepting();
        }
        closeConnections(1_000);
    }
}
