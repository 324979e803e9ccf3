package dev.topics.transport.resp;

import dev.topics.testing.NettyLeakGuard;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.TestReply;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.topics.transport.resp.RespBytes.ALLOC;
import static dev.topics.transport.resp.RespBytes.buffer;
import static dev.topics.transport.resp.RespBytes.bytes;
import static dev.topics.transport.resp.RespBytes.text;
import static dev.topics.transport.resp.RespEncoder.RESP2;
import static dev.topics.transport.resp.RespEncoder.RESP3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RespEncoder's replies, byte for byte as Redis 7.0.15 sends them. The expected bytes were captured
 * from {@code redis-server --port 16398 --save '' --appendonly no} (7.0.15) with a Python socket
 * client sending each command as a RESP array and printing {@code repr()} of what came back, in
 * RESP2 and, after {@code HELLO 3}, in RESP3 (the script: src/test/resources/resp/capture-replies.py).
 * Where a figure differs by server state (client id, subscription count), the reply is Redis'
 * with our figure in its place.
 */
@ExtendWith(NettyLeakGuard.class)
class RespEncoderRepliesTest
{
    private static String reply(final RespEncoder encoder, final TestReply reply)
    {
        return text(encoder.reply(ALLOC, reply));
    }

    private static String both(final TestReply reply, final String expected)
    {
        assertEquals(expected, reply(RESP2, reply), "RESP2");
        return expected;
    }

    private static TestReply raw(final RespCommand command)
    {
        return TestReply.of(Command.RAW).withDetail(command.ordinal());
    }

    @Test
    void shouldAnswerSubscribeAndUnsubscribeAsRedisArraysAndRedis3Pushes()
    {
        final TestReply sub = TestReply.of(Command.SUB).withTopic(bytes("a")).withCount(1);
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", reply(RESP2, sub));
        assertEquals(">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", reply(RESP3, sub));
        final TestReply psub = TestReply.of(Command.SUB).withTopic(bytes("p*")).withMatch(TopicMatch.GLOB_PATTERN).withCount(3);
        assertEquals("*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:3\r\n", reply(RESP2, psub));
        assertEquals(">3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:3\r\n", reply(RESP3, psub));
        final TestReply unsub = TestReply.of(Command.UNSUB).withTopic(bytes("b")).withCount(2);
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:2\r\n", reply(RESP2, unsub));
        assertEquals(">3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:2\r\n", reply(RESP3, unsub));
        final TestReply punsub = TestReply.of(Command.UNSUB).withTopic(bytes("p*")).withMatch(TopicMatch.GLOB_PATTERN);
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:0\r\n", reply(RESP2, punsub));
        assertEquals(">3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:0\r\n", reply(RESP3, punsub));
    }

    @Test
    void shouldNameNoChannelWithNilWhenUnsubscribeAllFoundNone()
    {
        final TestReply none = TestReply.of(Command.UNSUB_ALL);
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", reply(RESP2, none));
        assertEquals(">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n", reply(RESP3, none));
        final TestReply nonePattern = TestReply.of(Command.UNSUB).withMatch(TopicMatch.GLOB_PATTERN);
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n", reply(RESP2, nonePattern));
        assertEquals(">3\r\n$12\r\npunsubscribe\r\n_\r\n:0\r\n", reply(RESP3, nonePattern));
    }

    @Test
    void shouldMarkSubscriptionRepliesAsPushesInBothVersions()
    {
        // redis-server 7.0.15: CLIENT REPLY OFF, then SUBSCRIBE a, still answers the confirmation
        // in RESP2 (*3 subscribe a :1) as in RESP3 (>3 ...), and nothing to a PING after it.
        for (final Command command : new Command[]{Command.SUB, Command.UNSUB, Command.UNSUB_ALL})
        {
            assertTrue(RESP3.isPush(command));
            assertTrue(RESP2.isPush(command));
        }
        assertFalse(RESP3.isPush(Command.PING));
        assertFalse(RESP3.isPush(Command.PUB));
    }

    @Test
    void shouldAnswerPublishAndNumpatWithTheCount()
    {
        both(TestReply.of(Command.PUB).withCount(2), ":2\r\n");
        assertEquals(":2\r\n", reply(RESP3, TestReply.of(Command.PUB).withCount(2)));
        both(TestReply.of(Command.NUMPAT), ":0\r\n");
        assertEquals(":1234567890123\r\n", reply(RESP3, TestReply.of(Command.NUMPAT).withCount(1234567890123L)));
    }

