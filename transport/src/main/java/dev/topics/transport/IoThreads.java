package dev.topics.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops, numbered as shards: each connection lives on one of them for its whole
 * life, and the writer for its shard runs on that same thread, so writes never hop threads.
 *
 * <p>Created and closed by the launching thread; {@link #executor} and {@link #shardOf} are safe
 * from any thread.
 */
public final class IoThreads implements AutoCloseable, ShardLookup
{
    private final EventLoopGroup group;
    private final EventExecutor[] loops;
    private final boolean epoll;

    private IoThreads(final EventLoopGroup group, final boolean epoll)
    {
        this.group = group;
        this.epoll = epoll;
        final List<EventExecutor> all = new ArrayList<>();
        for (final EventExecutor loop : group)
        {
            all.add(loop);
        }
        this.loops = all.toArray(new EventExecutor[0]);
    }

    /** Starts {@code count} event loops on the transport asked for. */
    public static IoThreads start(final int count, final Transport transport)
    {
        final boolean epoll = transport.useEpoll();
        final IoHandlerFactory ioHandler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new IoThreads(new MultiThreadIoEventLoopGroup(count, new DefaultThreadFactory("topics-io"), ioHandler), epoll);
    }

    /** Number of event loops, which is the number of writer shards. */
    public int count()
    {
        return loops.length;
    }

    /** Runs tasks on the event loop of {@code shard}. */
    public EventExecutor executor(final int shard)
    {
        return loops[shard];
    }

    @Override
    public int shardOf(final EventExecutor loop)
    {
        for (int i = 0; i < loops.length; i++)
        {
            if (loops[i] == loop)
            {
                return i;
            }
        }
        throw new IllegalArgumentException("not one of these event loops: " + loop);
    }

    boolean isEpoll()
    {
        return epoll;
    }

    EventLoopGroup group()
    {
        return group;
    }

    /** {@code epoll} or {@code nio}. */
    public String transportName()
    {
        return epoll ? "epoll" : "nio";
    }

    /**
     * Stops the event loops. A short quiet period lets tasks still queued run (back-pressure
     * retries, last writes) so their buffers are released.
     */
    @Override
    public void close()
    {
        group.shutdownGracefully(20, 1_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
