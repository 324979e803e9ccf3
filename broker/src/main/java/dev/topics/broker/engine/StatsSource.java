package dev.topics.broker.engine;

/**
 * Figures the engine does not own but reports in STATS: internal errors, ring occupancy, transport
 * counters.
 *
 * <p>Called on the engine thread; implementations read only thread-safe values.
 */
public interface StatsSource
{
    /** Exceptions caught in any handler, on any thread. */
    long internalErrors();

    /** Connections the writers cut off for not reading their output. */
    long slowConsumerDisconnects();

    /** Appends further {@code key=value} pairs, each preceded by a space. */
    void appendTo(StringBuilder text);
}
