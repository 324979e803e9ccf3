package dev.topics.broker;

import dev.topics.broker.engine.Retention;
import dev.topics.broker.engine.WhenFull;
import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --max-memory} against a hostile client, over real sockets: a flood of large values to
 * new topics is refused with {@code ERR out-of-memory} while every other client is still served,
 * and nothing is ever found by an {@code OutOfMemoryError} (no warning with a stack trace).
 */
@ExtendWith(NettyLeakGuard.class)
class MemoryBudgetEndToEndTest
{
    static final long MIB = 1024 * 1024;
    private static final int VALUE_BYTES = 256 * 1024;
    private static final int FLOOD_TOPICS = 1_500;

    private final WarningRecorder warnings = new WarningRecorder();

    @BeforeEach
    void recordWarnings()
    {
        warnings.attach();
    }

    @AfterEach
    void stopRecording()
    {
        warnings.detach();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    static BrokerConfig.Builder withBudget(final long maxMemoryBytes)
    {
        return TestBrokers.loopback().maxMemoryBytes(maxMemoryBytes);
    }

    @Test
    @Timeout(120)
    void shouldRefuseAFloodOfLargeValuesWhileOtherClientsAreServed() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(withBudget(64 * MIB).build());
             LineClient flooder = new LineClient(broker.address());
             LineClient other = new LineClient(broker.address()))
        {
            other.send("SUB ctl");
            assertEquals("SUBSCRIBED ctl", other.readLine());
            other.send("PUB ctl before");
            assertEquals("UPDATED ctl before", other.readLine());

            final CompletableFuture<Integer> refusals = CompletableFuture.supplyAsync(() -> readRefusals(flooder));
            final String value = "v".repeat(VALUE_BYTES);
            for (int i = 0; i < FLOOD_TOPICS; i++)
            {
                flooder.sendRaw(("PUB mem." + i + " " + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            flooder.send("PING flooded");
            final int refused = refusals.get(90, TimeUnit.SECONDS);

            // The flooder was refused, not disconnected; it can still talk.
            assertTrue(refused > FLOOD_TOPICS / 2, "most of the flood is refused: " + refused);
            flooder.send("PING still");
            assertEquals("PONG still", flooder.readLine());

            // Another client: a value that stores no more than the one it replaces still goes
            // through and is delivered; GET, PING and STATS are served; a new large value is refused.
            other.send("PUB ctl after!");
            assertEquals("UPDATED ctl after!", other.readLine());
            other.send("GET ctl");
            assertEquals("VALUE ctl after!", other.readLine());
            other.send("GET mem.0");
            assertEquals("VALUE mem.0 " + value, other.readLine(), "the first values were stored");
            // The flood's own input and frames took room while it ran: a few more values may fit
            // now, but not many (each is 1/256 of the budget).
            String reply = "";
            for (int i = 0; i < 64 && !reply.startsWith("ERR "); i++)
            {
                other.send("PUB fresh." + i + " " + value + "\r\nPING fresh." + i);
                reply = other.readLine();
                if (reply.startsWith("ERR "))
                {
                    assertEquals("PONG fresh." + i, other.readLine());
                }
            }
            assertTrue(reply.startsWith("ERR out-of-memory "), "a value that would store more is refused: " + reply);
            other.send("PING alive");
            assertEquals("PONG alive", other.readLine());

            final Map<String, Long> stats = StatsReader.read(other);
            System.out.printf("flood of %d x %d KiB under --max-memory 64m: %d refused; memory_used=%d memory_max=%d "
                + "oom_refusals=%d topics=%d%n", FLOOD_TOPICS, VALUE_BYTES / 1024, refused, stats.get("memory_used"),
                stats.get("memory_max"), stats.get("oom_refusals"), stats.get("topics"));
            assertEquals(64 * MIB, stats.get("memory_max"));
            assertTrue(stats.get("memory_used") <= stats.get("memory_max"), stats::toString);
            assertTrue(stats.get("oom_refusals") >= refused + 1, stats::toString);
            assertEquals(0, stats.get("memory_cuts"), "nobody held enough to be cut: " + stats);
            assertEquals(2, stats.get("connections"));
            assertEquals(List.of(), warnings.withStackTraces());
        }
    }

    @Test
    @Timeout(120)
    void shouldCutConnectionsHoldingTheLargestIncompleteLinesFirst() throws Exception
    {
        final int connections = 2_000;
        final int lineBytes = 100 * 1024;
        try (TopicsBroker broker = TopicsBroker.launch(withBudget(64 * MIB).maxConnections(connections + 10).build());
             LineClient control = new LineClient(broker.address()))
        {
            final List<Socket> holders = new ArrayList<>();
            try
            {
                // Each sends most of a line and stops: the broker must hold it until its end comes.
                final byte[] start = ("PING " + "x".repeat(lineBytes)).getBytes(StandardCharsets.US_ASCII);
                // One larger than the rest: it must be among the first cut.
                final byte[] largest = ("PING " + "x".repeat(4 * lineBytes)).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < connections; i++)
                {
                    final Socket socket = new Socket(broker.address().getAddress(), broker.address().getPort());
                    socket.setSoTimeout(LineClient.TIMEOUT_MS);
                    holders.add(socket);
                    socket.getOutputStream().write(i == connections / 2 ? largest : start);
                }
                StatsReader.awaitStats(control, 30_000,
                    s -> s.get("memory_cuts") > 0 && s.get("memory_used") < s.get("memory_max"),
                    "connections cut and memory back under the budget");
                control.send("PING alive");
                assertEquals("PONG alive", control.readLine());
                assertTrue(readsCut(holders.get(connections / 2)), "the largest incomplete line was cut");

                // Those left finish their line and are answered; the rest were told why they were cut.
                int answered = 0;
                int cut = 0;
                for (final Socket socket : holders)
                {
                    try
                    {
                        socket.getOutputStream().write(new byte[]{'\r', '\n'});
                    }
                    catch (final IOException closedByTheBroker)
                    {
                        // cut: counted below
                    }
                }
                for (final Socket socket : holders)
                {
                    if (readsCut(socket))
                    {
                        cut++;
                    }
                    else
                    {
                        answered++;
                    }
                }
                final Map<String, Long> after = StatsReader.read(control);
                System.out.printf("%d connections x %d KiB incomplete lines under --max-memory 64m: %d cut, %d answered; "
                    + "memory_used=%d memory_cuts=%d oom_refusals=%d%n", connections, lineBytes / 1024, cut, answered,
                    after.get("memory_used"), after.get("memory_cuts"), after.get("oom_refusals"));
                assertTrue(cut > 0 && answered > 0, "some were cut, the rest served: " + cut + " cut, " + answered + " answered");
                assertEquals(cut, after.get("memory_cuts"), after::toString);
                assertEquals(List.of(), warnings.withStackTraces());
                assertEquals(cut, warnings.containing("cut for memory").size());
            }
            finally
            {
                for (final Socket socket : holders)
                {
                    socket.close();
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldCutSubscribersThatStopReadingAndCarryOn() throws Exception
    {
        // Paranoid leak detection records a stack trace per buffer access: too slow for a million
        // deliveries. A leak per message would still be reported (FloodTest does the same).
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.ADVANCED);
        final int subscribers = 200;
        // A --max-pending of 2 MiB cuts the last few, for whom 64 MiB would take 30 MiB each.
        try (TopicsBroker broker = TopicsBroker.launch(withBudget(64 * MIB).maxPendingBytes(2 * (int)MIB).build());
             LineClient publisher = new LineClient(broker.address());
             LineClient control = new LineClient(broker.address()))
        {
            final List<Socket> slow = new ArrayList<>();
            try
            {
                for (int i = 0; i < subscribers; i++)
                {
                    final Socket socket = new Socket();
                    socket.setReceiveBufferSize(4 * 1024);
                    socket.connect(broker.address());
                    slow.add(socket);
                    socket.getOutputStream().write("SUB fan\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                StatsReader.awaitStats(control, 30_000, s -> s.get("subscriptions") == subscribers, "all subscribed");
                // None of them reads from here on. Copied deliveries (under 256 bytes) make each
                // subscriber's pending output memory of its own.
                // The publisher reads its replies each round, as a client must (one that does not
                // would hold pending output of its own, and could be the largest holder cut).
                final String message = "m".repeat(200);
                final StringBuilder batch = new StringBuilder();
                Map<String, Long> stats = StatsReader.read(control);
                int refused = 0;
                for (int round = 0; round < 2_000 && stats.get("connections") > 2; round++)
                {
                    for (int i = 0; i < 100; i++)
                    {
                        batch.append("PUB fan ").append(message).append("\r\n");
                    }
                    publisher.sendRaw(batch.append("PING ").append(round).append("\r\n").toString());
                    batch.setLength(0);
                    refused += readRefusals(publisher, "PONG " + round);
                    stats = StatsReader.read(control);
                }
                stats = StatsReader.awaitStats(control, 30_000, s -> s.get("connections") == 2, "every slow subscriber cut");
                System.out.printf("%d subscribers stopped reading under --max-memory 64m: memory_cuts=%d "
                    + "slow_consumer_disconnects=%d, %d PUBs refused meanwhile; memory_used=%d%n", subscribers,
                    stats.get("memory_cuts"), stats.get("slow_consumer_disconnects"), refused, stats.get("memory_used"));
                assertEquals(subscribers, stats.get("memory_cuts") + stats.get("slow_consumer_disconnects"), stats::toString);
                assertTrue(stats.get("memory_cuts") > 0, stats::toString);
                publisher.send("SUB fan");
                assertEquals("SUBSCRIBED fan", publisher.readLine());
                publisher.send("PUB fan carried-on");
                assertEquals("UPDATED fan carried-on", publisher.readLine(), "the broker carries on");
                assertTrue(StatsReader.read(control).get("memory_used") <= 64 * MIB);
                assertEquals(List.of(), warnings.withStackTraces());
            }
            finally
            {
                for (final Socket socket : slow)
                {
                    socket.close();
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldKeepNoValuesWithoutRetention() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(withBudget(64 * MIB).retention(Retention.NONE).build());
             LineClient client = new LineClient(broker.address()))
        {
            client.send("SUB a");
            assertEquals("SUBSCRIBED a", client.readLine());
            client.send("PUB a 1");
            assertEquals("UPDATED a 1", client.readLine(), "fan-out is unchanged");
            client.send("GET a");
            assertEquals("NOVALUE a", client.readLine());

            final String value = "v".repeat(VALUE_BYTES);
            for (int i = 0; i < 400; i++)
            {
                client.sendRaw(("PUB none." + i + " " + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            client.send("PING flooded");
            assertEquals(0, readRefusals(client), "100 MiB of values to new topics store nothing, so nothing is refused");
            client.send("GET none.0");
            assertEquals("NOVALUE none.0", client.readLine());
            final Map<String, Long> stats = StatsReader.read(client);
            assertEquals(1, stats.get("topics"), "only the subscribed topic is kept: " + stats);
            assertEquals(401, stats.get("published"));
        }
    }

    @Test
    @Timeout(60)
    void shouldEvictTheLeastRecentlyPublishedValuesOfTopicsNobodySubscribesTo() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(withBudget(64 * MIB).whenFull(WhenFull.EVICT).build());
             LineClient client = new LineClient(broker.address()))
        {
            final String value = "v".repeat(VALUE_BYTES);
            client.send("SUB kept");
            assertEquals("SUBSCRIBED kept", client.readLine());
            client.send("PUB kept " + value);
            assertEquals("UPDATED kept " + value, client.readLine());
            final int topics = 400;
            for (int i = 0; i < topics; i++)
            {
                client.sendRaw(("PUB mem." + i + " " + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            client.send("PING flooded");
            // The flood's own input may still fill the reserve now and then: those PUBs are refused.
            final int refused = readRefusals(client);
            client.send("GET kept");
            assertEquals("VALUE kept " + value, client.readLine(), "a subscribed topic's value is never evicted");
            client.send("GET mem.0");
            assertEquals("NOVALUE mem.0", client.readLine(), "the oldest went first");
            final Map<String, Long> stats = StatsReader.read(client);
            System.out.printf("%d x %d KiB values with --when-full evict under 64m: %d refused, evictions=%d topics=%d "
                + "memory_used=%d%n", topics, VALUE_BYTES / 1024, refused, stats.get("evictions"), stats.get("topics"),
                stats.get("memory_used"));
            assertTrue(refused < topics / 4, "most are stored by evicting older ones: " + refused + " refused");
            assertTrue(stats.get("evictions") >= topics / 4, stats::toString);
            assertEquals(stats.get("topics") + stats.get("evictions") + refused, topics + 1L, "an evicted topic is forgotten");
            assertTrue(stats.get("memory_used") <= 64 * MIB, stats::toString);
        }
    }

    /** Whether the broker closed {@code socket} after telling it ERR out-of-memory (or just closing). */
    private static boolean readsCut(final Socket socket) throws IOException
    {
        final byte[] buffer = new byte[64 * 1024];
        final StringBuilder head = new StringBuilder();
        try
        {
            int read;
            while ((read = socket.getInputStream().read(buffer)) >= 0)
            {
                head.append(new String(buffer, 0, Math.min(read, 40), StandardCharsets.US_ASCII));
                if (buffer[read - 1] == '\n')
                {
                    break;
                }
            }
            if (read < 0)
            {
                return true;
            }
        }
        catch (final java.net.SocketException reset)
        {
            return true;
        }
        if (head.toString().startsWith("ERR out-of-memory "))
        {
            return true;
        }
        assertTrue(head.toString().startsWith("PONG xxx"), () -> "a survivor is answered: " + head);
        return false;
    }

    /** Reads the flooder's replies up to its PONG; returns how many were ERR out-of-memory. */
    private static int readRefusals(final LineClient flooder)
    {
        return readRefusals(flooder, "PONG flooded");
    }

    /** Reads replies up to {@code last}; returns how many were ERR out-of-memory, failing on anything else. */
    private static int readRefusals(final LineClient flooder, final String last)
    {
        try
        {
            int refused = 0;
            String line;
            while (!(line = flooder.readLine()).equals(last))
            {
                if (!line.startsWith("ERR out-of-memory "))
                {
                    throw new AssertionError("the flooder got " + line.substring(0, Math.min(80, line.length())));
                }
                refused++;
            }
            return refused;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
