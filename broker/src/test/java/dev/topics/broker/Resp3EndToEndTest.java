package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import dev.topics.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.topics.broker.Resp.NIL3;
import static dev.topics.broker.Resp.OK;
import static dev.topics.broker.Resp.PONG;
import static dev.topics.broker.Resp.bulk;
import static dev.topics.broker.Resp.confirm3;
import static dev.topics.broker.Resp.message3;
import static dev.topics.broker.Resp.pmessage3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HELLO and RESP3 on the RESP listener: the HELLO map, pushes ({@code >}) for confirmations and
 * messages, RESP3 nulls, no subscribed-mode restrictions, CLIENT REPLY OFF/SKIP silencing replies
 * but not pushes. Bytes as redis-server 7.0.15 sends them (HELLO's version and id excepted).
 */
@ExtendWith(NettyLeakGuard.class)
@Timeout(60)
class Resp3EndToEndTest
{
    /** Redis' HELLO reply: map (RESP3) or flat array (RESP2) of server, version, proto, id, mode, role, modules. */
    static final Pattern HELLO = Pattern.compile("(%7|\\*14)\r\n\\$6\r\nserver\r\n\\$5\r\nredis\r\n\\$7\r\nversion\r\n\\$[0-9]+\r\n[0-9.]+\r\n"
        + "\\$5\r\nproto\r\n:([23])\r\n\\$2\r\nid\r\n:([0-9]+)\r\n\\$4\r\nmode\r\n\\$10\r\nstandalone\r\n"
        + "\\$4\r\nrole\r\n\\$6\r\nmaster\r\n\\$7\r\nmodules\r\n\\*0\r\n");

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

    /** Asserts {@code reply} is Redis' HELLO reply for {@code proto} and returns its id. */
    static long assertHello(final String reply, final int proto)
    {
        final Matcher matcher = HELLO.matcher(reply);
        assertTrue(matcher.matches(), () -> "not Redis' HELLO reply: " + reply);
        assertEquals(proto == 3 ? "%7" : "*14", matcher.group(1), reply);
        assertEquals(Integer.toString(proto), matcher.group(2), reply);
        return Long.parseLong(matcher.group(3));
    }

    @Test
    void shouldAnswerHelloWithRedisMapAndSwitchProtocols() throws Exception
    {
        final RespClient client = fixture.resp();
        final long id = assertHello(client.call("HELLO"), 2);
        assertEquals(":" + id + "\r\n", client.call("CLIENT", "ID"), "HELLO's id is CLIENT ID");
        assertEquals(id, assertHello(client.call("HELLO", "3"), 3));
        assertEquals(NIL3, client.call("GET", "nothing"), "RESP3 null");
        assertEquals(NIL3, client.call("CLIENT", "GETNAME"));
        assertHello(client.call("HELLO"), 3);
        assertHello(client.call("HELLO", "2"), 2);
        assertEquals("$-1\r\n", client.call("GET", "nothing"), "back to RESP2");
        assertEquals("-NOPROTO unsupported protocol version\r\n", client.call("HELLO", "4"));
        assertEquals("-NOPROTO unsupported protocol version\r\n", client.call("HELLO", "1"));
        assertEquals("-ERR Protocol version is not an integer or out of range\r\n", client.call("HELLO", "x"));
        assertEquals("-ERR Syntax error in HELLO option 'BOGUS'\r\n", client.call("HELLO", "2", "BOGUS"));
        assertHello(client.call("HELLO", "3", "SETNAME", "named"), 3);
        assertEquals("$5\r\nnamed\r\n", client.call("CLIENT", "GETNAME"));
        assertEquals("+RESET\r\n", client.call("RESET"));
        assertEquals("$-1\r\n", client.call("CLIENT", "GETNAME"), "RESET: back to RESP2, no name");
    }

    @Test
    void shouldSendConfirmationsAndMessagesAsPushesWithNoOtherReply() throws Exception
    {
        final RespClient client = fixture.resp();
        final RespClient publisher = fixture.resp();
        assertHello(client.call("HELLO", "3"), 3);
        client.send("SUBSCRIBE", "a", "b", "a");
        assertEquals(">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", client.read());
        assertEquals(">3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n", client.read());
        assertEquals(">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n", client.read());
        assertEquals(">3\r\n$10\r\npsubscribe\r\n$2\r\na*\r\n:3\r\n", client.call("PSUBSCRIBE", "a*"));
        assertEquals(PONG, client.call("PING"), "RESP3 has no subscribed mode: PING is +PONG, and nothing came before it");
        assertEquals("$1\r\nx\r\n", client.call("PING", "x"));
        assertEquals("$1\r\ne\r\n", client.call("ECHO", "e"), "any command while subscribed");
        assertEquals(NIL3, client.call("GET", "a"));
        assertEquals(":2\r\n", publisher.call("PUBLISH", "a", "hello"));
        assertEquals(">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$5\r\nhello\r\n", client.read());
        assertEquals(">4\r\n$8\r\npmessage\r\n$2\r\na*\r\n$1\r\na\r\n$5\r\nhello\r\n", client.read());
        assertEquals("*4\r\n$1\r\na\r\n:1\r\n$2\r\nzz\r\n:0\r\n", client.call("PUBSUB", "NUMSUB", "a", "zz"));
        assertEquals(":1\r\n", client.call("PUBSUB", "NUMPAT"));
        assertEquals("*1\r\n$1\r\nb\r\n", client.call("PUBSUB", "CHANNELS", "b"));
        assertEquals(">3\r\n$11\r\nunsubscribe\r\n$2\r\nzz\r\n:3\r\n", client.call("UNSUBSCRIBE", "zz"));
        client.send("UNSUBSCRIBE", "a", "b");
        assertEquals(confirm3("unsubscribe", "a", 2), client.read());
        assertEquals(confirm3("unsubscribe", "b", 1), client.read());
        assertEquals(">3\r\n$11\r\nunsubscribe\r\n_\r\n:1\r\n", client.call("UNSUBSCRIBE"), "RESP3's null name");
        assertEquals(">3\r\n$12\r\npunsubscribe\r\n$2\r\na*\r\n:0\r\n", client.call("PUNSUBSCRIBE"));
        assertEquals(">3\r\n$12\r\npunsubscribe\r\n_\r\n:0\r\n", client.call("PUNSUBSCRIBE"));
        assertEquals(PONG, client.call("PING"));
    }

    @Test
    void shouldPushASubscribersOwnPublicationBeforeThePublishReply() throws Exception
    {
        final RespClient client = fixture.resp();
        assertHello(client.call("HELLO", "3"), 3);
        client.send("SUBSCRIBE", "a").read();
        client.send("PSUBSCRIBE", "a*").read();
        client.send("PUBLISH", "a", "self");
        assertEquals(message3("a", "self") + pmessage3("a*", "a", "self") + ":2\r\n", client.read(3), "as Redis: pushes, then the reply");
    }

    @Test
    void shouldSilenceRepliesButNotPushesWithClientReplyOffAndSkipOneWithSkip() throws Exception
    {
        final RespClient client = fixture.resp();
        final RespClient publisher = fixture.resp();
        assertHello(client.call("HELLO", "3"), 3);
        client.send("CLIENT", "REPLY", "OFF");
        client.send("PING");
        client.send("GET", "x");
        client.send("SUBSCRIBE", "q");
        assertEquals(">3\r\n$9\r\nsubscribe\r\n$1\r\nq\r\n:1\r\n", client.read(), "no reply to OFF, PING, GET; the push is sent");
        assertEquals(":1\r\n", publisher.call("PUBLISH", "q", "pushed"));
        assertEquals(message3("q", "pushed"), client.read(), "messages are pushed while OFF");
        client.send("ECHO", "silenced");
        assertEquals(OK, client.call("CLIENT", "REPLY", "ON"), "ON answers +OK; nothing between");
        client.send("CLIENT", "REPLY", "SKIP");
        client.send("PING", "skipped");
        assertEquals("$5\r\nafter\r\n", client.call("PING", "after"), "SKIP skips the next command's reply only");
        assertEquals("-ERR syntax error\r\n", client.call("CLIENT", "REPLY", "MAYBE"));
    }

    @Test
    void shouldAnswerInfoAsAVerbatimStringInResp3() throws Exception
    {
        final RespClient client = fixture.resp();
        assertHello(client.call("HELLO", "3"), 3);
        final String info = client.call("INFO");
        assertTrue(info.matches("(?s)=[0-9]+\r\ntxt:.*redis_version:.*\r\n"), info);
        assertEquals("%0\r\n", client.call("COMMAND", "DOCS", "nosuch"), "as Redis: an empty map in RESP3");
    }

    @Test
    void shouldDeliverTextPublicationsAsPushesAndKeepOnePushStreamWithRepliesInterleaved() throws Exception
    {
        final RespClient client = fixture.resp();
        final LineClient text = fixture.text();
        assertHello(client.call("HELLO", "3"), 3);
        client.send("SUBSCRIBE", "t").read();
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            text.send("PUB t " + i);
            expected.add(message3("t", Integer.toString(i)));
        }
        text.send("PING sent");
        assertEquals("PONG sent", text.readLine());
        client.send("PING", "end");
        final List<String> received = new ArrayList<>();
        String value;
        while (!(value = client.read()).equals(bulk("end")))
        {
            received.add(value);
        }
        assertEquals(expected, received);
    }
}
