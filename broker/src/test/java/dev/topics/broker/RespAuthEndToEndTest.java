package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import dev.topics.testing.RespClient;
import dev.topics.transport.SecurityConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.topics.broker.Resp.OK;
import static dev.topics.broker.Resp.PONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --auth-token on the RESP listener: AUTH token, AUTH default token and HELLO 3 AUTH default
 * token, Redis' NOAUTH and WRONGPASS errors (bytes of redis-server 7.0.15 with requirepass), and the
 * same token still guarding the text listener. Without a token, AUTH answers as Redis without a
 * password.
 */
@ExtendWith(NettyLeakGuard.class)
@Timeout(60)
class RespAuthEndToEndTest
{
    private static final String TOKEN = "s3cret";
    private static final String NOAUTH = "-NOAUTH Authentication required.\r\n";
    private static final String WRONGPASS = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

    private static RespFixture withToken() throws InterruptedException
    {
        return RespFixture.start(TestBrokers.loopback().security(SecurityConfig.NONE.withAuthToken(TOKEN)));
    }

    @Test
    void shouldRefuseCommandsBeforeAuthAndAcceptAuthTokenOnTheRespPort() throws Exception
    {
        try (RespFixture fixture = withToken())
        {
            final RespClient client = fixture.resp();
            assertEquals(NOAUTH, client.call("PING"));
            assertEquals(NOAUTH, client.call("SUBSCRIBE", "x"));
            assertEquals(NOAUTH, client.call("PUBLISH", "x", "y"));
            assertEquals(NOAUTH, client.call("GET", "x"));
            assertEquals("-ERR unknown command 'FOO', with args beginning with: \r\n", client.call("FOO"),
                "as Redis 7.0: an unknown command is refused as unknown before authentication");
            assertEquals(WRONGPASS, client.call("AUTH", "bad"));
            assertEquals(WRONGPASS, client.call("AUTH", "default", "bad"));
            assertEquals("-ERR syntax error\r\n", client.call("AUTH", "a", "b", "c"));
            final RespClient bob = fixture.resp();
            assertEquals(WRONGPASS, bob.call("AUTH", "bob", TOKEN), "only the default user");
            assertEquals(OK, client.call("AUTH", TOKEN));
            assertEquals(PONG, client.call("PING"));
            assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\nx\r\n:1\r\n", client.call("SUBSCRIBE", "x"));
            final RespClient other = fixture.resp();
            assertEquals(OK, other.call("AUTH", "default", TOKEN));
            assertEquals(":1\r\n", other.call("PUBLISH", "x", "authed"));
            assertEquals("*3\r\n$7\r\nmessage\r\n$1\r\nx\r\n$6\r\nauthed\r\n", client.read());
        }
    }

    @Test
    void shouldCloseAfterTheThirdWrongTokenAsTheTextPortDoes() throws Exception
    {
        try (RespFixture fixture = withToken())
        {
            final RespClient client = fixture.resp();
            assertEquals(WRONGPASS, client.call("AUTH", "bad"));
            assertEquals(WRONGPASS, client.call("AUTH", "default", "bad"));
            client.send("AUTH", "bob", TOKEN);
            assertEquals(WRONGPASS, client.readUntilClosed(),
                "topics' three-strikes rule of the text port (docs/protocol.md, AUTH) holds here too; Redis itself never closes");
        }
    }

    @Test
    void shouldRefuseHelloBeforeAuthWithRedisHelloSpecificText() throws Exception
    {
        try (RespFixture fixture = withToken())
        {
            final RespClient client = fixture.resp();
            assertEquals("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option"
                + " can be used to authenticate the client and select the RESP protocol version at the same time\r\n", client.call("HELLO", "3"));
            assertEquals(NOAUTH, client.call("PING"), "still not authenticated, still RESP2");
        }
    }

    @Test
    void shouldAuthenticateWithHelloAuthAndStillGuardTheTextPort() throws Exception
    {
        try (RespFixture fixture = withToken())
        {
            final RespClient client = fixture.resp();
            assertEquals(WRONGPASS, client.call("HELLO", "3", "AUTH", "default", "bad"));
            assertEquals(NOAUTH, client.call("PING"), "a failed HELLO AUTH changes nothing");
            Resp3EndToEndTest.assertHello(client.call("HELLO", "3", "AUTH", "default", TOKEN, "SETNAME", "n1"), 3);
            assertEquals("$2\r\nn1\r\n", client.call("CLIENT", "GETNAME"));
            assertEquals(">3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n", client.call("SUBSCRIBE", "news"));

            final LineClient text = fixture.text();
            text.send("PUB news unauthenticated");
            assertTrue(text.readLine().startsWith("ERR auth-required"), "the text port wants the same token");
            text.send("AUTH " + TOKEN);
            assertEquals("OK", text.readLine());
            text.send("PUB news from text");
            assertEquals(">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$9\r\nfrom text\r\n", client.read());

            final RespClient quitter = fixture.resp();
            assertEquals(OK, quitter.call("QUIT"), "QUIT needs no AUTH");
            assertEquals("", quitter.readUntilClosed());
            final RespClient resetter = fixture.resp();
            assertEquals("+RESET\r\n", resetter.call("RESET"), "RESET needs no AUTH");
            assertEquals(NOAUTH, resetter.call("ECHO", "x"));
        }
    }

    @Test
    void shouldAnswerAuthAsRedisWithoutAPasswordWhenThereIsNoToken() throws Exception
    {
        try (RespFixture fixture = RespFixture.start())
        {
            final RespClient client = fixture.resp();
            assertEquals("-ERR AUTH <password> called without any password configured for the default user."
                + " Are you sure your configuration is correct?\r\n", client.call("AUTH", "x"));
            assertEquals(OK, client.call("AUTH", "default", "anything"), "Redis' default user is nopass: any password");
            Resp3EndToEndTest.assertHello(client.call("HELLO", "3", "AUTH", "default", "x"), 3);
            assertEquals(PONG, client.call("PING"));
        }
    }
}
