package dev.topics.broker.engine;

import dev.topics.broker.report.FieldSink;

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

    /** Lists further STATS values, in the order of the STATS line. */
    void appendTo(FieldSink fields);
}
