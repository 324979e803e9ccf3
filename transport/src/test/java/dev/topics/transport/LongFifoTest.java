package dev.topics.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The read times of waiting lines come back in the order they went in, across growth and wrap-around. */
class LongFifoTest
{
    @Test
    void shouldKeepOrderWhileGrowingFromAWrappedState()
    {
        final LongFifo fifo = new LongFifo();
        long next = 0;
        long expected = 0;
        for (int i = 0; i < 10; i++)
        {
            fifo.add(next++);
        }
        for (int i = 0; i < 7; i++)
        {
            assertEquals(expected++, fifo.peek());
            fifo.remove();
        }
        for (int i = 0; i < 100; i++) // wraps past the end of the first array, then grows twice
        {
            fifo.add(next++);
        }
        while (expected < next)
        {
            assertEquals(expected++, fifo.peek());
            fifo.remove();
        }
        assertThrows(IllegalStateException.class, fifo::peek);
        assertThrows(IllegalStateException.class, fifo::remove);
    }
}
