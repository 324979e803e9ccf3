package dev.topics.broker;

import dev.topics.testing.LineClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code topics} command as a real process: it prints where it listens, serves, and on SIGTERM
 * closes its connections and exits 0.
 */
class MainProcessTest
{
    private static final Pattern LISTENING = Pattern.compile("topics listening on 127\\.0\\.0\\.1:(\\d+) \\((epoll|nio)\\)");

    private static ProcessBuilder topics(final String... args)
    {
        final String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        final String[] command = new String[6 + args.length];
        command[0] = java;
        command[1] = "-cp";
        command[2] = System.getProperty("java.class.path");
        command[3] = Main.class.getName();
        // No JIT warm-up: it is WarmupTest's subject, and on a loaded CI machine it can time out
        // and log a warning before the listening line these tests read first.
        command[4] = "--warmup";
        command[5] = "0";
        System.arraycopy(args, 0, command, 6, args.length);
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    @Test
    void shouldServeThenExitZeroOnSigterm() throws Exception
    {
        final Process process = topics("127.0.0.1:0").start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            final String first = output.readLine();
            final Matcher matcher = LISTENING.matcher(first == null ? "" : first);
            assertTrue(matcher.matches(), "first line says where it listens: " + first);
            final int port = Integer.parseInt(matcher.group(1));
            try (LineClient client = new LineClient(new InetSocketAddress("127.0.0.1", port)))
            {
                client.send("PING up");
                assertEquals("PONG up", client.readLine());
                process.destroy(); // SIGTERM
                assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits after SIGTERM");
                assertEquals(0, process.exitValue());
                assertTrue(client.isClosedByServer(), "connections are closed on shutdown");
            }
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldPrintTheWildcardAddressAsConfigured() throws Exception
    {
        final Process process = topics("0.0.0.0:0").start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            final String first = output.readLine();
            assertTrue(first != null && first.matches("topics listening on 0\\.0\\.0\\.0:\\d+ \\((epoll|nio)\\)"),
                "a wildcard bind is shown as given, not as the dual-stack '::': " + first);
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue());
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldListEveryOptionWithItsDefaultInHelp() throws Exception
    {
        final Process process = topics("--help").start();
        final String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        for (final String option : new String[]{"HOST:PORT", "--io-threads", "--inbound-ring-size",
            "--outbound-ring-size", "--wait-strategy", "--max-line", "--max-topic-length", "--transport",
            "--shutdown-timeout", "--log-level"})
        {
            assertTrue(help.contains(option), "help lists " + option);
        }
        assertTrue(help.contains("Default: 0.0.0.0:8889"), help);
    }

    @Test
    void shouldExitNonZeroWithAClearMessageWhenThePortIsTaken() throws Exception
    {
        try (TopicsBroker taken = TopicsBroker.launch(TestBrokers.loopback().build()))
        {
            final Process process = topics("127.0.0.1:" + taken.address().getPort()).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(1, process.exitValue());
            assertTrue(output.startsWith("topics: cannot listen on 127.0.0.1:"), output);
        }
    }
}
