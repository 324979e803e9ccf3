package dev.topics.broker;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.TransportCounters;
import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The STATS figures the engine does not own: their keys, order and sources. */
@ExtendWith(NettyLeakGuard.class)
class BrokerStatsTest
{
    /** What follows the engine's own keys on the STATS line, in this order, for the clients that parse it. */
    private static final List<String> BROKER_KEYS = List.of("inbound_ring_used", "inbound_ring_size",
        "outbound_ring_size", "read_pauses", "rejected_connections", "auth_failures", "idle_closes", "tls_failures",
        "memory_used", "memory_max", "oom_refusals", "memory_cuts", "evictions");

    @Test
    void shouldAppendRingsAndTransportCountersInTheirFixedOrder()
    {
        final RingBuffer<InboundEvent> inbound = RingBuffer.createMultiProducer(() -> new InboundEvent(16), 8);
        final RingBuffer<OutboundEvent> outbound = RingBuffer.createSingleProducer(OutboundEvent::new, 16);
        inbound.addGatingSequences(new Sequence()); // an engine that has consumed nothing yet
        inbound.publish(inbound.next());
        final TransportCounters transport = new TransportCounters();
        transport.readPauses.add(2);
        transport.rejectedConnections.add(3);
        transport.authFailures.add(4);
        transport.idleCloses.add(5);
        transport.tlsFailures.add(6);
        final BrokerStats stats = new BrokerStats(inbound, outbound, transport, new LongAdder(), new LongAdder(), MemoryBudget.unlimited());

        final StringBuilder text = new StringBuilder();
        stats.appendTo(text);

        assertEquals(" inbound_ring_used=1 inbound_ring_size=8 outbound_ring_size=16 read_pauses=2"
            + " rejected_connections=3 auth_failures=4 idle_closes=5 tls_failures=6"
            + " memory_used=0 memory_max=" + Long.MAX_VALUE + " oom_refusals=0 memory_cuts=0 evictions=0", text.toString());
    }

    @Test
    void shouldCountInternalErrorsOfTheHandlersAndOfTheTransport()
    {
        final TransportCounters transport = new TransportCounters();
        transport.internalErrors.add(2);
        final LongAdder handlers = new LongAdder();
        handlers.add(5);
        final BrokerStats stats = new BrokerStats(RingBuffer.createMultiProducer(() -> new InboundEvent(16), 8),
            RingBuffer.createSingleProducer(OutboundEvent::new, 16), transport, handlers, new LongAdder(), MemoryBudget.unlimited());

        assertEquals(7, stats.internalErrors());
    }

    @Test
    void shouldEndTheStatsLineWithTheBrokerKeysInOrder() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback().build());
             LineClient client = new LineClient(broker.address()))
        {
            client.send("STATS");
            final String line = client.readLine();
            assertTrue(line.startsWith("STATS connections="), line);
            final List<String> keys = new ArrayList<>();
            for (final String pair : line.substring("STATS ".length()).split(" "))
            {
                keys.add(pair.substring(0, pair.indexOf('=')));
            }
            assertEquals(BROKER_KEYS, keys.subList(keys.size() - BROKER_KEYS.size(), keys.size()), line);
        }
    }
}
