package dev.topics.broker;

import java.util.Locale;

/**
 * Where the engine, the inbound ring's one handler, runs: on its own thread or polled by the
 * event loop. Immutable; safe on any thread.
 *
 * <p>The choice is a trade measured in wake-ups: every thread crossing to a parked thread costs
 * one, which on a small shared machine costs more than the work of a message; with spare cores
 * a dedicated engine thread that spins costs nothing. See docs/operations.md.
 */
public enum EnginePlacement
{
    /** {@link #IO} with one I/O thread on at most 2 cores, else {@link #DEDICATED}. */
    AUTO,
    /** On its own thread, {@code topics-engine-0}, woken by the ring's wait strategy. */
    DEDICATED,
    /** Polled by the one event loop between its reads and writes: no thread crossing at all. */
    IO;

    /** Cores at most on which {@link #AUTO} polls the engine on the event loop. */
    static final int IO_MAX_PROCESSORS = 2;

    /** This placement with {@link #AUTO} decided for {@code ioThreads} on {@code processors} cores. */
    EnginePlacement resolve(final int ioThreads, final int processors)
    {
        if (this != AUTO)
        {
            return this;
        }
        return ioThreads == 1 && processors <= IO_MAX_PROCESSORS ? IO : DEDICATED;
    }

    /** The lower-case name users type and {@code --help} shows. */
    @Override
    public String toString()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
