package dev.topics.broker.engine;

import dev.topics.transport.codec.TokenPatterns;

/**
 * A reusable view of a name split into its {@code .}-separated tokens, as offsets into the name's
 * bytes: splitting allocates nothing once the arrays have grown to the longest name seen.
 *
 * <p>Owned by the engine thread; each user keeps its own instance, valid until its next
 * {@link #split}.
 */
final class Tokens
{
    private byte[] bytes;
    private int[] starts = new int[8];
    private int[] lengths = new int[8];
    private int count;

    /** Splits {@code name[0, length)}; an empty name, or one ending in a dot, has an empty token. */
    Tokens split(final byte[] name, final int length)
    {
        bytes = name;
        count = 0;
        int start = 0;
        for (int i = 0; i <= length; i++)
        {
            if (i == length || name[i] == TokenPatterns.SEPARATOR)
            {
                add(start, i - start);
                start = i + 1;
            }
        }
        return this;
    }

    Tokens split(final TopicName name)
    {
        return split(name.bytes(), name.length());
    }

    private void add(final int start, final int length)
    {
        if (count == starts.length)
        {
            starts = java.util.Arrays.copyOf(starts, count * 2);
            lengths = java.util.Arrays.copyOf(lengths, count * 2);
        }
        starts[count] = start;
        lengths[count] = length;
        count++;
    }

    /** The bytes of the whole name last split, valid up to {@link #nameLength()}. */
    byte[] nameBytes()
    {
        return bytes;
    }

    /** The length of the name last split: where its last token ends. */
    int nameLength()
    {
        return starts[count - 1] + lengths[count - 1];
    }

    int count()
    {
        return count;
    }

    /** Points {@code probe} at token {@code index}. */
    TopicName token(final int index, final TopicName probe)
    {
        return probe.wrap(bytes, starts[index], lengths[index]);
    }

    /** Whether token {@code index} is exactly the one byte {@code wildcard}. */
    boolean isExactly(final int index, final byte wildcard)
    {
        return lengths[index] == 1 && bytes[starts[index]] == wildcard;
    }
}
