package dev.topics.broker.ingress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Where one event loop writes the delivery frames of the PUBs it reads: one pooled chunk holds
 * many frames, so a publish costs a reference count, not an allocation and a free (the pool's
 * allocation, its recycled buffer object and the free took about a third of the event loop's time
 * in a profile of {@code max}). Each frame's holder owns one reference to the chunk; the chunk
 * goes back to the pool once the arena has moved on and every frame in it was written.
 *
 * <p>Owned by one event loop (one per writer shard); never touched by another thread, except
 * {@link #release} once that loop has stopped.
 */
final class FrameArena
{
    /** Chunk size: many 64-byte frames per allocation, small enough not to pin much memory. */
    static final int CHUNK_BYTES = 16 * 1024;

    private ByteBuf chunk;

    /**
     * A chunk with at least {@code length} writable bytes, with one more reference for the
     * caller, who writes exactly {@code length} bytes at its writer index.
     */
    ByteBuf reserve(final ByteBufAllocator alloc, final int length)
    {
        if (chunk == null || chunk.writableBytes() < length)
        {
            if (chunk != null)
            {
                chunk.release();
            }
            chunk = alloc.directBuffer(Math.max(CHUNK_BYTES, length), Math.max(CHUNK_BYTES, length));
        }
        return chunk.retain();
    }

    /** Drops the arena's own reference; frames still in flight keep the chunk alive. */
    void release()
    {
        if (chunk != null)
        {
            chunk.release();
            chunk = null;
        }
    }
}
