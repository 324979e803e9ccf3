package dev.topics.broker;

import dev.topics.testing.LineClient;
import io.aeron.CommonContext;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three broker processes started the README way ({@code bin/topics}), one killed with SIGKILL in
 * the middle of a stream of publications: the survivors notice within the timeout, their
 * subscribers keep receiving with nothing duplicated or reordered, the dead node's Aeron directory
 * is left behind and cleared when it starts again, and a graceful stop removes it. Runs after
 * package (failsafe), so the jar is built.
 */
class ClusterKillIT
{
    private static final Pattern LISTENING = Pattern.compile("topics listening on 127\\.0\\.0\\.1:(\\d+) .*cluster node (\\d) of 3.*");
    private static final int TOPICS = 12;
    private static final long TIMEOUT_MS = 1_000;

    private final int[] udpPorts = new int[4];
    private final int[] tcpPorts = new int[4];
    private final Process[] processes = new Process[4];

    @Test
    void survivorsKeepDeliveringInOrderAfterAKillNine() throws Exception
    {
        for (int id = 1; id <= 3; id++)
        {
            udpPorts[id] = ClusterNodes.freeUdpPort();
            tcpPorts[id] = freeTcpPort();
        }
        try
        {
            for (int id = 1; id <= 3; id++)
            {
                start(id);
            }
            for (int id = 1; id <= 3; id++)
            {
                awaitUp(id, 3);
            }
            try (LineClient sub2 = client(2); LineClient sub3 = client(3); LineClient publisher = client(2))
            {
                for (final LineClient sub : List.of(sub2, sub3))
                {
                    for (int t = 0; t < TOPICS; t++)
                    {
                        sub.send("SUB k" + t);
                        assertEquals("SUBSCRIBED k" + t, sub.readLine());
                    }
                }
                Thread.sleep(200); // interest spreads in about one hop; earlier messages may go nowhere
                final AtomicBoolean publishing = new AtomicBoolean(true);
                final long[] published = new long[1];
                final Thread pub = new Thread(() -> publish(publisher, publishing, published), "publisher");
                pub.start();
                Thread.sleep(1_000);
                final Path deadDir = aeronDir(1);
                assertTrue(Files.isDirectory(deadDir), "node 1 keeps its Aeron files in " + deadDir);
                processes[1].destroyForcibly(); // SIGKILL: bin/topics execs java
                assertTrue(processes[1].waitFor(10, TimeUnit.SECONDS));
                final long killedNs = System.nanoTime();
                awaitUp(2, 2);
                awaitUp(3, 2);
                final long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
                assertTrue(noticedMs <= 2 * TIMEOUT_MS + 1_000, "survivors noticed within the timeout: " + noticedMs + " ms");
                assertTrue(Files.isDirectory(deadDir), "a kill -9 leaves the Aeron directory behind");
                Thread.sleep(1_500);
                publishing.set(false);
                pub.join(10_000);
                // One last message per topic, after the move: every survivor subscriber must get it.
                for (int t = 0; t < TOPICS; t++)
                {
                    publisher.send("PUB k" + t + " end");
                }
                publisher.send("PING done");
                final Map<String, List<Long>> at2 = readUntilEnd(sub2);
                final Map<String, List<Long>> at3 = readUntilEnd(sub3);
                System.out.println("published " + published[0] + " per topic to " + TOPICS + " topics; survivors noticed in "
                    + noticedMs + " ms; received at node 2: " + at2.values().stream().mapToInt(List::size).sum()
                    + ", at node 3: " + at3.values().stream().mapToInt(List::size).sum());
                for (final Map<String, List<Long>> seen : List.of(at2, at3))
                {
                    for (final Map.Entry<String, List<Long>> topic : seen.entrySet())
                    {
                        final List<Long> values = topic.getValue();
                        for (int i = 1; i < values.size(); i++)
                        {
                            assertTrue(values.get(i) > values.get(i - 1),
                                topic.getKey() + ": duplicated or reordered at " + values.get(i - 1) + ", " + values.get(i));
                        }
                        assertFalse(values.isEmpty(), topic.getKey() + " received nothing");
                    }
                }
                // The dead node comes back: it clears its old directory, rejoins, and topics move back.
                start(1);
                for (int id = 1; id <= 3; id++)
                {
                    awaitUp(id, 3);
                }
                try (LineClient sub1 = client(1))
                {
                    sub1.send("SUB k0");
                    assertEquals("SUBSCRIBED k0", sub1.readLine());
                    sub1.socket().setSoTimeout(200);
                    boolean received = false;
                    for (int attempt = 0; attempt < 50 && !received; attempt++)
                    {
                        publisher.send("PUB k0 back");
                        try
                        {
                            received = sub1.readLine().equals("UPDATED k0 back");
                        }
                        catch (final SocketTimeoutException again)
                        {
                            // interest still spreading
                        }
                    }
                    assertTrue(received, "the restarted node's subscriber receives");
                }
            }
            // A graceful stop removes the directory.
            processes[1].destroy();
            assertTrue(processes[1].waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, processes[1].exitValue());
            assertFalse(Files.exists(aeronDir(1)), "a clean stop deletes " + aeronDir(1));
        }
        finally
        {
            // SIGTERM first, so the nodes remove their Aeron directories; SIGKILL what is left.
            for (final Process process : processes)
            {
                if (process != null)
                {
                    process.destroy();
                }
            }
            for (final Process process : processes)
            {
                if (process != null && !process.waitFor(20, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** PUB k<t> <n> round robin, n rising, until told to stop; the replies are not read (PUB has none). */
    private static void publish(final LineClient publisher, final AtomicBoolean publishing, final long[] published)
    {
        long n = 0;
        try
        {
            while (publishing.get())
            {
                final StringBuilder batch = new StringBuilder();
                for (int t = 0; t < TOPICS; t++)
                {
                    batch.append("PUB k").append(t).append(' ').append(n).append("\r\n");
                }
                publisher.sendRaw(batch.toString());
                n++;
                Thread.sleep(1);
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
        published[0] = n;
    }

    /** Every topic's numbers in the order received, until each topic's {@code end}. */
    private static Map<String, List<Long>> readUntilEnd(final LineClient sub) throws IOException
    {
        final Map<String, List<Long>> seen = new HashMap<>();
        int ended = 0;
        while (ended < TOPICS)
        {
            final String[] words = sub.readLine().split(" ");
            assertEquals("UPDATED", words[0]);
            if (words[2].equals("end"))
            {
                ended++;
            }
            else
            {
                seen.computeIfAbsent(words[1], k -> new ArrayList<>()).add(Long.parseLong(words[2]));
            }
        }
        return seen;
    }

    private void start(final int id) throws IOException
    {
        final StringBuilder members = new StringBuilder();
        for (int m = 1; m <= 3; m++)
        {
            members.append(m == 1 ? "" : ",").append(m).append("@127.0.0.1:").append(udpPorts[m]);
        }
        final ProcessBuilder builder = new ProcessBuilder(DeployKitTest.ROOT.resolve("bin/topics").toString(),
            "127.0.0.1:" + tcpPorts[id], "--warmup", "0", "--cluster-members", members.toString(), "--node-id", Integer.toString(id),
            "--cluster-timeout", Long.toString(TIMEOUT_MS))
            .redirectErrorStream(true);
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final Process process = builder.start();
        processes[id] = process;
        final BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // The listening line, after any log lines of the cluster link's that came first.
        String line = output.readLine();
        for (int skipped = 0; line != null && !line.startsWith("topics listening") && skipped < 20; skipped++)
        {
            line = output.readLine();
        }
        final Matcher matcher = LISTENING.matcher(line == null ? "" : line);
        assertTrue(matcher.matches(), "says where it listens and which node it is: " + line);
        final String label = "node " + id + "| ";
        final Thread drain = new Thread(() ->
        {
            try
            {
                for (String next = output.readLine(); next != null; next = output.readLine())
                {
                    System.out.println(label + next); // the survivors' view, in the test's report
                }
            }
            catch (final IOException closed)
            {
                // the process is gone
            }
        }, "node-" + id + "-output");
        drain.setDaemon(true);
        drain.start();
    }

    private LineClient client(final int id) throws IOException
    {
        return new LineClient(new InetSocketAddress("127.0.0.1", tcpPorts[id]));
    }

    private void awaitUp(final int id, final long up) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (LineClient client = client(id))
        {
            while (true)
            {
                final Map<String, Long> stats = StatsReader.read(client);
                if (stats.getOrDefault("cluster_up", 0L) == up)
                {
                    return;
                }
                if (System.nanoTime() > deadline)
                {
                    fail("node " + id + " sees " + stats.get("cluster_up") + " up, not " + up);
                }
                Thread.sleep(10);
            }
        }
    }

    private Path aeronDir(final int id)
    {
        return Path.of(CommonContext.getAeronDirectoryName() + "-topics-" + id + "-" + udpPorts[id]);
    }

    private static int freeTcpPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
