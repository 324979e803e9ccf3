package dev.topics.broker.security;

import dev.topics.broker.TestBrokers;
import dev.topics.broker.TopicsBroker;
import dev.topics.testing.LineClient;
import dev.topics.transport.SecurityConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idle timeout end to end: a connection that sends nothing is closed like any disconnect (its
 * subscriptions released); one that keeps sending PING, for longer than the timeout, is not.
 */
class IdleTimeoutEndToEndTest
{
    // Twenty ping intervals: only a stall of the whole machine that long could close the active one.
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final long PING_INTERVAL_MS = 100;
    private static final long EVENTUALLY_MS = 10_000;

    @Test
    void shouldCloseAnIdleConnectionButNotOneThatPings() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback()
                .security(SecurityConfig.NONE.withIdleTimeout(IDLE_TIMEOUT))
                .build());
             LineClient idle = new LineClient(broker.address());
             LineClient active = new LineClient(broker.address()))
        {
            idle.sendRaw("SUB quiet\r\n");
            assertEquals("SUBSCRIBED quiet", idle.readLine());

            final AtomicReference<String> idleEnd = new AtomicReference<>();
            final Thread waiter = new Thread(() -> idleEnd.set(readUntilClosed(idle)), "idle-reader");
            waiter.start();
            // Keep the active one busy until the idle one was closed, then for one more timeout,
            // so the active one has certainly lived past the timeout.
            long closedAtMs = -1;
            long pings = 0;
            while (closedAtMs < 0 || System.currentTimeMillis() - closedAtMs < IDLE_TIMEOUT.toMillis() + 2 * PING_INTERVAL_MS)
            {
                // Pipelined, read afterwards: the client's activity must not wait on the server's
                // round trip, which a loaded machine can stretch.
                active.sendRaw("PING " + pings + "\r\n");
                pings++;
                Thread.sleep(PING_INTERVAL_MS);
                if (closedAtMs < 0 && !waiter.isAlive())
                {
                    closedAtMs = System.currentTimeMillis();
                }
                assertTrue(pings < EVENTUALLY_MS / PING_INTERVAL_MS, "the idle connection was never closed");
            }
            assertEquals("closed after: ", idleEnd.get());
            for (long i = 0; i < pings; i++)
            {
                assertEquals("PONG " + i, active.readLine());
            }
            assertEquals(1, AuthEndToEndTest.statsValue(active, "idle_closes"));
            assertSubscriptionsEventually(active, 0);
        }
    }

    /** {@code closed after: } and what came before the close, or the failure that ended the read. */
    private static String readUntilClosed(final LineClient client)
    {
        try
        {
            return "closed after: " + client.readUntilClosed();
        }
        catch (final Exception ex)
        {
            return ex.toString();
        }
    }

    /** The idle connection's DISCONNECT travels through the ring; wait until the engine has it. */
    private static void assertSubscriptionsEventually(final LineClient client, final long expected) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EVENTUALLY_MS);
        long subscriptions;
        while ((subscriptions = AuthEndToEndTest.statsValue(client, "subscriptions")) != expected && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(expected, subscriptions);
    }
}
