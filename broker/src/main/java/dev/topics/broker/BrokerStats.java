package dev.topics.broker;

import com.lmax.disruptor.RingBuffer;
import dev.topics.broker.egress.DeliveryLatencies;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.engine.StatsSource;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.broker.report.FieldSink;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.TransportCounters;
import org.HdrHistogram.Histogram;

import java.util.concurrent.atomic.LongAdder;

/**
 * The STATS figures the engine does not own: internal errors counted on every thread, ring
 * occupancy, the transport's counters and the memory budget's figures, in the order the STATS line
 * has always had them (new keys are appended at the end), then the writers' delivery latencies over
 * the interval since the previous STATS or metrics read.
 *
 * <p>Asked by the engine thread; reads only values that are safe to read from any thread
 * ({@link LongAdder} sums, ring sequences, the writers' latency recorders), into a histogram of
 * its own that only the engine thread touches. Built by {@link TopicsBroker#launch} before the
 * transport starts, with the counters the transport will increment.
 */
final class BrokerStats implements StatsSource
{
    private final RingBuffer<InboundEvent> inboundRing;
    private final RingBuffer<OutboundEvent> outboundRing;
    private final TransportCounters transport;
    private final LongAdder internalErrors;
    private final LongAdder slowConsumers;
    private final DeliveryLatencies latencies;
    private final Histogram latencyInterval = DeliveryLatencies.newIntervalHistogram();
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
        final DeliveryLatencies latencies,
        final MemoryBudget memory)
    {
        this.latencies = latencies;
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
    public void appendTo(final FieldSink fields)
    {
        fields.number("inbound_ring_used", inboundRing.getBufferSize() - inboundRing.remainingCapacity());
        fields.number("inbound_ring_size", inboundRing.getBufferSize());
        fields.number("outbound_ring_size", outboundRing.getBufferSize());
        fields.number("read_pauses", transport.readPauses.sum());
        fields.number("rejected_connections", transport.rejectedConnections.sum());
        fields.number("auth_failures", transport.authFailures.sum());
        fields.number("idle_closes", transport.idleCloses.sum());
        fields.number("tls_failures", transport.tlsFailures.sum());
        appendLatencies(fields);
        fields.number("memory_used", memory.usedBytes());
        fields.number("memory_max", memory.maxBytes());
        fields.number("oom_refusals", memory.refusals());
        fields.number("memory_cuts", memory.cuts());
        fields.number("evictions", memory.evictions());
    }

    /** PUB read to delivery written, in µs, over the interval since the previous read; 0 when empty. */
    private void appendLatencies(final FieldSink fields)
    {
        latencies.readInterval(latencyInterval);
        fields.number("latency_p50_us", DeliveryLatencies.percentileUs(latencyInterval, 50));
        fields.number("latency_p99_us", DeliveryLatencies.percentileUs(latencyInterval, 99));
        fields.number("latency_p999_us", DeliveryLatencies.percentileUs(latencyInterval, 99.9));
        fields.number("latency_max_us", DeliveryLatencies.maxUs(latencyInterval));
    }
}
