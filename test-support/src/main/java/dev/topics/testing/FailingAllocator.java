package dev.topics.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;

/**
 * An allocator whose every allocation throws {@link OutOfMemoryError}, as the JDK does when direct
 * memory runs out: set it on a channel to see what the code does when a buffer cannot be had.
 *
 * <p>Stateless; safe on any thread.
 */
public final class FailingAllocator extends AbstractByteBufAllocator
{
    public FailingAllocator()
    {
        super(true);
    }

    @Override
    public boolean isDirectBufferPooled()
    {
        return false;
    }

    @Override
    protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
    {
        throw new OutOfMemoryError("Cannot reserve " + initialCapacity + " bytes of heap buffer memory (test)");
    }

    @Override
    protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
    {
        throw new OutOfMemoryError("Cannot reserve " + initialCapacity + " bytes of direct buffer memory (test)");
    }
}
