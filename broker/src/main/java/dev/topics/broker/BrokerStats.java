package dev.topics.broker;

import com.lmax.disruptor.RingBuffer;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.engine.StatsSource;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.TransportCounters;

import java.util.concurrent.atomic.LongAdder;

/**
 * The STATS figures the engine does not own: internal errors counted on every thread, ring
 * occupancy, the transport's counters and the memory budget's figures, in the order the STATS line
 * has always had them (new keys are appended at the end).
 *
 * <p>Asked by the engine thread; reads only values that are safe to read from any thread
 * ({@link LongAdder} sums and ring sequences). Built by {@link TopicsBroker#launch} before the
 * transport starts, with the counters the transport will increment.
 */
final class BrokerStats implements StatsSource
{
    private final RingBuffer<InboundEvent> inboundRing;
    private final RingBuffer<OutboundEvent> outboundRing;
    private final TransportCounters transport;
    private final LongAdder internalErrors;
    private final LongAdder slowConsumers;
    private final MemoryBudget memory;

    /**
     * @param internalErrors exceptions caught in the engine's and the writers' handlers; the
     *                       transport's own are in {@code transport}.
     */
    BrokerStats(
        final RingBuffer<InboundEvent> inboundRing,
        final RingBuffer<OutboundEvent> outboundRing,
        final TransportCounters transport,
        final LongAdder internalErrors,
        final LongAdder slowConsumers,
        final MemoryBudget memory)
    {
        this.memory = memory;
        this.slowConsumers = slowConsumers;
        this.inboundRing = inboundRing;
        this.outboundRing = outboundRing;
        this.transport = transport;
        this.internalErrors = internalErrors;
    }

    @Override
    public long internalErrors()
    {
        return internalErrors.sum() + transport.internalErrors.sum();
    }

    @Override
    public long slowConsumerDisconnects()
    {
        return slowConsumers.sum();
    }

    @Override
    public void appendTo(final StringBuilder text)
    {
        text.append(" inbound_ring_used=").append(inboundRing.getBufferSize() - inboundRing.remainingCapacity())
            .append(" inbound_ring_size=").append(inboundRing.getBufferSize())
            .append(" outbound_ring_size=").append(outboundRing.getBufferSize())
            .append(" read_pauses=").append(transport.readPauses.sum())
            .append(" rejected_connections=").append(transport.rejectedConnections.sum())
            .append(" auth_failures=").append(transport.authFailures.sum())
            .append(" idle_closes=").append(transport.idleCloses.sum())
            .append(" tls_failures=").append(transport.tlsFailures.sum())
            .append(" memory_used=").append(memory.usedBytes())
            .append(" memory_max=").append(memory.maxBytes())
            .append(" oom_refusals=").append(memory.refusals())
            .append(" memory_cuts=").append(memory.cuts())
            .append(" evictions=").append(memory.evictions());
    }
}