    @Test
    void shouldAnswerGetWithTheMessageOfTheLatestFrameOrNil()
    {
        final ByteBuf frame = buffer("UPDATED news hello world\r\n");
        assertEquals("$11\r\nhello world\r\n", reply(RESP2, TestReply.of(Command.GET).withTopic(bytes("news"))
            .withPayload(frame).withCount(4)));
        assertEquals(0, frame.refCnt(), "the frame is released");
        assertEquals("$0\r\n\r\n", reply(RESP3, TestReply.of(Command.GET).withTopic(bytes("t"))
            .withPayload(buffer("UPDATED t \r\n")).withCount(1)));
        assertEquals("$-1\r\n", reply(RESP2, TestReply.of(Command.GET).withTopic(bytes("nokey"))));
        assertEquals("_\r\n", reply(RESP3, TestReply.of(Command.GET).withTopic(bytes("nokey"))));
    }

    @Test
    void shouldAnswerPingWithPongOrItsText()
    {
        assertEquals("+PONG\r\n", reply(RESP2, TestReply.of(Command.PING)));
        assertEquals("+PONG\r\n", reply(RESP3, TestReply.of(Command.PING)));
        assertEquals("$2\r\nhi\r\n", reply(RESP2, TestReply.of(Command.PING).withPayload(buffer("hi"))));
        assertEquals("$2\r\nhi\r\n", reply(RESP3, TestReply.of(Command.PING).withPayload(buffer("hi"))));
    }

