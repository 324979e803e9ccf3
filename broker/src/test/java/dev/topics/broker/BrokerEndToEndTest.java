package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real broker on a real loopback socket (port 0), launched through the same path as main,
 * asserting the exact bytes a client receives.
 */
@ExtendWith(NettyLeakGuard.class)
class BrokerEndToEndTest
{
    private static TopicsBroker broker;

    @BeforeAll
    static void launch() throws InterruptedException
    {
        broker = TopicsBroker.launch(TestBrokers.loopback().build());
    }

    @AfterAll
    static void stop()
    {
        broker.close();
    }

    private static LineClient connect() throws IOException
    {
        return new LineClient(broker.address());
    }

    @Test
    void shouldAnswerEveryCommandWithCrlfLines() throws IOException
    {
        try (LineClient client = connect())
        {
            client.send("SUB e2e.every");
            assertEquals("SUBSCRIBED e2e.every", client.readLine());
            client.send("PUB e2e.every hello world");
            assertEquals("UPDATED e2e.every hello world", client.readLine());
            client.send("GET e2e.every");
            assertEquals("VALUE e2e.every hello world", client.readLine());
            client.send("GET e2e.nothing");
            assertEquals("NOVALUE e2e.nothing", client.readLine());
            client.send("PING");
            assertEquals("PONG", client.readLine());
            client.send("PING some token");
            assertEquals("PONG some token", client.readLine());
            client.send("UNSUB e2e.every");
            assertEquals("UNSUBSCRIBED e2e.every", client.readLine());
            client.send("STATS");
            assertTrue(client.readLine().matches("STATS connections=\\d+ topics=\\d+ subscriptions=\\d+ patterns=\\d+ published=\\d+ delivered=\\d+ errors=\\d+ .*"));
            client.send("HELP");
            String line;
            int helpLines = 0;
            while (!(line = client.readLine()).equals("END"))
            {
                assertTrue(line.startsWith("HELP "), line);
                helpLines++;
            }
            assertTrue(helpLines >= 8, "HELP lists every command");
            client.send("BOGUS");
            assertEquals("ERR unknown-command unknown command, try HELP", client.readLine());
            client.send("QUIT");
            assertEquals("BYE", client.readLine());
            assertTrue(client.isClosedByServer());
        }
    }

    @Test
    void shouldAcceptLfOrCrlfAndVerbsInAnyCase() throws IOException
    {
        try (LineClient client = connect())
        {
            client.sendRaw("sub e2e.case\nPuB e2e.case a\r\n\r\n\nPing x\n");
            assertEquals("SUBSCRIBED e2e.case", client.readLine());
            assertEquals("UPDATED e2e.case a", client.readLine());
            assertEquals("PONG x", client.readLine());
        }
    }

    @Test
    void shouldDeliverMessageBytesUntouched() throws IOException
    {
        try (LineClient subscriber = connect(); LineClient publisher = connect())
        {
            subscriber.send("SUB e2e.bytes");
            assertEquals("SUBSCRIBED e2e.bytes", subscriber.readLine());
            final String message = "  héllo\twörld 🙂  ";
            publisher.send("PUB e2e.bytes " + message);
            assertEquals("UPDATED e2e.bytes " + message, subscriber.readLine());

            final byte[] binary = {'P', 'U', 'B', ' ', 'b', ' ', 0, 1, (byte)0xFF, (byte)0xFE, 0x7F, '\n'};
            subscriber.sendRaw("UNSUB e2e.bytes\nSUB b\n");
            assertEquals("UNSUBSCRIBED e2e.bytes", subscriber.readLine());
            assertEquals("SUBSCRIBED b", subscriber.readLine());
            publisher.sendRaw(binary);
            assertArrayEquals(new byte[]{'U', 'P', 'D', 'A', 'T', 'E', 'D', ' ', 'b', ' ', 0, 1, (byte)0xFF, (byte)0xFE, 0x7F, '\r', '\n'},
                subscriber.readLineBytes());
        }
    }

    @Test
    void shouldAnswerGarbageWithErrorsAndKeepEveryoneConnected() throws IOException
    {
        try (LineClient bystander = connect(); LineClient vandal = connect())
        {
            bystander.send("SUB e2e.garbage");
            assertEquals("SUBSCRIBED e2e.garbage", bystander.readLine());
            vandal.sendRaw(new byte[]{0, 0, (byte)0xC3, (byte)0x28, 1, 2, 3, '\n'});
            assertEquals("ERR unknown-command unknown command, try HELP", vandal.readLine());
            vandal.send("SUB");
            assertTrue(vandal.readLine().startsWith("ERR missing-topic "));
            vandal.send("SUB two words");
            assertTrue(vandal.readLine().startsWith("ERR bad-topic "));
            vandal.send("SUB " + "t".repeat(257));
            assertTrue(vandal.readLine().startsWith("ERR bad-topic "));
            vandal.send("PUB e2e.garbage still fine");
            assertEquals("UPDATED e2e.garbage still fine", bystander.readLine());
        }
    }

    @Test
    void shouldRejectOverlongLineAndStayUsable() throws IOException
    {
        try (LineClient client = connect())
        {
            final byte[] huge = new byte[BrokerConfig.MAX_LINE_BYTES_DEFAULT + 100];
            java.util.Arrays.fill(huge, (byte)'x');
            client.sendRaw("PUB e2e.huge ").sendRaw(huge).sendRaw("\r\nPING after\r\n");
            assertTrue(client.readLine().startsWith("ERR line-too-long "));
            assertEquals("PONG after", client.readLine());
            client.send("GET e2e.huge");
            assertEquals("NOVALUE e2e.huge", client.readLine(), "nothing of the over-long line was applied");
        }
    }

