package dev.topics.transport;

/**
 * A first-in first-out queue of {@code long}s in a growable array, with no boxing: the read times
 * of the lines a {@link ConnectionHandler} holds back while the sink is full.
 *
 * <p>One instance per channel, used on that channel's event-loop thread.
 */
final class LongFifo
{
    private static final int INITIAL_CAPACITY = 16;

    /** Its length is a power of two, so an index wraps with a mask. */
    private long[] values = new long[INITIAL_CAPACITY];
    private int head;
    private int size;

    void add(final long value)
    {
        if (size == values.length)
        {
            grow();
        }
        values[(head + size) & (values.length - 1)] = value;
        size++;
    }

    /** The oldest value; the queue must not be empty. */
    long peek()
    {
        if (size == 0)
        {
            throw new IllegalStateException("empty");
        }
        return values[head];
    }

    /** Drops the oldest value; the queue must not be empty. */
    void remove()
    {
        if (size == 0)
        {
            throw new IllegalStateException("empty");
        }
        head = (head + 1) & (values.length - 1);
        size--;
    }

    /** Doubles the full array, moving the values to its start in their order. */
    private void grow()
    {
        final long[] grown = new long[values.length * 2];
        final int toEnd = values.length - head;
        System.arraycopy(values, head, grown, 0, toEnd);
        System.arraycopy(values, 0, grown, toEnd, head);
        values = grown;
        head = 0;
    }
}
