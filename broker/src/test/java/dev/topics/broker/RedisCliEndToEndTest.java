package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import dev.topics.testing.RespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * redis-cli (Debian's redis-tools; CI installs it with bench/install-peers.sh, skipped without it)
 * as a process against the RESP listener: {@code redis-cli SUBSCRIBE} receiving what the text port
 * and a RESP client publish, {@code PSUBSCRIBE} likewise, and one-shot {@code PUBLISH} and
 * {@code PING}. With its output not a terminal, redis-cli prints each element of a reply on a line
 * of its own (what it prints against redis-server 7.0.15).
 */
@ExtendWith(NettyLeakGuard.class)
@Timeout(60)
class RedisCliEndToEndTest
{
    private static void assumeRedisCli()
    {
        assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(dir -> new File(dir, "redis-cli").canExecute()), "redis-cli is not installed (bench/install-peers.sh installs it)");
    }

    /** A running redis-cli whose stdout lines arrive in {@link #lines}. */
    private static final class Cli implements AutoCloseable
    {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;

        Cli(final int port, final String... args) throws IOException
        {
            final List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            reader = new Thread(() ->
            {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = out.readLine()) != null)
                    {
                        lines.add(line);
                    }
                }
                catch (final IOException ended)
                {
                    // The process was killed.
                }
            }, "redis-cli-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        String next() throws InterruptedException
        {
            final String line = lines.poll(10, TimeUnit.SECONDS);
            assertNotNull(line, "redis-cli printed nothing more within 10 s; alive: " + process.isAlive());
            return line;
        }

        List<String> next(final int count) throws InterruptedException
        {
            final List<String> got = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                got.add(next());
            }
            return got;
        }

        /** Waits for it to exit by itself and returns all it printed. */
        List<String> finish() throws InterruptedException
        {
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "redis-cli did not exit within 10 s");
            reader.join(10_000);
            return new ArrayList<>(lines);
        }

        @Override
        public void close()
        {
            process.destroy();
            try
            {
                if (!process.waitFor(10, TimeUnit.SECONDS))
                {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                reader.join(10_000);
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void shouldReceiveWithRedisCliSubscribeWhatTheTextPortAndRespClientsPublish() throws Exception
    {
        assumeRedisCli();
        try (RespFixture fixture = RespFixture.start())
        {
            final int port = fixture.respAddress().getPort();
            try (Cli subscriber = new Cli(port, "SUBSCRIBE", "news"); Cli patterns = new Cli(port, "PSUBSCRIBE", "n*"))
            {
                assertEquals(List.of("subscribe", "news", "1"), subscriber.next(3));
                assertEquals(List.of("psubscribe", "n*", "1"), patterns.next(3));
                final LineClient text = fixture.text();
                text.send("PUB news from the text port");
                text.send("PING sent");
                assertEquals("PONG sent", text.readLine());
                final RespClient resp = fixture.resp();
                assertEquals(":2\r\n", resp.call("PUBLISH", "news", "from resp"));
                try (Cli publisher = new Cli(port, "PUBLISH", "news", "from redis-cli"))
                {
                    assertEquals(List.of("2"), publisher.finish(), "redis-cli prints PUBLISH's count");
                }
                assertEquals(List.of("message", "news", "from the text port", "message", "news", "from resp", "message", "news", "from redis-cli"),
                    subscriber.next(9));
                assertEquals(List.of("pmessage", "n*", "news", "from the text port", "pmessage", "n*", "news", "from resp",
                    "pmessage", "n*", "news", "from redis-cli"), patterns.next(12));
            }
        }
    }

    @Test
    void shouldAnswerOneShotRedisCliCommands() throws Exception
    {
        assumeRedisCli();
        try (RespFixture fixture = RespFixture.start())
        {
            final int port = fixture.respAddress().getPort();
            try (Cli ping = new Cli(port, "PING"))
            {
                assertEquals(List.of("PONG"), ping.finish());
            }
            try (Cli publish = new Cli(port, "PUBLISH", "nobody", "x"))
            {
                assertEquals(List.of("0"), publish.finish());
            }
            try (Cli get = new Cli(port, "GET", "nobody"))
            {
                assertEquals(List.of("x"), get.finish(), "GET: the channel's latest value");
            }
            try (Cli numsub = new Cli(port, "PUBSUB", "NUMSUB", "nobody"))
            {
                assertEquals(List.of("nobody", "0"), numsub.finish());
            }
        }
    }
}