    @Test
    void shouldAnswerPingOnlyAfterEarlierCommandsTookEffect() throws IOException
    {
        try (LineClient client = connect())
        {
            final StringBuilder burst = new StringBuilder("SUB e2e.ping\r\n");
            for (int i = 0; i < 500; i++)
            {
                burst.append("PUB e2e.ping ").append(i).append("\r\n");
            }
            client.sendRaw(burst.append("PING done\r\n").toString());
            assertEquals("SUBSCRIBED e2e.ping", client.readLine());
            for (int i = 0; i < 500; i++)
            {
                assertEquals("UPDATED e2e.ping " + i, client.readLine());
            }
            assertEquals("PONG done", client.readLine());
        }
    }

    @Test
    void shouldDeliverOneOrderToAllSubscribersAndKeepEachPublishersOrder() throws Exception
    {
        final int publishers = 4;
        final int messagesEach = 2_000;
        final int subscribers = 3;
        final List<LineClient> subs = new ArrayList<>();
        try
        {
            for (int i = 0; i < subscribers; i++)
            {
                final LineClient sub = connect();
                subs.add(sub);
                sub.send("SUB e2e.order");
                assertEquals("SUBSCRIBED e2e.order", sub.readLine());
            }
            final List<List<String>> received = new ArrayList<>();
            final List<Thread> readers = new ArrayList<>();
            final List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (final LineClient sub : subs)
            {
                final List<String> lines = new ArrayList<>();
                received.add(lines);
                readers.add(start(() ->
                {
                    for (int n = 0; n < publishers * messagesEach; n++)
                    {
                        lines.add(sub.readLine());
                    }
                }, failures));
            }
            final List<Thread> writers = new ArrayList<>();
            for (int p = 0; p < publishers; p++)
            {
                final int publisher = p;
                writers.add(start(() ->
                {
                    try (LineClient pub = connect())
                    {
                        final StringBuilder batch = new StringBuilder();
                        for (int seq = 0; seq < messagesEach; seq++)
                        {
                            batch.append("PUB e2e.order ").append(publisher).append(' ').append(seq).append("\r\n");
                            if (seq % 100 == 99)
                            {
                                pub.sendRaw(batch.toString());
                                batch.setLength(0);
                            }
                        }
                        pub.send("PING");
                        assertEquals("PONG", pub.readLine());
                    }
                }, failures));
            }
            for (final Thread t : writers)
            {
                t.join(30_000);
            }
            for (final Thread t : readers)
            {
                t.join(30_000);
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            for (final List<String> lines : received)
            {
                assertEquals(received.get(0), lines, "every subscriber sees the same order");
            }
            final int[] next = new int[publishers];
            for (final String line : received.get(0))
            {
                final String[] words = line.split(" ");
                final int publisher = Integer.parseInt(words[2]);
                assertEquals(next[publisher]++, Integer.parseInt(words[3]), "publisher order kept: " + line);
            }
            for (int p = 0; p < publishers; p++)
            {
                assertEquals(messagesEach, next[p], "nothing lost from publisher " + p);
            }
        }
        finally
        {
            for (final LineClient sub : subs)
            {
                sub.close();
            }
        }
    }

    @Test
    void shouldLeaveNothingBehindWhenClientsVanish() throws Exception
    {
        final Map<String, Long> before;
        try (LineClient observer = connect())
        {
            before = stats(observer);
            final List<LineClient> clients = new ArrayList<>();
            for (int i = 0; i < 300; i++)
            {
                final LineClient client = connect();
                clients.add(client);
                client.sendRaw("SUB e2e.churn.shared\r\nSUB e2e.churn." + i + "\r\nPUB e2e.churn.x y\r\n");
            }
            for (final LineClient client : clients)
            {
                assertTrue(client.readLine().startsWith("SUBSCRIBED "));
            }
            for (int i = 0; i < clients.size(); i++)
            {
                if (i % 2 == 0)
                {
                    clients.get(i).reset();
                }
                else
                {
                    clients.get(i).close();
                }
            }
            Map<String, Long> after = stats(observer);
            for (int attempt = 0; attempt < 200 && after.get("connections") > before.get("connections"); attempt++)
            {
                Thread.sleep(25);
                after = stats(observer);
            }
            assertEquals(before.get("connections"), after.get("connections"));
            assertEquals(before.get("subscriptions"), after.get("subscriptions"));
            assertEquals(before.get("topics") + 1, after.get("topics"),
                "of the 302 topics used, only e2e.churn.x remains: it holds a latest value");
        }
    }

    static Map<String, Long> stats(final LineClient client) throws IOException
    {
        client.send("STATS");
        final String line = client.readLine();
        assertTrue(line.startsWith("STATS "), line);
        final Map<String, Long> values = new HashMap<>();
        for (final String pair : line.substring(6).split(" "))
        {
            final int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return values;
    }

    interface Body
    {
        void run() throws Exception;
    }

    private static Thread start(final Body body, final List<Throwable> failures)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Throwable t)
            {
                failures.add(t);
            }
        });
        thread.start();
        return thread;
    }
}
