package dev.topics.broker.egress;

import dev.topics.transport.codec.ReplyEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * The last delivery a writer re-encoded from a canonical frame (a RESP {@code message} or
 * {@code pmessage}), so that every connection of its shard that receives the same publish, in the
 * same encoding and through the same subscription, gets a copy of one encoding: a publish is
 * encoded once per writer and form, not once per subscriber, and not at all when no subscriber
 * takes another protocol's form. The engine emits a publish's deliveries one after another, so
 * the last one is the one that repeats.
 *
 * <p>Owned by one {@link Writer}, on its event loop.
 */
final class PushCache
{
    /**
     * Holds a small frame (the writer copies those into write batches, so nothing else refers to
     * it): reused from publish to publish, so a small push costs no allocation. A wrapped array,
     * not a pooled buffer: it lives as long as the writer and has nothing to give back.
     */
    private final ByteBuf scratch;
    /** The cached frame: {@link #scratch}, or a buffer of its own (a large frame, shared by the channels). */
    private ByteBuf frame;
    private int publishId;
    private ReplyEncoder encoder;
    /** The pattern array of the cached form (identity: the engine hands each pattern's own array). */
    private byte[] pattern;

    /** @param smallBytes frames up to this size are encoded into the reused scratch buffer. */
    PushCache(final int smallBytes)
    {
        this.scratch = Unpooled.wrappedBuffer(new byte[smallBytes]).clear();
    }

    /**
     * The encoded delivery of {@code event}, whose canonical frame lies in {@code chunk}: the cached
     * one when it is for the same publish, encoder and pattern, else encoded now. The cache keeps
     * its reference; the caller copies or retains what it writes.
     */
    ByteBuf frameFor(final OutboundEvent event, final ByteBuf chunk, final ByteBufAllocator alloc)
    {
        if (frame != null && event.publishId == publishId && event.encoder == encoder && event.topic == pattern)
        {
            return frame;
        }
        clear();
        final ReplyEncoder form = event.encoder;
        final int length = form.pushLength(event.payloadLength, event.topicLength, event.topic);
        final ByteBuf encoded = length <= scratch.capacity() ? scratch.clear() : alloc.directBuffer(length, length);
        try
        {
            form.writePush(encoded, chunk, event.payloadOffset, event.payloadLength, event.topicLength, event.topic);
        }
        catch (final RuntimeException ex)
        {
            if (encoded != scratch)
            {
                encoded.release();
            }
            throw ex;
        }
        frame = encoded;
        publishId = event.publishId;
        encoder = form;
        pattern = event.topic;
        return frame;
    }

    /** Lets the cached frame go (at the end of each drain, so it never outlives its publish for long). */
    void clear()
    {
        if (frame != null && frame != scratch)
        {
            frame.release();
        }
        frame = null;
        encoder = null;
        pattern = null;
    }
}
