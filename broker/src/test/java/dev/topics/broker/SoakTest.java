package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded, minutes-long mixed load, outside the default test run: {@code mvn -B verify -Psoak
 * -Dsoak.minutes=2} (see docs/operations.md, "Soak test").
 *
 * <p>For {@code soak.minutes}: publishers publish with per-topic sequence numbers to subscribers
 * that check every message inline (none missing, none repeated, in order); churners connect,
 * subscribe, publish, GET and leave (half by TCP reset); a vandal sends garbage, over-long lines
 * and PINGs on one connection. At the end every subscriber must have received exactly what was
 * published to its topics, and STATS must be back to its baseline with no internal error.
 */
@Tag("soak")
@ExtendWith(NettyLeakGuard.class)
class SoakTest
{
    private static final int TOPICS = 3;
    private static final int PUBLISHERS = 2;
    private static final int SUBSCRIBERS = 3;
    private static final int CHURNERS = 2;
    private static final int BATCH = 100;
    /** How far a publisher may run ahead of the slowest subscriber, well under --max-pending. */
    private static final long MAX_LAG = 20_000;

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    @Test
    void shouldKeepEveryGuaranteeUnderMixedLoadForMinutes() throws Exception
    {
        final double minutes = Double.parseDouble(System.getProperty("soak.minutes", "2"));
        final long durationMs = (long)(minutes * 60_000);
        try (TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback().ioThreads(2).build());
             LineClient control = new LineClient(broker.address()))
        {
            final InetSocketAddress address = broker.address();
            for (int t = 0; t < TOPICS; t++)
            {
                control.send("PUB soak." + t + " start");
            }
            control.send("PUB soak.churn start");
            final Map<String, Long> baseline = StatsReader.awaitStats(control, 2_000, s -> s.get("topics") == TOPICS + 1, "topics created");
            final long heapBefore = usedHeapAfterGc();

            final Subscriber[] subscribers = new Subscriber[SUBSCRIBERS];
            for (int s = 0; s < SUBSCRIBERS; s++)
            {
                subscribers[s] = new Subscriber(address, s, new int[]{s % TOPICS, (s + 1) % TOPICS});
            }
            final Publisher[] publishers = new Publisher[PUBLISHERS];
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++)
            {
                publishers[p] = new Publisher(address, p, subscribers);
                threads.add(start("soak-publisher-" + p, publishers[p]::run));
            }
            final AtomicLong churnCycles = new AtomicLong();
            for (int c = 0; c < CHURNERS; c++)
            {
                final int churner = c;
                threads.add(start("soak-churner-" + c, () -> churn(address, churner, churnCycles)));
            }
            final AtomicLong vandalLines = new AtomicLong();
            threads.add(start("soak-vandal", () -> vandalise(address, vandalLines)));

            final long deadline = System.currentTimeMillis() + durationMs;
            while (System.currentTimeMillis() < deadline && failures.isEmpty())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            running = false;
            for (final Thread thread : threads)
            {
                thread.join(30_000);
                assertTrue(!thread.isAlive(), thread.getName() + " did not stop");
            }
            assertNoFailures();

            long published = 0;
            long delivered = 0;
            for (final Subscriber subscriber : subscribers)
            {
                subscriber.finish();
                assertNoFailures();
                for (final int topic : subscriber.topics)
                {
                    for (int p = 0; p < PUBLISHERS; p++)
                    {
                        assertEquals(publishers[p].sent.get(topic), subscriber.received.get(topic * PUBLISHERS + p),
                            "subscriber " + subscriber.id + ", topic soak." + topic + ", publisher " + p);
                        delivered += subscriber.received.get(topic * PUBLISHERS + p);
                    }
                }
            }
            for (final Publisher publisher : publishers)
            {
                for (int t = 0; t < TOPICS; t++)
                {
                    published += publisher.sent.get(t);
                }
            }

