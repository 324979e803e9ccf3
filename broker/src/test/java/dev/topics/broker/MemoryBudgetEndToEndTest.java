package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
            other.send("PUB fresh.topic " + value);
            assertTrue(other.readLine().startsWith("ERR out-of-memory "), "a value that would store more is refused");
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

    /** Reads the flooder's replies up to its PONG; returns how many were ERR out-of-memory. */
    private static int readRefusals(final LineClient flooder)
    {
        try
        {
            int refused = 0;
            String line;
            while (!(line = flooder.readLine()).equals("PONG flooded"))
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
