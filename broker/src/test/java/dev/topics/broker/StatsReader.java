package dev.topics.broker;

import dev.topics.testing.LineClient;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Reads {@code STATS} through a client as a map of counters. Used by one test thread. */
final class StatsReader
{
    private StatsReader()
    {
    }

    static Map<String, Long> read(final LineClient client) throws IOException
    {
        client.send("STATS");
        final String line = client.readLine();
        assertTrue(line.startsWith("STATS "), () -> "not a STATS line: " + line);
        final Map<String, Long> stats = new HashMap<>();
        for (final String pair : line.substring(6).split(" "))
        {
            final int eq = pair.indexOf('=');
            if (eq > 0)
            {
                try
                {
                    stats.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                }
                catch (final NumberFormatException ignored)
                {
                    // Not a counter (for example a latency with a unit); the tests here need none.
                }
            }
        }
        return stats;
    }

    /**
     * Polls STATS until {@code condition} holds or {@code timeoutMs} passes: connection events
     * reach the engine asynchronously, so counters settle shortly after the sockets close.
     */
    static Map<String, Long> awaitStats(final LineClient client, final long timeoutMs, final Predicate<Map<String, Long>> condition,
        final String what) throws IOException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        Map<String, Long> stats;
        do
        {
            stats = read(client);
            if (condition.test(stats))
            {
                return stats;
            }
            Thread.onSpinWait();
        }
        while (System.currentTimeMillis() < deadline);
        fail(what + " within " + timeoutMs + " ms; last STATS: " + stats);
        return stats;
    }
}
