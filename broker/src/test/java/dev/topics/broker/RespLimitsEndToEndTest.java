package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import dev.topics.testing.RespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static dev.topics.broker.Resp.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text port's limits on the RESP port: the slow-consumer cut-off (--max-pending), one
 * connection limit over both listeners (refused as Redis refuses: -ERR max number of clients
 * reached), and graceful shutdown delivering every applied publication to a RESP subscriber.
 */
@ExtendWith(NettyLeakGuard.class)
@Timeout(120)
class RespLimitsEndToEndTest
{
    @Test
    void shouldCutOffARespSubscriberThatDoesNotReadWhileItsRespNeighbourGetsEverything() throws Exception
    {
        final int messages = 10_000;
        final String payload = "p".repeat(1000);
        try (RespFixture fixture = RespFixture.start(TestBrokers.loopback().maxPendingBytes(1024 * 1024));
             Socket slow = new Socket())
        {
            slow.setReceiveBufferSize(16 * 1024);
            slow.connect(fixture.respAddress());
            slow.getOutputStream().write(RespClient.encode("SUBSCRIBE", "slow.topic"));
            final RespClient fast = fixture.resp();
            fast.send("SUBSCRIBE", "slow.topic").read();
            final LineClient publisher = fixture.text();
            // The slow one's SUBSCRIBE is applied once NUMSUB counts it.
            final RespClient observer = fixture.resp();
            final long deadline = System.currentTimeMillis() + 10_000;
            while (!observer.call("PUBSUB", "NUMSUB", "slow.topic").equals("*2\r\n$10\r\nslow.topic\r\n:2\r\n"))
            {
                assertTrue(System.currentTimeMillis() < deadline, "both subscriptions applied within 10 s");
                Thread.onSpinWait();
            }
            final List<Throwable> failures = new ArrayList<>();
            final AtomicInteger fastReceived = new AtomicInteger();
            final Thread reader = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < messages; i++, fastReceived.incrementAndGet())
                    {
                        final String value = fast.read();
                        if (!value.equals(message("slow.topic", i + " " + payload)))
                        {
                            throw new AssertionError("message " + i + " was " + value.substring(0, Math.min(60, value.length())));
                        }
                    }
                }
                catch (final Throwable t)
                {
                    failures.add(t);
                }
            });
            reader.start();
            final StringBuilder batch = new StringBuilder();
            for (int i = 0; i < messages; i++)
            {
                batch.append("PUB slow.topic ").append(i).append(' ').append(payload).append("\r\n");
                if (i % 100 == 99)
                {
                    while (i - fastReceived.get() > 300 && reader.isAlive())
                    {
                        LockSupport.parkNanos(100_000);
                    }
                    publisher.sendRaw(batch.toString());
                    batch.setLength(0);
                }
            }
            reader.join(60_000);
            assertTrue(failures.isEmpty(), () -> "fast subscriber: " + failures);
            final Map<String, Long> stats = StatsReader.read(publisher);
            assertEquals(1, stats.get("slow_consumer_disconnects"), stats::toString);
            assertEquals(2, stats.get("resp_connections"), "the slow one is gone; fast and the observer remain: " + stats);
            assertEquals("*2\r\n$10\r\nslow.topic\r\n:1\r\n", observer.call("PUBSUB", "NUMSUB", "slow.topic"));
            assertTrue(readsToEndOfStream(slow), "the slow subscriber's connection was closed");
        }
    }

    private static boolean readsToEndOfStream(final Socket socket) throws IOException
    {
        socket.setSoTimeout(RespClient.TIMEOUT_MS);
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
            return true;
        }
    }

    @Test
    void shouldCountBothListenersTowardsOneConnectionLimitAndRefuseRespAsRedis() throws Exception
    {
        try (RespFixture fixture = RespFixture.start(TestBrokers.loopback().maxConnections(2)))
        {
            final LineClient text = fixture.text();
            text.send("PING 1");
            assertEquals("PONG 1", text.readLine());
            final RespClient resp = fixture.resp();
            assertEquals("+PONG\r\n", resp.call("PING"));
            try (RespClient refused = new RespClient(fixture.respAddress()))
            {
                assertEquals("-ERR max number of clients reached\r\n", refused.read(), "Redis' words for maxclients");
                assertTrue(refused.isClosedByServer());
            }
            try (LineClient refused = new LineClient(fixture.broker().address()))
            {
                assertTrue(refused.readLine().startsWith("ERR server-busy "), "the RESP connection counts on the text port too");
                assertTrue(refused.isClosedByServer());
            }
            assertTrue(StatsReader.read(text).get("rejected_connections") >= 2);
        }
    }

    @Test
    void shouldDeliverEveryAppliedPublicationToARespSubscriberBeforeClosingOnShutdown() throws Exception
    {
        final TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback().shutdownTimeoutMs(30_000)
            .respBind(new InetSocketAddress("127.0.0.1", 0)).build());
        final AtomicLong received = new AtomicLong();
        final List<Throwable> failures = new ArrayList<>();
        try (RespClient subscriber = new RespClient(broker.respAddress());
             RespClient publisher = new RespClient(broker.respAddress()))
        {
            assertEquals("*3\r\n$9\r\nsubscribe\r\n$14\r\nshutdown.topic\r\n:1\r\n", subscriber.call("SUBSCRIBE", "shutdown.topic"));
            final Thread reader = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        final String value = subscriber.read();
                        final String expected = message("shutdown.topic", Long.toString(received.get()));
                        if (!value.equals(expected))
                        {
                            throw new AssertionError("expected " + expected + " but got " + value);
                        }
                        received.incrementAndGet();
                    }
                }
                catch (final IOException endOfStream)
                {
                    // the broker closed the connection
                }
                catch (final Throwable t)
                {
                    failures.add(t);
                }
            });
            final AtomicLong acknowledged = new AtomicLong();
            final java.util.Set<String> refusals = java.util.concurrent.ConcurrentHashMap.newKeySet();
            final Thread flooder = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < 2_000_000; i += 200)
                    {
                        while (i - received.get() > 20_000 && reader.isAlive())
                        {
                            LockSupport.parkNanos(100_000);
                        }
                        final java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
                        for (int j = i; j < i + 200; j++)
                        {
                            batch.writeBytes(RespClient.encode("PUBLISH", "shutdown.topic", Integer.toString(j)));
                        }
                        publisher.sendRaw(batch.toByteArray());
                        for (int j = 0; j < 200; j++)
                        {
                            final String reply = publisher.read();
                            if (reply.startsWith(":"))
                            {
                                acknowledged.incrementAndGet();
                            }
                            else
                            {
                                refusals.add(reply);
                            }
                        }
                    }
                }
                catch (final IOException closedByShutdown)
                {
                    // expected: the broker stopped and closed us
                }
            });
            reader.start();
            flooder.start();
            while (received.get() < 5_000 && reader.isAlive())
            {
                Thread.sleep(5);
            }
            broker.close();
            reader.join(30_000);
            flooder.join(30_000);
            assertTrue(failures.isEmpty(), failures::toString);
            final long published = broker.engineCounters().published();
            assertEquals(published, received.get(), "every publication the engine applied reached the RESP subscriber");
            assertTrue(acknowledged.get() <= published, "no PUBLISH was acknowledged that was not applied: " + acknowledged.get() + " > "
                + published + "; other replies: " + refusals);
            assertTrue(published >= 5_000, "the flood was under way: " + published);
        }
        finally
        {
            broker.close();
        }
    }
}
