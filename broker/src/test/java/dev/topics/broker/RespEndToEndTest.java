package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import dev.topics.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.topics.broker.Resp.NIL2;
import static dev.topics.broker.Resp.OK;
import static dev.topics.broker.Resp.PONG;
import static dev.topics.broker.Resp.array;
import static dev.topics.broker.Resp.bulk;
import static dev.topics.broker.Resp.cantExecute;
import static dev.topics.broker.Resp.confirm;
import static dev.topics.broker.Resp.message;
import static dev.topics.broker.Resp.pmessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RESP listener in RESP2 (a connection that never sent HELLO 3), over real loopback sockets
 * against the real broker, each test on a broker of its own. Every reply is asserted as the exact
 * bytes Redis 7.0.15 sends for the same commands (captured from redis-server 7.0.15; the
 * differential test {@link RespVersusRedisEndToEndTest} checks the same against a live Redis when
 * one is installed).
 *
 * <p>No timing assumptions: a PUBLISH's reply means the engine applied it, so a PING the subscriber
 * sends after that is answered after every resulting delivery to it ({@link #drain}).
 */
@ExtendWith(NettyLeakGuard.class)
@Timeout(60)
class RespEndToEndTest
{
    private RespFixture fixture;

    @BeforeEach
    void start() throws InterruptedException
    {
        fixture = RespFixture.start();
    }

    @AfterEach
    void stop() throws Exception
    {
        fixture.close();
    }

    @Test
    void shouldConfirmEverySubscribeArgumentInOrderDuplicatesIncludedWithTheConnectionsTotalCount() throws Exception
    {
        final RespClient client = fixture.resp();
        client.send("SUBSCRIBE", "a", "b", "a");
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", client.read());
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n", client.read());
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n", client.read(), "a duplicate is confirmed again, count unchanged");
        client.send("PSUBSCRIBE", "a*", "a*", "b?");
        assertEquals("*3\r\n$10\r\npsubscribe\r\n$2\r\na*\r\n:3\r\n", client.read(), "the count is channels + patterns");
        assertEquals("*3\r\n$10\r\npsubscribe\r\n$2\r\na*\r\n:3\r\n", client.read());
        assertEquals("*3\r\n$10\r\npsubscribe\r\n$2\r\nb?\r\n:4\r\n", client.read());
        assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", client.call("PING"), "nothing else was sent");
    }

    @Test
    void shouldAnswerUnsubscribeWithoutArgumentsOncePerSubscriptionOrOnceWithANilName() throws Exception
    {
        final RespClient client = fixture.resp();
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", client.call("UNSUBSCRIBE"), "none: one nil name, count 0");
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n", client.call("PUNSUBSCRIBE"));
        client.send("SUBSCRIBE", "x", "y", "z");
        client.read(3);
        client.send("PSUBSCRIBE", "p*", "q*");
        client.read(2);
        client.send("UNSUBSCRIBE");
        final Set<String> names = new HashSet<>();
        for (int count = 4; count >= 2; count--)
        {
            final String reply = client.read();
            final String name = reply.substring("*3\r\n$11\r\nunsubscribe\r\n$1\r\n".length(), reply.length() - ":4\r\n".length() - 2);
            assertEquals(confirm("unsubscribe", name, count), reply, "one per channel, the count going down to the patterns left");
            names.add(name);
        }
        assertEquals(Set.of("x", "y", "z"), names);
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:2\r\n", client.call("UNSUBSCRIBE"),
            "no channel left: one nil name with the connection's count (its patterns)");
        client.send("PUNSUBSCRIBE");
        final Set<String> patterns = new HashSet<>();
        for (int count = 1; count >= 0; count--)
        {
            final String reply = client.read();
            final String pattern = reply.substring("*3\r\n$12\r\npunsubscribe\r\n$2\r\n".length(), reply.length() - ":1\r\n".length() - 2);
            assertEquals(confirm("punsubscribe", pattern, count), reply);
            patterns.add(pattern);
        }
        assertEquals(Set.of("p*", "q*"), patterns);
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n", client.call("PUNSUBSCRIBE"));
        assertEquals(PONG, client.call("PING"), "out of subscribed mode again");
    }

    @Test
    void shouldAnswerUnsubscribingNamesNeverSubscribedOncePerNameWithTheCount() throws Exception
    {
        final RespClient client = fixture.resp();
        client.send("UNSUBSCRIBE", "never", "again", "never");
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$5\r\nnever\r\n:0\r\n", client.read());
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$5\r\nagain\r\n:0\r\n", client.read());
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$5\r\nnever\r\n:0\r\n", client.read());
        client.send("PUNSUBSCRIBE", "x*", "y");
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$2\r\nx*\r\n:0\r\n", client.read());
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$1\r\ny\r\n:0\r\n", client.read());
        assertEquals(PONG, client.call("PING"), "never subscribed: not in subscribed mode");
        client.send("SUBSCRIBE", "a").read();
        client.send("PSUBSCRIBE", "b*").read();
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$2\r\nzz\r\n:2\r\n", client.call("UNSUBSCRIBE", "zz"), "the count is the connection's total");
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$1\r\na\r\n:2\r\n", client.call("PUNSUBSCRIBE", "a"),
            "a is a channel here, not a pattern: nothing removed");
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$2\r\nb*\r\n:2\r\n", client.call("UNSUBSCRIBE", "b*"));
    }

    @Test
    void shouldCountPublishReceiversWithChannelAndPatternMatchesSeparatelyAndDeliverMessageBeforePmessage() throws Exception
    {
        final RespClient both = fixture.resp();
        final RespClient channelOnly = fixture.resp();
        final RespClient publisher = fixture.resp();
        both.send("SUBSCRIBE", "news").read();
        both.send("PSUBSCRIBE", "n*").read();
        channelOnly.send("SUBSCRIBE", "news").read();
        assertEquals(":3\r\n", publisher.call("PUBLISH", "news", "hello"), "two channel subscriptions and one pattern");
        assertEquals(":1\r\n", publisher.call("PUBLISH", "nope", "x"), "the pattern only");
        assertEquals(":0\r\n", publisher.call("PUBLISH", "other", "x"));
        assertEquals("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n"
            + "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n"
            + "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnope\r\n$1\r\nx\r\n", drain(both),
            "message first, then the pmessage, as Redis");
        assertEquals(message("news", "hello"), drain(channelOnly));
    }

    @Test
    void shouldDeliverOnePmessagePerMatchingPatternOfAConnection() throws Exception
    {
        final RespClient subscriber = fixture.resp();
        final RespClient publisher = fixture.resp();
        subscriber.send("PSUBSCRIBE", "h?llo", "h[ae]llo", "h*o", "a\\*b", "news.*").read(5);
        assertEquals(":3\r\n", publisher.call("PUBLISH", "hello", "m"));
        assertEquals(":3\r\n", publisher.call("PUBLISH", "hallo", "m"));
        assertEquals(":2\r\n", publisher.call("PUBLISH", "hxllo", "m"));
        assertEquals(":1\r\n", publisher.call("PUBLISH", "ho", "m"));
        assertEquals(":1\r\n", publisher.call("PUBLISH", "a*b", "m"), "\\* is a literal star");
        assertEquals(":0\r\n", publisher.call("PUBLISH", "axb", "m"));
        assertEquals(":1\r\n", publisher.call("PUBLISH", "news.eu.paid", "m"), "* crosses dots");
        assertEquals(":0\r\n", publisher.call("PUBLISH", "news", "m"));
        final List<String> expected = new ArrayList<>(List.of(
            pmessage("h?llo", "hello", "m"), pmessage("h[ae]llo", "hello", "m"), pmessage("h*o", "hello", "m"),
            pmessage("h?llo", "hallo", "m"), pmessage("h[ae]llo", "hallo", "m"), pmessage("h*o", "hallo", "m"),
            pmessage("h?llo", "hxllo", "m"), pmessage("h*o", "hxllo", "m"),
            pmessage("h*o", "ho", "m"),
            pmessage("a\\*b", "a*b", "m"),
            pmessage("news.*", "news.eu.paid", "m")));
        final List<String> received = drainValues(subscriber);
        // Redis orders one message's pmessages by its pattern dictionary; only the set per message is Redis'.
        expected.sort(null);
        received.sort(null);
        assertEquals(expected, received);
    }

    @Test
    void shouldMatchRedisGlobsInPubsubChannels() throws Exception
    {
        final RespClient subscriber = fixture.resp();
        final RespClient client = fixture.resp();
        subscriber.send("SUBSCRIBE", "hello", "hallo", "hxllo", "a.b.c", "[x]").read(5);
        assertEquals(array(bulk("hallo"), bulk("hello")), sortedArray(client.call("PUBSUB", "CHANNELS", "h[ae]*")));
        assertEquals(array(bulk("hxllo")), client.call("PUBSUB", "CHANNELS", "h[^ae]llo"));
        assertEquals(array(bulk("a.b.c")), client.call("PUBSUB", "CHANNELS", "a*c"));
        assertEquals(array(bulk("[x]")), client.call("PUBSUB", "CHANNELS", "\\[x\\]"));
        assertEquals("*0\r\n", client.call("PUBSUB", "CHANNELS", "zzz*"));
        assertEquals(array(bulk("[x]"), bulk("a.b.c"), bulk("hallo"), bulk("hello"), bulk("hxllo")),
            sortedArray(client.call("PUBSUB", "CHANNELS")));
    }

    @Test
    void shouldAnswerNumsubWithIntegersAndNumpatWithDistinctPatternsOverAllClients() throws Exception
    {
        final RespClient a = fixture.resp();
        final RespClient b = fixture.resp();
        final RespClient client = fixture.resp();
        a.send("SUBSCRIBE", "x", "y").read(2);
        b.send("SUBSCRIBE", "x").read();
        a.send("PSUBSCRIBE", "p*", "q*").read(2);
        b.send("PSUBSCRIBE", "p*").read();
        assertEquals("*6\r\n$1\r\nx\r\n:2\r\n$1\r\ny\r\n:1\r\n$1\r\nz\r\n:0\r\n", client.call("PUBSUB", "NUMSUB", "x", "y", "z"));
        assertEquals("*0\r\n", client.call("PUBSUB", "NUMSUB"));
        assertEquals(":2\r\n", client.call("PUBSUB", "NUMPAT"), "p* counts once though two clients have it");
        b.send("PUNSUBSCRIBE", "p*").read();
        assertEquals(":2\r\n", client.call("PUBSUB", "NUMPAT"));
        a.send("PUNSUBSCRIBE", "p*").read();
        assertEquals(":1\r\n", client.call("PUBSUB", "NUMPAT"));
        a.close();
        b.close();
        // A closed connection's subscriptions go when the engine sees the close: poll, no timing.
        final long deadline = System.currentTimeMillis() + 10_000;
        String numpat;
        while (!(numpat = client.call("PUBSUB", "NUMPAT")).equals(":0\r\n") && System.currentTimeMillis() < deadline)
        {
            Thread.onSpinWait();
        }
        assertEquals(":0\r\n", numpat);
        assertEquals("*2\r\n$1\r\nx\r\n:0\r\n", client.call("PUBSUB", "NUMSUB", "x"));
    }

    @Test
    void shouldAcceptOnlyRedisSubscribedModeCommandsInResp2WithRedisErrorText() throws Exception
    {
        final RespClient client = fixture.resp();
        client.send("SUBSCRIBE", "a").read();
        assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", client.call("PING"), "pong as an array");
        assertEquals("*2\r\n$4\r\npong\r\n$5\r\nhello\r\n", client.call("PING", "hello"));
        assertEquals("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
            client.call("GET", "a"));
        assertEquals(cantExecute("publish"), client.call("PUBLISH", "a", "x"));
        assertEquals(cantExecute("echo"), client.call("ECHO", "x"));
        assertEquals(cantExecute("select"), client.call("SELECT", "0"));
        assertEquals(cantExecute("pubsub|numpat"), client.call("PUBSUB", "NUMPAT"));
        assertEquals(cantExecute("client|setname"), client.call("CLIENT", "SETNAME", "n"));
        assertEquals(cantExecute("hello"), client.call("HELLO", "2"));
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n", client.call("SUBSCRIBE", "b"));
        assertEquals("*3\r\n$10\r\npsubscribe\r\n$1\r\nc\r\n:3\r\n", client.call("PSUBSCRIBE", "c"));
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$1\r\nc\r\n:2\r\n", client.call("PUNSUBSCRIBE", "c"));
        assertEquals("+RESET\r\n", client.call("RESET"), "RESET leaves subscribed mode");
        assertEquals(PONG, client.call("PING"));
        final RespClient publisher = fixture.resp();
        assertEquals(":0\r\n", publisher.call("PUBLISH", "a", "gone"), "RESET dropped the subscriptions");
        client.send("SUBSCRIBE", "a").read();
        assertEquals(OK, client.call("QUIT"), "QUIT works in subscribed mode");
        assertTrue(client.isClosedByServer());
    }

    @Test
    void shouldAnswerPingEchoGetSelectAndTheSmallCommandsLikeRedis() throws Exception
    {
        final RespClient client = fixture.resp();
        assertEquals("+PONG\r\n", client.call("PING"));
        assertEquals("$8\r\nhi there\r\n", client.call("PING", "hi there"));
        assertEquals("$3\r\nhey\r\n", client.call("ECHO", "hey"));
        assertEquals("$0\r\n\r\n", client.call("ECHO", ""));
        assertEquals("+PONG\r\n", client.sendRaw("PING\r\n").read(), "inline commands, as redis-cli and telnet send");
        assertEquals("$-1\r\n", client.call("GET", "nochan"), "no value: nil");
        assertEquals(":0\r\n", client.call("PUBLISH", "chan", "latest"));
        assertEquals("$6\r\nlatest\r\n", client.call("GET", "chan"), "GET is the channel's latest value");
        assertEquals("+OK\r\n", client.call("SELECT", "0"));
        assertEquals("-ERR DB index is out of range\r\n", client.call("SELECT", "1"), "as Redis with one database");
        assertEquals("-ERR value is not an integer or out of range\r\n", client.call("SELECT", "x"));
        assertEquals("$-1\r\n", client.call("CLIENT", "GETNAME"));
        assertEquals(OK, client.call("CLIENT", "SETNAME", "me"));
        assertEquals("$2\r\nme\r\n", client.call("CLIENT", "GETNAME"));
        assertEquals(OK, client.call("CLIENT", "SETINFO", "lib-name", "topics-test"));
        assertEquals(OK, client.call("CLIENT", "SETINFO", "lib-ver", "1.0"));
        assertEquals(OK, client.call("CLIENT", "REPLY", "ON"));
        final String id = client.call("CLIENT", "ID");
        assertTrue(id.matches(":[0-9]+\r\n"), id);
        final String other = fixture.resp().call("CLIENT", "ID");
        assertNotEquals(id, other, "ids differ per connection");
        assertEquals(OK, client.call("FUNCTION", "FLUSH"));
        assertEquals(OK, client.call("FLUSHALL"));
        assertEquals(NIL2, client.call("GET", "chan"), "FLUSHALL forgets the latest values");
        assertEquals(":0\r\n", client.call("PUBLISH", "chan", "again"));
        assertEquals(OK, client.call("FLUSHALL", "ASYNC"));
        assertEquals(NIL2, client.call("GET", "chan"));
        assertEquals("+RESET\r\n", client.call("RESET"));
        assertEquals(NIL2, client.call("CLIENT", "GETNAME"), "RESET drops the name");
        assertEquals(OK, client.call("QUIT"));
        assertEquals("", client.readUntilClosed(), "QUIT: +OK, then the connection closes");
    }

    @Test
    void shouldAnswerUnknownCommandsAndWrongArityExactlyAsRedis() throws Exception
    {
        final RespClient client = fixture.resp();
        assertEquals("-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n", client.call("FOO", "bar", "baz"));
        assertEquals("-ERR unknown command 'FOO', with args beginning with: \r\n", client.call("FOO"));
        assertEquals("-ERR unknown command 'set', with args beginning with: 'k' 'v' \r\n", client.call("set", "k", "v"));
        assertEquals("-ERR unknown command 'foo bar', with args beginning with: 'x' \r\n", client.call("foo bar", "x"));
        assertEquals("-ERR unknown command '" + "X".repeat(128) + "', with args beginning with: 'a' \r\n", client.call("X".repeat(200), "a"),
            "the name is cut at 128 bytes");
        assertEquals("-ERR unknown command 'NOPE', with args beginning with: '" + "x".repeat(128) + "' \r\n", client.call("NOPE", "x".repeat(200)));
        final String[] many = new String[41];
        many[0] = "FOO";
        for (int i = 0; i < 40; i++)
        {
            many[i + 1] = "arg" + i;
        }
        assertEquals("-ERR unknown command 'FOO', with args beginning with: 'arg0' 'arg1' 'arg2' 'arg3' 'arg4' 'arg5' 'arg6' 'arg7'"
            + " 'arg8' 'arg9' 'arg10' 'arg11' 'arg12' 'arg13' 'arg14' 'arg15' 'arg16' 'ar' \r\n", client.call(many),
            "the arguments are cut at 128 bytes in all");
        assertEquals("-ERR unknown command 'FOO', with args beginning with: 'a  b' \r\n", client.call("FOO", "a\r\nb"),
            "CR and LF become spaces");
        assertEquals("-ERR wrong number of arguments for 'publish' command\r\n", client.call("PUBLISH", "a"));
        assertEquals("-ERR wrong number of arguments for 'subscribe' command\r\n", client.call("SUBSCRIBE"));
        assertEquals("-ERR wrong number of arguments for 'psubscribe' command\r\n", client.call("PSUBSCRIBE"));
        assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", client.call("ECHO"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", client.call("GET"));
        assertEquals("-ERR wrong number of arguments for 'pubsub|numpat' command\r\n", client.call("PUBSUB", "NUMPAT", "x"));
        assertEquals("-ERR wrong number of arguments for 'client|setname' command\r\n", client.call("CLIENT", "SETNAME"));
        assertEquals("-ERR syntax error\r\n", client.call("CLIENT", "REPLY", "MAYBE"));
        assertEquals(PONG, client.call("PING"), "errors leave the connection open");
    }

    @Test
    void shouldStillSendConfirmationsAndMessagesWithClientReplyOffInResp2LikeRedis() throws Exception
    {
        final RespClient client = fixture.resp();
        final RespClient publisher = fixture.resp();
        client.send("CLIENT", "REPLY", "OFF");
        client.send("PING");
        client.send("SUBSCRIBE", "x");
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\nx\r\n:1\r\n", client.read(),
            "redis-server 7.0.15 sends (un)subscribe confirmations in RESP2 too while replies are off");
        assertEquals(":1\r\n", publisher.call("PUBLISH", "x", "m"));
        assertEquals(message("x", "m"), client.read());
        client.send("UNSUBSCRIBE");
        assertEquals("*3\r\n$11\r\nunsubscribe\r\nx\r\n:0\r\n".replace("x\r\n:0", "$1\r\nx\r\n:0"), client.read());
        assertEquals(OK, client.call("CLIENT", "REPLY", "ON"));
    }

    @Test
    void shouldAnswerMalformedFramesWithRedisProtocolErrorsAndClose() throws Exception
    {
        final String[][] cases = {
            {"*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
            {"*1\r\n+PING\r\n", "-ERR Protocol error: expected '$', got '+'\r\n"},
            {"*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
            {"*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
            {"PING \"unbalanced\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
        };
        for (final String[] c : cases)
        {
            final RespClient client = fixture.resp();
            client.sendRaw(c[0]);
            assertEquals(c[1], client.readUntilClosed(), "as redis-server 7.0.15: the error, then the connection closes, for " + c[0]);
        }
    }

    @Test
    void shouldParseFramesAsRedisDoesWhateverTheirSplitAndDeliverPayloadsBinarySafe() throws Exception
    {
        final RespClient client = fixture.resp();
        assertEquals(PONG, client.sendRaw("*0\r\nPING\r\n").read(), "an empty array is skipped");
        assertEquals(PONG, client.sendRaw("\r\nPING\r\n").read(), "an empty inline line is skipped");
        assertEquals(PONG, client.sendRaw("*-1\r\nPING\r\n").read());
        assertEquals("$3\r\na b\r\n", client.sendRaw("echo \"a b\" \r\n").read(), "inline quoting");
        assertEquals("$3\r\nx y\r\n", client.sendRaw("ECHO 'x y'\r\n").read());
        final byte[] command = RespClient.encode("ECHO", "split across writes");
        for (final byte b : command)
        {
            client.sendRaw(new byte[] {b});
        }
        assertEquals(bulk("split across writes"), client.read(), "one byte per write");
        final StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 100; i++)
        {
            pipeline.append(new String(RespClient.encode("ECHO", "e" + i), java.nio.charset.StandardCharsets.UTF_8));
        }
        client.sendRaw(pipeline.toString());
        for (int i = 0; i < 100; i++)
        {
            assertEquals(bulk("e" + i), client.read(), "pipelined replies in order");
        }

        final RespClient subscriber = fixture.resp();
        subscriber.send("SUBSCRIBE", "bin").read();
        final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        for (int b = 0; b < 256; b++)
        {
            binary.write(b);
        }
        binary.writeBytes("\r\n$3\r\n*1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        final byte[] payload = binary.toByteArray();
        client.send("PUBLISH".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "bin".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            payload);
        assertEquals(":1\r\n", client.read());
        final java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.writeBytes("*3\r\n$7\r\nmessage\r\n$3\r\nbin\r\n$".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        expected.writeBytes((payload.length + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        expected.writeBytes(payload);
        expected.writeBytes(new byte[] {'\r', '\n'});
        assertEquals(RespClient.show(expected.toByteArray()), RespClient.show(subscriber.readBytes()), "every byte value, CRLF and RESP markers included");

        final String big = "0123456789".repeat(20_000);
        assertEquals(":1\r\n", client.call("PUBLISH", "bin", big));
        assertEquals(message("bin", big), subscriber.read(), "a 200 kB message in one piece");
    }

    @Test
    void shouldAnswerAContainerCommandWithoutASubcommandWithRedisArityError() throws Exception
    {
        final RespClient pubsub = fixture.resp();
        assertEquals("-ERR wrong number of arguments for 'pubsub' command\r\n", pubsub.call("PUBSUB"));
        assertEquals(PONG, pubsub.call("PING"));
        final RespClient client = fixture.resp();
        assertEquals("-ERR wrong number of arguments for 'client' command\r\n", client.call("CLIENT"));
        assertEquals(PONG, client.call("PING"));
        final RespClient function = fixture.resp();
        assertEquals("-ERR wrong number of arguments for 'function' command\r\n", function.call("FUNCTION"));
        assertEquals(PONG, function.call("PING"));
    }

    @Test
    void shouldAnswerCommandCommandDocsAndInfoWithWellFormedReplies() throws Exception
    {
        final RespClient client = fixture.resp();
        final String command = client.call("COMMAND");
        assertTrue(command.startsWith("*"), command);
        assertTrue(command.contains("$9\r\nsubscribe\r\n") && command.contains("$7\r\npublish\r\n"), command);
        final String docs = client.call("COMMAND", "DOCS");
        assertTrue(docs.startsWith("*"), docs);
        assertEquals("*0\r\n", client.call("COMMAND", "DOCS", "nosuch"), "as Redis: nothing for an unknown name");
        final String count = client.call("COMMAND", "COUNT");
        assertTrue(count.matches(":[1-9][0-9]*\r\n"), count);
        final String info = client.call("INFO");
        assertTrue(info.startsWith("$"), info);
        assertTrue(info.contains("redis_version:"), "clients read the version from INFO: " + info);
        assertEquals(PONG, client.call("PING"));
    }

    @Test
    void shouldHaveASubscriptionInEffectBeforeItsConfirmationAndNoneAfterTheUnsubscribeConfirmation() throws Exception
    {
        final RespClient subscriber = fixture.resp();
        final RespClient publisher = fixture.resp();
        final LineClient text = fixture.text();
        for (int round = 0; round < 50; round++)
        {
            final String channel = "round." + round;
            assertEquals(confirm("subscribe", channel, 1), subscriber.call("SUBSCRIBE", channel));
            assertEquals(":1\r\n", publisher.call("PUBLISH", channel, "in"), "in effect once confirmed");
            assertEquals(message(channel, "in"), subscriber.read());
            text.send("PUB " + channel + " text-in");
            assertEquals(message(channel, "text-in"), subscriber.read(), "for the text port too");
            assertEquals(confirm("unsubscribe", channel, 0), subscriber.call("UNSUBSCRIBE", channel));
            assertEquals(":0\r\n", publisher.call("PUBLISH", channel, "out"), "gone once confirmed");
            text.send("PUB " + channel + " text-out");
            text.send("PING " + round);
            assertEquals("PONG " + round, text.readLine());
            assertEquals(PONG, subscriber.call("PING"), "nothing after the unsubscribe confirmation");
        }
    }

    @Test
    void shouldCarryMessagesBetweenTheTextAndTheRespPortBothWays() throws Exception
    {
        final RespClient respSubscriber = fixture.resp();
        final RespClient respPatterns = fixture.resp();
        final LineClient textSubscriber = fixture.text();
        final RespClient respPublisher = fixture.resp();
        final LineClient textPublisher = fixture.text();
        respSubscriber.send("SUBSCRIBE", "orders.eu").read();
        respPatterns.send("PSUBSCRIBE", "orders.*").read();
        textSubscriber.send("SUB orders.>");
        assertEquals("SUBSCRIBED orders.>", textSubscriber.readLine());
        textPublisher.send("PUB orders.eu from text");
        textPublisher.send("PING done");
        assertEquals("PONG done", textPublisher.readLine());
        assertEquals(":3\r\n", respPublisher.call("PUBLISH", "orders.eu", "from resp"), "a text subscriber counts as one receiver");
        assertEquals(":2\r\n", respPublisher.call("PUBLISH", "orders.eu.paid", "deep"), "Redis' * crosses dots, NATS' * does not");
        assertEquals(message("orders.eu", "from text") + message("orders.eu", "from resp"), drain(respSubscriber));
        assertEquals(pmessage("orders.*", "orders.eu", "from text") + pmessage("orders.*", "orders.eu", "from resp")
            + pmessage("orders.*", "orders.eu.paid", "deep"), drain(respPatterns));
        assertEquals("UPDATED orders.eu from text", textSubscriber.readLine());
        assertEquals("UPDATED orders.eu from resp", textSubscriber.readLine());
        assertEquals("UPDATED orders.eu.paid deep", textSubscriber.readLine());
        textPublisher.send("GET orders.eu");
        assertEquals("VALUE orders.eu from resp", textPublisher.readLine(), "one latest value for both ports");
        assertEquals(bulk("from resp"), respPublisher.call("GET", "orders.eu"));
    }

    @Test
    void shouldCountConnectionsPublicationsAndDeliveriesPerProtocol() throws Exception
    {
        final LineClient text = fixture.text();
        final RespClient resp = fixture.resp();
        final RespClient respPublisher = fixture.resp();
        text.send("SUB t");
        assertEquals("SUBSCRIBED t", text.readLine());
        resp.send("SUBSCRIBE", "t").read();
        assertEquals(":2\r\n", respPublisher.call("PUBLISH", "t", "1"));
        assertEquals(":2\r\n", respPublisher.call("PUBLISH", "t", "2"));
        final LineClient textPublisher = fixture.text();
        textPublisher.send("PUB t 3");
        assertEquals(message("t", "1") + message("t", "2") + message("t", "3"), resp.read(3));
        assertEquals("UPDATED t 1", text.readLine());
        assertEquals("UPDATED t 2", text.readLine());
        assertEquals("UPDATED t 3", text.readLine());
        final Map<String, Long> stats = StatsReader.read(textPublisher);
        assertEquals(2, stats.get("text_connections"), stats::toString);
        assertEquals(2, stats.get("resp_connections"), stats::toString);
        assertEquals(1, stats.get("text_published"), stats::toString);
        assertEquals(2, stats.get("resp_published"), stats::toString);
        assertEquals(3, stats.get("text_delivered"), stats::toString);
        assertEquals(3, stats.get("resp_delivered"), stats::toString);
        assertEquals(4, stats.get("connections"), stats::toString);
        assertEquals(3, stats.get("published"), stats::toString);
        assertEquals(6, stats.get("delivered"), stats::toString);
    }

    /** Everything delivered to {@code subscriber} so far, as one string; it must be in RESP2 subscribed mode. */
    static String drain(final RespClient subscriber) throws IOException
    {
        return String.join("", drainValues(subscriber));
    }

    /** The values delivered to {@code subscriber} (RESP2, subscribed) before the answer to a PING sent now. */
    static List<String> drainValues(final RespClient subscriber) throws IOException
    {
        final String marker = "drain-" + System.nanoTime();
        subscriber.send("PING", marker);
        final String pong = array(bulk("pong"), bulk(marker));
        final List<String> values = new ArrayList<>();
        String value;
        while (!(value = subscriber.read()).equals(pong))
        {
            values.add(value);
        }
        return values;
    }

    /** A RESP2 array of bulk strings with its elements sorted (Redis' order is its dictionary's). */
    static String sortedArray(final String reply)
    {
        final String[] lines = reply.split("\r\n");
        final List<String> elements = new ArrayList<>();
        for (int i = 1; i + 1 < lines.length; i += 2)
        {
            elements.add(lines[i + 1]);
        }
        elements.sort(null);
        return array(elements.stream().map(Resp::bulk).toArray(String[]::new));
    }
}
