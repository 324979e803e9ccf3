package dev.topics.broker;

import dev.topics.testing.NettyLeakGuard;
import dev.topics.testing.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Differential test: the same scripted command sequences, over several connections, against a
 * real redis-server (when one is on the PATH; CI installs it with bench/install-peers.sh) and
 * against topics' RESP listener, reply by reply and byte for byte. The scripts leave out what must
 * differ: CLIENT ID values, INFO, HELLO (version and id), COMMAND output, GET after PUBLISH (topics
 * keeps a channel's latest value, Redis has no such key), and orders Redis takes from its hash tables
 * (UNSUBSCRIBE without arguments over several channels, several patterns matching one message).
 *
 * <p>Every mismatch of a script is collected and reported together; a reply that does not come
 * ends the script.
 */
@ExtendWith(NettyLeakGuard.class)
@Timeout(120)
class RespVersusRedisEndToEndTest
{
    private static Process redis;
    private static int redisPort;

    /** One command on connection {@code conn}, then {@code replies} values read from it. */
    record Step(int conn, int replies, String... args)
    {
        @Override
        public String toString()
        {
            return conn + ": " + String.join(" ", args);
        }
    }

    static Step s(final int conn, final int replies, final String... args)
    {
        return new Step(conn, replies, args);
    }

    @BeforeAll
    static void startRedis() throws Exception
    {
        final boolean installed = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(dir -> new File(dir, "redis-server").canExecute());
        assumeTrue(installed, "redis-server is not installed (bench/install-peers.sh installs it)");
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            redisPort = probe.getLocalPort();
        }
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--databases", "1")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        final long deadline = System.currentTimeMillis() + 10_000;
        while (true)
        {
            try (RespClient probe = new RespClient(new InetSocketAddress("127.0.0.1", redisPort)))
            {
                if (probe.call("PING").equals("+PONG\r\n"))
                {
                    break;
                }
            }
            catch (final IOException notYet)
            {
                if (System.currentTimeMillis() > deadline || !redis.isAlive())
                {
                    throw new IllegalStateException("redis-server did not start on port " + redisPort, notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    @AfterAll
    static void stopRedis() throws InterruptedException
    {
        if (redis != null)
        {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS))
            {
                redis.destroyForcibly();
            }
        }
    }

    static Stream<Arguments> scripts()
    {
        return Stream.of(
            Arguments.of("subscribe confirmations, duplicates, counts", List.of(
                s(0, 3, "SUBSCRIBE", "a", "b", "a"),
                s(0, 3, "PSUBSCRIBE", "a*", "a*", "b?"),
                s(0, 1, "PING"),
                s(0, 1, "PING", "x"),
                s(0, 2, "UNSUBSCRIBE", "zz", "a"),
                s(0, 1, "PUNSUBSCRIBE", "zz"),
                s(0, 1, "UNSUBSCRIBE"),
                s(0, 1, "UNSUBSCRIBE"),
                s(0, 1, "PUNSUBSCRIBE", "a*"),
                s(0, 1, "PUNSUBSCRIBE", "b?"),
                s(0, 1, "PUNSUBSCRIBE"),
                s(0, 1, "UNSUBSCRIBE"),
                s(0, 1, "PING"))),
            Arguments.of("publish counts, message then pmessage", List.of(
                s(0, 1, "SUBSCRIBE", "news"),
                s(0, 1, "PSUBSCRIBE", "n*"),
                s(1, 1, "SUBSCRIBE", "news"),
                s(2, 1, "PUBLISH", "news", "hello"),
                s(0, 3, "PING"),
                s(1, 2, "PING"),
                s(2, 1, "PUBLISH", "nope", "x"),
                s(0, 2, "PING"),
                s(2, 1, "PUBLISH", "other", "x"),
                s(2, 1, "PUBSUB", "NUMSUB", "news", "nope"),
                s(2, 1, "PUBSUB", "NUMSUB"),
                s(2, 1, "PUBSUB", "NUMPAT"),
                s(2, 1, "PUBSUB", "CHANNELS", "n?ws"),
                s(2, 1, "PUBSUB", "CHANNELS", "x*"))),
            Arguments.of("globs", List.of(
                s(0, 1, "PSUBSCRIBE", "h[ae]llo"),
                s(1, 1, "PSUBSCRIBE", "a\\*b"),
                s(3, 1, "PSUBSCRIBE", "news.*"),
                s(4, 1, "PSUBSCRIBE", "h?llo"),
                s(5, 1, "PSUBSCRIBE", "h[^e]llo"),
                s(6, 1, "PSUBSCRIBE", "h[a-c]llo"),
                s(2, 1, "PUBLISH", "hello", "1"),
                s(2, 1, "PUBLISH", "hallo", "2"),
                s(2, 1, "PUBLISH", "hbllo", "3"),
                s(2, 1, "PUBLISH", "a*b", "4"),
                s(2, 1, "PUBLISH", "axb", "5"),
                s(2, 1, "PUBLISH", "news.eu.paid", "6"),
                s(2, 1, "PUBLISH", "news", "7"),
                s(0, 3, "PING", "end"),
                s(1, 2, "PING", "end"),
                s(3, 2, "PING", "end"),
                s(4, 4, "PING", "end"),
                s(5, 3, "PING", "end"),
                s(6, 3, "PING", "end"))),
            Arguments.of("resp2 subscribed mode", List.of(
                s(0, 1, "SUBSCRIBE", "a"),
                s(0, 1, "GET", "a"),
                s(0, 1, "PUBLISH", "a", "x"),
                s(0, 1, "ECHO", "x"),
                s(0, 1, "SELECT", "0"),
                s(0, 1, "PUBSUB", "NUMPAT"),
                s(0, 1, "CLIENT", "SETNAME", "n"),
                s(0, 1, "HELLO", "2"),
                s(0, 1, "FOO", "x"),
                s(0, 1, "PUBLISH", "x"),
                s(0, 1, "PING", "x", "y"),
                s(0, 1, "RESET"),
                s(0, 1, "PING"),
                s(0, 1, "SUBSCRIBE", "a"),
                s(0, 1, "QUIT"))),
            Arguments.of("small commands and errors", List.of(
                s(0, 1, "PING"),
                s(0, 1, "PING", "hi there"),
                s(0, 1, "ECHO", "hey"),
                s(0, 1, "ECHO", ""),
                s(0, 1, "GET", "nochan"),
                s(0, 1, "SELECT", "0"),
                s(0, 1, "SELECT", "1"),
                s(0, 1, "SELECT", "x"),
                s(0, 1, "CLIENT", "GETNAME"),
                s(0, 1, "CLIENT", "SETNAME", "me"),
                s(0, 1, "CLIENT", "GETNAME"),
                s(0, 1, "CLIENT", "SETNAME", "a b"),
                s(0, 1, "CLIENT", "REPLY", "ON"),
                s(0, 1, "CLIENT", "REPLY", "MAYBE"),
                s(0, 1, "CLIENT", "FOO"),
                s(0, 1, "PUBSUB", "FOO"),
                s(0, 1, "COMMAND", "FOO"),
                s(0, 1, "COMMAND", "DOCS", "nosuch"),
                s(0, 1, "FOO", "bar", "baz"),
                s(0, 1, "FOO"),
                s(0, 1, "NOPE", "x".repeat(200)),
                s(0, 1, "X".repeat(200), "a"),
                s(0, 1, "FOO", "a\r\nb"),
                s(0, 1, "PUBLISH", "a"),
                s(0, 1, "SUBSCRIBE"),
                s(0, 1, "PSUBSCRIBE"),
                s(0, 1, "ECHO"),
                s(0, 1, "GET"),
                s(0, 1, "PUBSUB", "NUMPAT", "x"),
                s(0, 1, "CLIENT", "SETNAME"),
                s(0, 1, "AUTH", "x"),
                s(0, 1, "AUTH", "default", "x"),
                s(0, 1, "AUTH", "a", "b", "c"),
                s(0, 1, "FUNCTION", "FLUSH"),
                s(0, 1, "FLUSHALL"),
                s(0, 1, "FLUSHALL", "ASYNC"),
                s(0, 1, "RESET"),
                s(0, 1, "CLIENT", "GETNAME"),
                s(0, 1, "QUIT"))),
            Arguments.of("containers without a subcommand", List.of(
                s(0, 1, "PUBSUB"),
                s(1, 1, "CLIENT"),
                s(2, 1, "FUNCTION"),
                s(0, 1, "PING"),
                s(1, 1, "PING"),
                s(2, 1, "PING"))),
            Arguments.of("resp3", List.of(
                s(0, 0, "HELLO", "3"),
                s(0, 3, "SUBSCRIBE", "a", "b", "a"),
                s(0, 1, "PSUBSCRIBE", "a*"),
                s(0, 1, "PING"),
                s(0, 1, "PING", "x"),
                s(0, 1, "ECHO", "e"),
                s(0, 1, "GET", "nochan"),
                s(0, 1, "CLIENT", "GETNAME"),
                s(0, 3, "PUBLISH", "a", "self"),
                s(1, 1, "PUBLISH", "a", "hello"),
                s(0, 3, "PING", "end"),
                s(0, 1, "PUBSUB", "NUMSUB", "a", "zz"),
                s(0, 1, "PUBSUB", "NUMPAT"),
                s(0, 1, "PUBSUB", "CHANNELS", "b"),
                s(0, 1, "COMMAND", "DOCS", "nosuch"),
                s(0, 1, "UNSUBSCRIBE", "zz"),
                s(0, 2, "UNSUBSCRIBE", "a", "b"),
                s(0, 1, "UNSUBSCRIBE"),
                s(0, 1, "PUNSUBSCRIBE"),
                s(0, 1, "PUNSUBSCRIBE"),
                s(0, 0, "CLIENT", "REPLY", "OFF"),
                s(0, 0, "PING"),
                s(0, 1, "SUBSCRIBE", "q"),
                s(1, 1, "PUBLISH", "q", "pushed"),
                s(0, 2, "CLIENT", "REPLY", "ON"),
                s(0, 0, "CLIENT", "REPLY", "SKIP"),
                s(0, 0, "PING"),
                s(0, 1, "PING"),
                s(0, 1, "HELLO", "4"),
                s(0, 1, "HELLO", "x"),
                s(0, 1, "HELLO", "2", "BOGUS"),
                s(0, 1, "RESET"),
                s(0, 1, "SUBSCRIBE", "z"))),
            Arguments.of("resp2 client reply off keeps confirmations and messages", List.of(
                s(0, 0, "CLIENT", "REPLY", "OFF"),
                s(0, 1, "SUBSCRIBE", "x"),
                s(1, 1, "PUBLISH", "x", "m"),
                s(0, 2, "UNSUBSCRIBE"),
                s(0, 1, "CLIENT", "REPLY", "ON"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void shouldAnswerLikeRedisByteForByte(final String name, final List<Step> script) throws Exception
    {
        final List<String> expected = run(new InetSocketAddress("127.0.0.1", redisPort), script, true);
        try (RespFixture fixture = RespFixture.start())
        {
            final List<String> actual = run(fixture.respAddress(), script, false);
            final List<String> diffs = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++)
            {
                final String got = i < actual.size() ? actual.get(i) : "<no reply>";
                if (!expected.get(i).equals(got))
                {
                    diffs.add(script.get(i) + "\n    redis:  " + show(expected.get(i)) + "\n    topics: " + show(got));
                }
            }
            assertEquals("", String.join("\n", diffs), name + ": replies differing from redis-server's");
        }
    }

    /** Runs {@code script}, one entry per step: the replies that step read, concatenated. */
    private static List<String> run(final InetSocketAddress address, final List<Step> script, final boolean reference) throws IOException
    {
        final int conns = script.stream().mapToInt(Step::conn).max().orElse(0) + 1;
        final List<RespClient> clients = new ArrayList<>();
        final List<String> replies = new ArrayList<>();
        try
        {
            for (int c = 0; c < conns; c++)
            {
                final RespClient client = new RespClient(address);
                client.socket().setSoTimeout(reference ? 5_000 : 2_000);
                clients.add(client);
            }
            final boolean[] broken = new boolean[conns];
            for (final Step step : script)
            {
                final RespClient client = clients.get(step.conn());
                if (broken[step.conn()])
                {
                    replies.add("<not sent: the connection's stream is out of step>");
                    continue;
                }
                final StringBuilder reply = new StringBuilder();
                try
                {
                    client.send(step.args());
                    if (step.args()[0].equals("HELLO") && step.replies() == 0)
                    {
                        client.read(); // HELLO's map holds the version and id: read, not compared
                    }
                    for (int i = 0; i < step.replies(); i++)
                    {
                        reply.append(client.read());
                    }
                    if (step.args()[0].equals("QUIT"))
                    {
                        reply.append(client.isClosedByServer() ? "<closed>" : "<open>");
                    }
                }
                catch (final IOException ex)
                {
                    if (reference)
                    {
                        throw ex;
                    }
                    reply.append('<').append(ex instanceof SocketTimeoutException ? "timeout: " : "").append(ex.getMessage()).append('>');
                    broken[step.conn()] = true;
                }
                replies.add(reply.toString());
            }
        }
        finally
        {
            for (final RespClient client : clients)
            {
                client.close();
            }
            if (reference)
            {
                try (RespClient flush = new RespClient(address))
                {
                    flush.call("FLUSHALL");
                }
            }
        }
        return replies;
    }

    private static String show(final String bytes)
    {
        return bytes.replace("\r", "\\r").replace("\n", "\\n");
    }
}
