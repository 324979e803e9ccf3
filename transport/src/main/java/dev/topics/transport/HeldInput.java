package dev.topics.transport;

/**
 * A frame decoder that holds a connection's incomplete request between reads: what the
 * {@link MemoryGuard} counts as that connection's input, whichever protocol it speaks.
 *
 * <p>Implemented by each port's decoder; {@link #incompleteLineBytes()} is read from the guard's
 * thread.
 */
public interface HeldInput
{
    /** Bytes held for the connection's incomplete request after the last read, 0 when none; any thread. */
    int incompleteLineBytes();
}
