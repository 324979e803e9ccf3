package dev.topics.broker;

import dev.topics.testing.LineClient;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up warm-up: bounded, leaves nothing behind, never touches the real broker. */
class WarmupTest
{
    @Test
    void shouldReturnWithinItsBudgetAndLeaveNoThreadBehind() throws Exception
    {
        final long startNs = System.nanoTime();
        final long published = Warmup.run(TestBrokers.loopback(), 200);
        final long tookMs = (System.nanoTime() - startNs) / 1_000_000;

        assertTrue(published > 0, "some messages went through");
        // The budget bounds the driving; launching and closing the throwaway broker come on top.
        assertTrue(tookMs < 5_000, "returned after " + tookMs + " ms");
        awaitNoBrokerThreads();
    }

    @Test
    void shouldLeaveTheRealBrokersTopicsConnectionsAndStatsUntouched() throws Exception
    {
        Warmup.run(TestBrokers.loopback(), 200);
        try (TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback().build());
             LineClient client = new LineClient(broker.address()))
        {
            final Map<String, Long> stats = StatsReader.read(client);
            assertEquals(0L, stats.get("published"), stats::toString);
            assertEquals(0L, stats.get("delivered"), stats::toString);
            assertEquals(0L, stats.get("topics"), stats::toString);
            assertEquals(1L, stats.get("connections"), stats::toString);
            client.send("GET warmup-one");
            assertEquals("NOVALUE warmup-one", client.readLine());
        }
    }

    @Test
    void shouldAuthenticateWhenTheBrokerHasAToken()
    {
        final BrokerConfig.Builder settings = TestBrokers.loopback()
            .security(BrokerConfig.SECURITY_DEFAULT.withAuthToken("s3cret"));
        assertTrue(Warmup.run(settings, 200) > 0, "warmed up through the auth gate");
    }

    @Test
    void shouldDoNothingWhenOff()
    {
        assertEquals(0, Warmup.run(TestBrokers.loopback(), 0));
    }

    @Test
    void shouldNotFailTheStartWhenTheThrowawayBrokerCannotLaunch()
    {
        // An invalid setting makes the throwaway's configuration fail: logged, and zero returned.
        assertEquals(0, Warmup.run(TestBrokers.loopback().inboundRingSize(3), 200));
    }

    @Test
    void shouldReadTheWarmupOption()
    {
        final Main main = new Main();
        Main.commandLine(main).parseArgs();
        assertEquals(BrokerConfig.WARMUP_SECONDS_DEFAULT, main.config().warmupSeconds());
        Main.commandLine(main).parseArgs("--warmup", "0");
        assertEquals(0, main.config().warmupSeconds());
    }

    private static void awaitNoBrokerThreads() throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 5_000;
        String[] left;
        do
        {
            left = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("topics-"))
                .toArray(String[]::new);
            if (left.length == 0)
            {
                return;
            }
            Thread.sleep(20);
        }
        while (System.currentTimeMillis() < deadline);
        throw new AssertionError("threads left behind: " + Arrays.toString(left));
    }
}
