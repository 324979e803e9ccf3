package dev.topics.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the transport keeps about itself, for STATS and metrics.
 *
 * <p>Incremented by any event-loop thread; read by any thread.
 */
public final class TransportCounters
{
    /** Times a connection stopped being read because the broker had no room (back-pressure). */
    public final LongAdder readPauses = new LongAdder();
    /** Connections refused because --max-connections were open. */
    public final LongAdder rejectedConnections = new LongAdder();
    /** Unexpected exceptions in the pipeline (not ordinary disconnects). */
    public final LongAdder internalErrors = new LongAdder();
    /** Wrong or missing tokens sent with AUTH. */
    public final LongAdder authFailures = new LongAdder();
    /** Connections closed because they sent nothing for the idle timeout. */
    public final LongAdder idleCloses = new LongAdder();
    /** Failed TLS handshakes and non-TLS bytes on a TLS port. */
    public final LongAdder tlsFailures = new LongAdder();
}