            final Map<String, Long> after = StatsReader.awaitStats(control, 10_000,
                s -> s.get("connections") == 1 && s.get("subscriptions") == 0 && s.get("topics").equals(baseline.get("topics")),
                "connections, subscriptions and topics back to the baseline " + baseline);
            final long heapAfter = usedHeapAfterGc();
            System.out.printf("soak: %.1f min, %d messages published by the checked publishers, %d deliveries checked in order,"
                    + " %d churn cycles, %d vandal lines; heap after GC %d MiB -> %d MiB, Netty direct memory %d KiB; STATS %s%n",
                minutes, published, delivered, churnCycles.get(), vandalLines.get(), heapBefore >> 20, heapAfter >> 20,
                PlatformDependent.usedDirectMemory() >> 10, after);
            assertEquals(after.get("protocol_errors"), after.get("errors"), "every error counted must be a protocol error, none internal");
            assertEquals(0L, after.get("slow_consumer_disconnects"), "publishers keep subscribers within reach: nobody is a slow consumer");
            assertTrue(published > 0 && churnCycles.get() > 0 && vandalLines.get() > 0, "every part of the load must have run");
            assertTrue(heapAfter < heapBefore + (256L << 20), "the heap must stay bounded");
        }
    }

    private void assertNoFailures()
    {
        if (!failures.isEmpty())
        {
            final AssertionError error = new AssertionError("soak load failed: " + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private Thread start(final String name, final Body body)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Throwable ex)
            {
                failures.add(new AssertionError(Thread.currentThread().getName() + ": " + ex, ex));
                running = false;
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static long usedHeapAfterGc()
    {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A long-lived subscriber whose reader thread checks every delivery as it arrives. */
    private final class Subscriber
    {
        final int id;
        final int[] topics;
        final LineClient client;
        /** Per (topic, publisher): messages received; also the next sequence number expected. */
        final AtomicLongArray received = new AtomicLongArray(TOPICS * PUBLISHERS);
        final Thread reader;

        Subscriber(final InetSocketAddress address, final int id, final int[] topics) throws IOException
        {
            this.id = id;
            this.topics = topics;
            this.client = new LineClient(address);
            for (final int topic : topics)
            {
                client.send("SUB soak." + topic);
                assertEquals("SUBSCRIBED soak." + topic, client.readLine());
            }
            reader = start("soak-subscriber-" + id, this::read);
        }

        private void read() throws IOException
        {
            String line;
            while (!(line = client.readLine()).equals("PONG end"))
            {
                // UPDATED soak.<topic> <publisher>.<sequence>
                final String[] parts = line.split(" ");
                assertTrue(parts.length == 3 && parts[0].equals("UPDATED") && parts[1].startsWith("soak."), line);
                final int topic = Integer.parseInt(parts[1].substring(5));
                final int dot = parts[2].indexOf('.');
                final int publisher = Integer.parseInt(parts[2].substring(0, dot));
                final long sequence = Long.parseLong(parts[2].substring(dot + 1));
                final int slot = topic * PUBLISHERS + publisher;
                assertEquals(received.get(slot), sequence, "subscriber " + id + " on soak." + topic + " from publisher " + publisher);
                received.incrementAndGet(slot);
            }
        }

        /** Ends the reader after everything already routed to this subscriber, then leaves. */
        void finish() throws Exception
        {
            client.send("PING end");
            reader.join(30_000);
            assertTrue(!reader.isAlive(), "subscriber " + id + " never got its last PONG");
            client.close();
        }
    }

    /** Publishes batches round-robin over the topics, each message numbered per topic. */
    private final class Publisher
    {
        final int id;
        final LineClient client;
        final Subscriber[] subscribers;
        final AtomicLongArray sent = new AtomicLongArray(TOPICS);

        Publisher(final InetSocketAddress address, final int id, final Subscriber[] subscribers) throws IOException
        {
            this.id = id;
            this.client = new LineClient(address);
            this.subscribers = subscribers;
        }

        void run() throws Exception
        {
            final StringBuilder batch = new StringBuilder();
            long batches = 0;
            while (running)
            {
                for (int i = 0; i < BATCH; i++)
                {
                    final int topic = i % TOPICS;
                    batch.append("PUB soak.").append(topic).append(' ').append(id).append('.').append(sent.get(topic)).append("\r\n");
                    sent.incrementAndGet(topic);
                }
                client.sendRaw(batch.toString());
                batch.setLength(0);
                client.send("PING " + batches);
                assertEquals("PONG " + batches, client.readLine());
                batches++;
                awaitSubscribers();
            }
            client.close();
        }

        /** Keeps the slowest subscriber within {@link #MAX_LAG} messages, so none is a slow consumer. */
        private void awaitSubscribers()
        {
            for (final Subscriber subscriber : subscribers)
            {
                for (final int topic : subscriber.topics)
                {
                    while (running && sent.get(topic) - subscriber.received.get(topic * PUBLISHERS + id) > MAX_LAG)
                    {
                        LockSupport.parkNanos(100_000);
                    }
                }
            }
        }
    }

    /** Connect, subscribe, sometimes publish, GET, leave; half the cycles by TCP reset. */
    private void churn(final InetSocketAddress address, final int churner, final AtomicLong cycles) throws IOException
    {
        final Random random = new Random(churner);
        for (long i = 0; running; i++)
        {
            final LineClient client = new LineClient(address);
            final String topic = "soak." + random.nextInt(TOPICS);
            final StringBuilder commands = new StringBuilder("SUB soak.churn\r\nSUB " + topic + "\r\n");
            if (random.nextBoolean())
            {
                commands.append("PUB soak.churn c").append(churner).append('.').append(i).append("\r\n");
            }
            commands.append("GET soak.churn\r\n");
            client.sendRaw(commands.toString());
            String line;
            while (!(line = client.readLine()).startsWith("VALUE soak.churn "))
            {
                assertTrue(line.startsWith("UPDATED ") || line.startsWith("SUBSCRIBED "), line);
            }
            if (i % 2 == 0)
            {
                client.reset();
            }
            else
            {
                client.close();
            }
            cycles.incrementAndGet();
        }
    }

    /** Garbage, binary and over-long lines on one connection, which must keep answering PINGs. */
    private void vandalise(final InetSocketAddress address, final AtomicLong lines) throws IOException
    {
        final Random random = new Random(42);
        final byte[] huge = new byte[BrokerConfig.MAX_LINE_BYTES_DEFAULT + 10];
        java.util.Arrays.fill(huge, (byte)'x');
        try (LineClient client = new LineClient(address))
        {
            for (long i = 0; running; i++)
            {
                final byte[] garbage = new byte[1 + random.nextInt(200)];
                random.nextBytes(garbage);
                for (int b = 0; b < garbage.length; b++)
                {
                    if (garbage[b] == '\n')
                    {
                        garbage[b] = 'n';
                    }
                }
                client.sendRaw(garbage);
                if (i % 500 == 0)
                {
                    client.sendRaw(huge);
                }
                client.sendRaw(("\nPING v" + i + "\n").getBytes(StandardCharsets.US_ASCII));
                final String pong = "PONG v" + i;
                String line;
                while (!(line = client.readLine()).equals(pong))
                {
                    final String reply = line;
                    assertTrue(reply.startsWith("ERR ") || line.startsWith("SUBSCRIBED ") || line.startsWith("UNSUBSCRIBED ")
                        || reply.startsWith("NOVALUE ") || reply.startsWith("VALUE ") || reply.startsWith("UPDATED ")
                        || reply.startsWith("PONG") || reply.startsWith("STATS ") || reply.startsWith("HELP ") || reply.equals("END"),
                        () -> "unexpected reply to garbage: " + reply);
                }
                lines.incrementAndGet();
            }
        }
    }
}
