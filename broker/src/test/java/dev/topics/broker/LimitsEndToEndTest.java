package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits that keep memory bounded, exercised over real sockets against the real broker. */
@ExtendWith(NettyLeakGuard.class)
class LimitsEndToEndTest
{
    private static BrokerConfig withLimits(final int maxPending, final int maxConnections, final int maxSubscriptions, final int maxTopics)
    {
        return TestBrokers.loopback()
            .maxPendingBytes(maxPending)
            .maxConnections(maxConnections)
            .maxSubscriptions(maxSubscriptions)
            .maxTopics(maxTopics)
            .build();
    }

    @Test
    void shouldCutOffASubscriberThatDoesNotReadWhileItsNeighbourGetsEverything() throws Exception
    {
        final int maxPending = 1024 * 1024;
        final int messages = 10_000;
        final String payload = "p".repeat(1000);
        try (TopicsBroker broker = TopicsBroker.launch(withLimits(maxPending, 100, 100, 100));
             LineClient fast = new LineClient(broker.address());
             LineClient publisher = new LineClient(broker.address());
             Socket slow = new Socket())
        {
            slow.setReceiveBufferSize(16 * 1024);
            slow.connect(broker.address());
            slow.getOutputStream().write("SUB slow.topic\r\n".getBytes());
            fast.send("SUB slow.topic");
            assertEquals("SUBSCRIBED slow.topic", fast.readLine());
            publisher.send("PING ready");
            assertEquals("PONG ready", publisher.readLine());

            final List<Throwable> failures = new ArrayList<>();
            final AtomicInteger fastReceived = new AtomicInteger();
            final Thread reader = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < messages; i++, fastReceived.incrementAndGet())
                    {
                        final String line = fast.readLine();
                        if (!line.equals("UPDATED slow.topic " + i + " " + payload))
                        {
                            throw new AssertionError("message " + i + " was " + line.substring(0, Math.min(60, line.length())));
                        }
                    }
                }
                catch (final Throwable t)
                {
                    failures.add(t);
                }
            });
            reader.start();
            long peakDirectBytes = 0;
            final StringBuilder batch = new StringBuilder();
            for (int i = 0; i < messages; i++)
            {
                batch.append("PUB slow.topic ").append(i).append(' ').append(payload).append("\r\n");
                if (i % 100 == 99)
                {
                    // The fast subscriber keeps up: never more than ~300 KB behind, well under
                    // --max-pending. The slow one falls behind without bound and is cut off.
                    while (i - fastReceived.get() > 300 && reader.isAlive())
                    {
                        LockSupport.parkNanos(100_000);
                    }
                    publisher.sendRaw(batch.toString());
                    batch.setLength(0);
                    peakDirectBytes = Math.max(peakDirectBytes, usedDirectMemory());
                }
            }
            reader.join(60_000);
            assertTrue(failures.isEmpty(), () -> "fast subscriber: " + failures);

            final Map<String, Long> stats = BrokerEndToEndTest.stats(publisher);
            assertEquals(1, stats.get("slow_consumer_disconnects"), stats::toString);
            assertEquals(2, stats.get("connections"), "the slow one is gone, publisher and fast remain");
            assertEquals(1, stats.get("subscriptions"));
            assertTrue(readsToEndOfStream(slow), "the slow subscriber's connection was closed");
            // 10 MB went through; the broker never held more than a few times --max-pending of it.
            assertTrue(peakDirectBytes < 32L * 1024 * 1024, "direct memory stayed bounded: " + peakDirectBytes);
        }
    }

    /** Direct memory of the allocator the broker's channels use. */
    private static long usedDirectMemory()
    {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }

    private static boolean readsToEndOfStream(final Socket socket) throws IOException
    {
        socket.setSoTimeout(LineClient.TIMEOUT_MS);
        final byte[] sink = new byte[64 * 1024];
        try
        {
            while (socket.getInputStream().read(sink) >= 0)
            {
                // drain what was sent before the cut-off
            }
            return true;
        }
        catch (final java.net.SocketException reset)
        {
            return true; // closed with unread data still queued: a reset is a close too
        }
    }

    @Test
    @SuppressWarnings("try") // second is closed mid-test on purpose: that close is what frees the slot
    void shouldRefuseConnectionsOverTheLimitAndAcceptAgainWhenOneCloses() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(withLimits(1 << 20, 2, 100, 100));
             LineClient first = new LineClient(broker.address());
             LineClient second = new LineClient(broker.address()))
        {
            first.send("PING 1");
            assertEquals("PONG 1", first.readLine());
            second.send("PING 2");
            assertEquals("PONG 2", second.readLine());
            try (LineClient third = new LineClient(broker.address()))
            {
                assertTrue(third.readLine().startsWith("ERR server-busy "));
                assertTrue(third.isClosedByServer());
            }
            second.close();
            LineClient fourth = null;
            for (int attempt = 0; attempt < 100 && fourth == null; attempt++)
            {
                final LineClient candidate = new LineClient(broker.address());
                candidate.send("PING 4");
                final String reply = candidate.readLine();
                if (reply.equals("PONG 4"))
                {
                    fourth = candidate;
                }
                else
                {
                    assertTrue(reply.startsWith("ERR server-busy "), reply);
                    candidate.close();
                    Thread.sleep(20);
                }
            }
            assertTrue(fourth != null, "a slot frees up once a connection closes");
            assertTrue(BrokerEndToEndTest.stats(first).get("rejected_connections") >= 1);
            fourth.close();
        }
    }

    @Test
    void shouldRefuseSubscriptionsAndTopicsOverTheirLimits() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(withLimits(1 << 20, 10, 2, 3));
             LineClient client = new LineClient(broker.address()))
        {
            client.sendRaw("SUB a\r\nSUB b\r\nSUB a\r\nSUB c\r\n");
            assertEquals("SUBSCRIBED a", client.readLine());
            assertEquals("SUBSCRIBED b", client.readLine());
            assertEquals("SUBSCRIBED a", client.readLine(), "re-subscribing is a no-op, not a new subscription");
            assertTrue(client.readLine().startsWith("ERR too-many-subscriptions "));

            client.sendRaw("PUB c 1\r\nPUB d 2\r\nGET d\r\nGET c\r\nPUB a 3\r\n");
            assertTrue(client.readLine().startsWith("ERR too-many-topics "), "a, b and c exist; d would be the fourth");
            assertEquals("NOVALUE d", client.readLine());
            assertEquals("VALUE c 1", client.readLine());
            assertEquals("UPDATED a 3", client.readLine(), "existing topics still take publications");

            client.send("UNSUB b");
            assertEquals("UNSUBSCRIBED b", client.readLine());
            client.send("SUB d");
            assertEquals("SUBSCRIBED d", client.readLine(), "b had no value, so it was forgotten and d fits");
        }
    }
}
