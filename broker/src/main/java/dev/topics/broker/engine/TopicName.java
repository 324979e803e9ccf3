package dev.topics.broker.engine;

import java.util.Arrays;

/**
 * A topic name as bytes, usable as a hash key. A stored name owns an exact-length copy that never
 * changes; the engine's single probe instance is re-pointed at each command's bytes so that a
 * lookup allocates nothing.
 *
 * <p>Owned by the engine thread.
 */
final class TopicName
{
    private byte[] bytes;
    private int offset;
    private int length;
    private int hash;

    private TopicName()
    {
    }

    /** A reusable lookup key. */
    static TopicName probe()
    {
        return new TopicName();
    }

    /** Points this probe at {@code source[0..length)} without copying. */
    TopicName wrap(final byte[] source, final int length)
    {
        return wrap(source, 0, length);
    }

    /** Points this probe at {@code source[offset..offset + length)} (a token, say) without copying. */
    TopicName wrap(final byte[] source, final int offset, final int length)
    {
        this.bytes = source;
        this.offset = offset;
        this.length = length;
        this.hash = hash(source, offset, length);
        return this;
    }

    /** An immutable copy of what this key currently holds, for storing. */
    TopicName copy()
    {
        final TopicName copy = new TopicName();
        copy.bytes = Arrays.copyOfRange(bytes, offset, offset + length);
        copy.length = length;
        copy.hash = hash;
        return copy;
    }

    int length()
    {
        return length;
    }

    /** The exact-length bytes of a stored name (never a probe's); never modify them. */
    byte[] bytes()
    {
        return bytes;
    }

    private static int hash(final byte[] bytes, final int offset, final int length)
    {
        int h = 1;
        for (int i = offset; i < offset + length; i++)
        {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof TopicName))
        {
            return false;
        }
        final TopicName that = (TopicName)other;
        return hash == that.hash && Arrays.equals(bytes, offset, offset + length, that.bytes, that.offset, that.offset + that.length);
    }

    @Override
    public String toString()
    {
        return new String(bytes, offset, length, java.nio.charset.StandardCharsets.UTF_8);
    }
}
