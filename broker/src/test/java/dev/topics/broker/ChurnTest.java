package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ten thousand connect, subscribe, disconnect cycles from several threads, half of them ending in
 * a TCP reset, while messages are still being delivered to the leaving connections: afterwards
 * the broker holds exactly what it held before (connections, subscriptions, topics), counted no
 * internal error, logged nothing at WARNING or above, and Netty reported no leak.
 */
@ExtendWith(NettyLeakGuard.class)
class ChurnTest
{
    private static final int CYCLES = 10_000;
    private static final int THREADS = 4;
    private static final String SHARED = "churn.shared";

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler warningRecorder = new Handler()
    {
        @Override
        public void publish(final LogRecord record)
        {
            if (record.getLevel().intValue() >= Level.WARNING.intValue())
            {
                warnings.add(record.getLoggerName() + ": " + record.getMessage()
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };

    @BeforeEach
    void recordWarnings()
    {
        Logger.getLogger("").addHandler(warningRecorder);
    }

    @AfterEach
    void stopRecording()
    {
        Logger.getLogger("").removeHandler(warningRecorder);
    }

    @Test
    @Timeout(120)
    void shouldReturnToBaselineAfterTenThousandConnectSubscribeDisconnectCycles() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback().ioThreads(2).build());
             LineClient control = new LineClient(broker.address()))
        {
            // The shared topic keeps a value, so it stays in the store across the churn.
            control.send("PUB " + SHARED + " baseline");
            final Map<String, Long> baseline = StatsReader.awaitStats(control, 1_000, s -> s.get("topics") == 1, "the shared topic exists");

            final long startNs = System.nanoTime();
            final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            final List<Future<int[]>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int thread = t;
                workers.add(pool.submit(() -> churn(broker.address(), thread)));
            }
            int resets = 0;
            int deliveriesSeen = 0;
            for (final Future<int[]> worker : workers)
            {
                final int[] counts = worker.get(90, TimeUnit.SECONDS);
                resets += counts[0];
                deliveriesSeen += counts[1];
            }
            pool.shutdown();
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

            final Map<String, Long> after = StatsReader.awaitStats(control, 10_000,
                s -> s.get("connections").equals(baseline.get("connections"))
                    && s.get("subscriptions").equals(baseline.get("subscriptions"))
                    && s.get("topics").equals(baseline.get("topics")),
                "connections, subscriptions and topics back to " + baseline);
            System.out.printf("churn: %d cycles (%d resets) in %d ms, %d deliveries seen by leaving clients; after: %s%n",
                CYCLES, resets, elapsedMs, deliveriesSeen, after);
            assertEquals(CYCLES / 2, resets);
            assertEquals(baseline.get("errors"), after.get("errors"), "no internal error may be counted");
            assertEquals(baseline.get("slow_consumer_disconnects"), after.get("slow_consumer_disconnects"),
                "a client that leaves is not a slow consumer");
            assertTrue(after.get("published") > baseline.get("published"), "the churn must publish while clients leave");
            assertTrue(warnings.isEmpty(), () -> warnings.size() + " lines logged at WARNING or above, none expected; first: "
                + warnings.subList(0, Math.min(3, warnings.size())));
        }
    }

    /**
     * One thread's share of the cycles: connect, subscribe to the shared topic and a topic of its
     * own, sometimes publish to the shared topic (so leaving clients have deliveries in flight),
     * wait for the second SUBSCRIBED, then close, every other cycle with a reset.
     */
    private static int[] churn(final InetSocketAddress address, final int thread) throws IOException
    {
        int resets = 0;
        int deliveries = 0;
        for (int i = thread; i < CYCLES; i += THREADS)
        {
            final LineClient client = new LineClient(address);
            final String own = "churn." + thread + "." + (i % 64);
            final StringBuilder commands = new StringBuilder("SUB " + SHARED + "\r\nSUB " + own + "\r\n");
            if (i % 4 == 0)
            {
                commands.append("PUB " + SHARED + " from-").append(i).append("\r\n");
            }
            client.sendRaw(commands.toString());
            String line;
            while (!(line = client.readLine()).equals("SUBSCRIBED " + own))
            {
                if (line.startsWith("UPDATED " + SHARED + " "))
                {
                    deliveries++;
                }
                else
                {
                    assertEquals("SUBSCRIBED " + SHARED, line);
                }
            }
            if (i % 2 == 0)
            {
                client.reset();
                resets++;
            }
            else
            {
                client.close();
            }
        }
        return new int[]{resets, deliveries};
    }
}
