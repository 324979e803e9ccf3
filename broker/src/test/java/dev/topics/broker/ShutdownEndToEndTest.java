package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graceful shutdown while a publisher floods: nothing the engine accepted is lost. */
@ExtendWith(NettyLeakGuard.class)
class ShutdownEndToEndTest
{
    @Test
    void shouldDeliverEveryAcceptedPublicationBeforeClosing() throws Exception
    {
        // A shutdown timeout far above what the drain needs: this tests that nothing accepted is
        // lost, not how fast a reader that may be starved of CPU (busy CI) catches up; the
        // default 5 s ran out twice in 75 runs next to other builds, and the undelivered rest was
        // then dropped with the connection, as the timeout says it should be.
        final TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback().shutdownTimeoutMs(30_000).build());
        final AtomicLong received = new AtomicLong();
        final List<Throwable> failures = new ArrayList<>();
        try (LineClient subscriber = new LineClient(broker.address());
             LineClient publisher = new LineClient(broker.address()))
        {
            subscriber.send("SUB shutdown.topic");
            assertEquals("SUBSCRIBED shutdown.topic", subscriber.readLine());

            final Thread reader = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        final String line = subscriber.readLine();
                        final long expected = received.get();
                        if (!line.equals("UPDATED shutdown.topic " + expected))
                        {
                            throw new AssertionError("expected message " + expected + " but got " + line);
                        }
                        received.incrementAndGet();
                    }
                }
                catch (final IOException endOfStream)
                {
                    // the broker closed the connection: the end of this test's stream
                }
                catch (final Throwable t)
                {
                    failures.add(t);
                }
            });
            final Thread flooder = new Thread(() ->
            {
                try
                {
                    final StringBuilder batch = new StringBuilder();
                    for (int i = 0; i < 2_000_000; i++)
                    {
                        batch.append("PUB shutdown.topic ").append(i).append("\r\n");
                        if (i % 200 == 199)
                        {
                            // Stay at most 20,000 messages ahead of the reader: a test reader is
                            // slower than the broker, and one that falls --max-pending behind is
                            // rightly cut off as a slow consumer, which is another test.
                            while (i - received.get() > 20_000 && reader.isAlive())
                            {
                                LockSupport.parkNanos(100_000);
                            }
                            publisher.sendRaw(batch.toString());
                            batch.setLength(0);
                        }
                    }
                }
                catch (final IOException closedByShutdown)
                {
                    // expected: the broker stopped reading and closed us
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

            assertTrue(failures.isEmpty(), () -> failures.toString());
            final long published = broker.engineCounters().published();
            assertEquals(published, received.get(), "every publication the engine applied reached the subscriber");
            assertTrue(published >= 5_000, "the flood was under way: " + published);
            assertEquals(published, broker.engineCounters().delivered());
        }
        finally
        {
            broker.close();
        }
    }

    @Test
    void shouldAnswerShuttingDownToCommandsDuringShutdown() throws Exception
    {
        final TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback().shutdownTimeoutMs(2_000).build());
        try (LineClient client = new LineClient(broker.address()))
        {
            client.send("PING before");
            assertEquals("PONG before", client.readLine());
            final Thread closer = new Thread(broker::close);
            // Keep sending while the broker stops; every answer is either a normal one or the
            // shutting-down error, and the connection ends closed.
            closer.start();
            boolean sawShuttingDown = false;
            String ending = "no reply";
            try
            {
                for (int i = 0; i < 10_000 && !sawShuttingDown; i++)
                {
                    client.send("PING " + i);
                    final String reply = client.readLine();
                    sawShuttingDown = reply.startsWith("ERR shutting-down ");
                    assertTrue(sawShuttingDown || reply.equals("PONG " + i), reply);
                    ending = "last reply " + reply;
                }
            }
            catch (final IOException closed)
            {
                // closed between two pings: allowed, shutdown may be that quick
                ending = "closed: " + closed;
            }
            closer.join(10_000);
            final String how = ending;
            assertTrue(client.isClosedByServer(), () -> "every connection is closed at the end; " + how);
        }
        finally
        {
            broker.close();
        }
    }
}