    @Test
    void shouldAnswerPingOfASubscribedRedis2ConnectionWithAPongArray()
    {
        assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", reply(RESP2, TestReply.of(Command.PING).withCount(3)));
        assertEquals("*2\r\n$4\r\npong\r\n$1\r\nx\r\n", reply(RESP2, TestReply.of(Command.PING).withCount(3)
            .withPayload(buffer("x"))));
        assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", reply(RESP2, TestReply.of(Command.PING).withCount(1)
            .withPayload(buffer(""))));
        assertEquals("+PONG\r\n", reply(RESP3, TestReply.of(Command.PING).withCount(3)), "RESP3 as unsubscribed");
        assertEquals("$1\r\nx\r\n", reply(RESP3, TestReply.of(Command.PING).withCount(3).withPayload(buffer("x"))));
    }

    @Test
    void shouldAnswerTheStaticCommandsAsRedis()
    {
        for (final RespEncoder encoder : new RespEncoder[]{RESP2, RESP3})
        {
            assertEquals("$3\r\nx y\r\n", reply(encoder, raw(RespCommand.ECHO).withPayload(buffer("x y"))));
            assertEquals(":4\r\n", reply(encoder, raw(RespCommand.CLIENT_ID).withSessionId(4)));
            for (final RespCommand ok : new RespCommand[]{RespCommand.CLIENT_SETINFO, RespCommand.SELECT,
                RespCommand.FUNCTION_FLUSH, RespCommand.CLIENT_REPLY})
            {
                assertEquals("+OK\r\n", reply(encoder, raw(ok)), ok.name());
            }
            for (final Command ok : new Command[]{Command.NAME, Command.QUIT, Command.FLUSH, Command.AUTH})
            {
                assertEquals("+OK\r\n", reply(encoder, TestReply.of(ok)), ok.name());
            }
            assertEquals("+RESET\r\n", reply(encoder, TestReply.of(Command.RESET)));
            assertEquals(":" + RespCommandTable.count() + "\r\n", reply(encoder, raw(RespCommand.COMMAND_COUNT)));
            assertEquals("$2\r\nab\r\n", reply(encoder, TestReply.of(Command.GETNAME).withTopic(bytes("ab"))));
        }
        assertEquals("$-1\r\n", reply(RESP2, TestReply.of(Command.GETNAME)));
        assertEquals("_\r\n", reply(RESP3, TestReply.of(Command.GETNAME)));
        assertEquals("*0\r\n", reply(RESP2, raw(RespCommand.COMMAND_DOCS)), "COMMAND DOCS nosuch");
        assertEquals("%0\r\n", reply(RESP3, raw(RespCommand.COMMAND_DOCS)));
    }

    @Test
    void shouldReleaseAPayloadItDoesNotSend()
    {
        final ByteBuf payload = buffer("token");
        assertEquals("+OK\r\n", reply(RESP2, TestReply.of(Command.AUTH).withPayload(payload)));
        assertEquals(0, payload.refCnt());
    }

    @Test
    void shouldAnswerHelloWithRedisMapInTheNewVersion()
    {
        assertEquals("*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:2\r\n"
            + "$2\r\nid\r\n:5\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n",
            reply(RESP2, TestReply.of(Command.HELLO).withSessionId(5)));
        assertEquals("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n"
            + "$2\r\nid\r\n:1234\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n",
            reply(RESP3, TestReply.of(Command.HELLO).withSessionId(1234)));
    }

    @Test
    void shouldListChannelsAndNumsubAsArraysInBothVersions()
    {
        for (final RespEncoder encoder : new RespEncoder[]{RESP2, RESP3})
        {
            assertEquals("*0\r\n", reply(encoder, TestReply.of(Command.CHANNELS).withNames(new byte[0][])));
            assertEquals("*2\r\n$1\r\nb\r\n$1\r\na\r\n", reply(encoder, TestReply.of(Command.CHANNELS)
                .withNames(new byte[][]{bytes("b"), bytes("a")})));
            assertEquals("*4\r\n$1\r\na\r\n:0\r\n$1\r\nb\r\n:12\r\n", reply(encoder, TestReply.of(Command.NUMSUB)
                .withNames(new byte[][]{bytes("a"), bytes("b")}).withNumbers(new long[]{0, 12})));
            assertEquals("*0\r\n", reply(encoder, TestReply.of(Command.NUMSUB).withNames(new byte[0][]).withNumbers(new long[0])));
        }
    }

    @Test
    void shouldSendClientListAsRedisLinesInABulkOrVerbatimString()
    {
        final String lines = "CLIENT id=1 addr=127.0.0.1:5000 name=\r\nCLIENT id=2 addr=127.0.0.1:5001 name=x";
        final String body = "id=1 addr=127.0.0.1:5000 name=\nid=2 addr=127.0.0.1:5001 name=x\n";
        assertEquals("$" + body.length() + "\r\n" + body + "\r\n", reply(RESP2, TestReply.of(Command.CLIENTS).withText(lines)));
        assertEquals("=" + (body.length() + 4) + "\r\ntxt:" + body + "\r\n",
            reply(RESP3, TestReply.of(Command.CLIENTS).withText(lines)));
        assertEquals("$0\r\n\r\n", reply(RESP2, TestReply.of(Command.CLIENTS).withText("")), "CLIENT LIST TYPE pubsub, none");
        assertEquals("=4\r\ntxt:\r\n", reply(RESP3, TestReply.of(Command.CLIENTS).withText("")));
    }

    @Test
    void shouldSendStatsAsRedisInfoText()
    {
        final String stats = "STATS connections=2 topics=1 published=10";
        final String body = "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n\r\n"
            + "# Clients\r\nconnected_clients:2\r\n\r\n"
            + "# Stats\r\nconnections:2\r\ntopics:1\r\npublished:10\r\n";
        assertEquals("$" + body.length() + "\r\n" + body + "\r\n", reply(RESP2, TestReply.of(Command.STATS).withText(stats)));
        assertEquals("=" + (body.length() + 4) + "\r\ntxt:" + body + "\r\n",
            reply(RESP3, TestReply.of(Command.STATS).withText(stats)));
    }

    @Test
    void shouldRefuseCommandsRespHasNoReplyForAfterReleasingThePayload()
    {
        final ByteBuf payload = buffer("x");
        assertThrows(IllegalArgumentException.class, () -> RESP2.reply(ALLOC, TestReply.of(Command.HELP).withPayload(payload)));
        assertEquals(0, payload.refCnt());
    }

    @Test
    void shouldDescribeItsProtocol()
    {
        assertEquals(2, RESP2.version());
        assertEquals(3, RESP3.version());
        assertSame(RESP2, RESP3.forVersion(2));
        assertSame(RESP3, RESP2.forVersion(3));
        assertNull(RESP2.forVersion(4));
        assertNull(RESP2.forVersion(1));
        assertTrue(RESP2.restrictsWhileSubscribed());
        assertFalse(RESP3.restrictsWhileSubscribed());
        assertTrue(RESP2.acknowledgesPublish() && RESP3.acknowledgesPublish());
        assertTrue(RESP2.deliversPerSubscription() && RESP3.deliversPerSubscription());
        assertFalse(RESP2.sendsCanonicalFrame() || RESP3.sendsCanonicalFrame());
    }
}
