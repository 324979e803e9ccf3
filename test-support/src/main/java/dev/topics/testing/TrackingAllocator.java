package dev.topics.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so a test can check that each one was
 * released exactly when it should be, deterministically, without waiting for the garbage
 * collector as Netty's leak detector must.
 *
 * <p>Install it on an {@code EmbeddedChannel} ({@code channel.config().setAllocator(...)}): the
 * frame decoder's cumulation buffers then come from here too. Used by one test thread.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator
{
    // Netty's own leak detector is off for these buffers: the exact check here makes it redundant,
    // and at paranoid level it records a stack trace on every getByte, which would make property
    // tests with thousands of tries crawl.
    private final ByteBufAllocator delegate = new UnpooledByteBufAllocator(true, true);
    private final List<ByteBuf> allocated = new ArrayList<>();

    public TrackingAllocator()
    {
        super(true);
    }

    @Override
    protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
    {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
    {
        return track(delegate.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled()
    {
        return false;
    }

    private ByteBuf track(final ByteBuf buffer)
    {
        allocated.add(buffer);
        return buffer;
    }

    public int allocatedCount()
    {
        return allocated.size();
    }

    /** Buffers still referenced, described for an assertion message; empty when all were released. */
    public List<String> unreleased()
    {
        final List<String> live = new ArrayList<>();
        for (final ByteBuf buffer : allocated)
        {
            if (buffer.refCnt() != 0)
            {
                live.add(buffer + " refCnt=" + buffer.refCnt());
            }
        }
        return live;
    }

    /** Releases whatever is still referenced, so a failed check does not also leak. */
    public void releaseAll()
    {
        for (final ByteBuf buffer : allocated)
        {
            if (buffer.refCnt() > 0)
            {
                buffer.release(buffer.refCnt());
            }
        }
        allocated.clear();
    }
}
