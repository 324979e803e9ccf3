package dev.topics.broker;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.topics.broker.egress.DeliveryLatencies;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.broker.report.KeyValueText;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.TransportCounters;
import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        "latency_p50_us", "latency_p99_us", "latency_p999_us", "latency_max_us",
        "memory_used", "memory_max", "oom_refusals", "memory_cuts", "evictions");
    private static final List<String> LATENCY_KEYS = BROKER_KEYS.subList(8, 12);
    private static final int MESSAGES = 200;

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
        final BrokerStats stats = new BrokerStats(
            inbound, outbound, transport, new LongAdder(), new LongAdder(), new DeliveryLatencies(), MemoryBudget.unlimited());

        final StringBuilder text = new StringBuilder();
        stats.appendTo(new KeyValueText(text));

        assertEquals(" inbound_ring_used=1 inbound_ring_size=8 outbound_ring_size=16 read_pauses=2"
            + " rejected_connections=3 auth_failures=4 idle_closes=5 tls_failures=6"
            + " latency_p50_us=0 latency_p99_us=0 latency_p999_us=0 latency_max_us=0"
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
            RingBuffer.createSingleProducer(OutboundEvent::new, 16), transport, handlers, new LongAdder(),
            new DeliveryLatencies(), MemoryBudget.unlimited());

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

    @Test
    void shouldReportTheLatencyOfTheDeliveriesSinceThePreviousStats() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback().build());
             LineClient subscriber = new LineClient(broker.address());
             LineClient publisher = new LineClient(broker.address()))
        {
            subscriber.send("SUB t");
            assertEquals("SUBSCRIBED t", subscriber.readLine());
            for (int i = 0; i < MESSAGES; i++)
            {
                publisher.send("PUB t " + i);
            }
            for (int i = 0; i < MESSAGES; i++)
            {
                assertEquals("UPDATED t " + i, subscriber.readLine());
            }
            // Asked on the subscriber's connection: its event loop times the deliveries right after
            // flushing them, before it reads this STATS, so every one of them is in the interval.
            final Map<String, Long> afterTraffic = StatsReader.read(subscriber);
            final long p50 = afterTraffic.get("latency_p50_us");
            final long p99 = afterTraffic.get("latency_p99_us");
            final long p999 = afterTraffic.get("latency_p999_us");
            final long max = afterTraffic.get("latency_max_us");
            assertTrue(p50 > 0 && p50 <= p99 && p99 <= p999 && p999 <= max, () -> "latencies: " + afterTraffic);

            final Map<String, Long> idle = StatsReader.read(subscriber);
            for (final String key : LATENCY_KEYS)
            {
                assertEquals(0L, idle.get(key), () -> key + " with no delivery since the previous STATS: " + idle);
            }
        }
    }
}
