package dev.topics.broker.security;

import dev.topics.broker.TestBrokers;
import dev.topics.broker.TopicsBroker;
import dev.topics.testing.LineClient;
import dev.topics.transport.SecurityConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code AUTH} end to end: real sockets against a broker launched in-process with a token. */
class AuthEndToEndTest
{
    private static final String TOKEN = "s3cret-token";
    private static final String AUTH_REQUIRED = "ERR auth-required send AUTH <token> first";
    private static final String AUTH_FAILED = "ERR auth-failed wrong token";

    private static TopicsBroker broker;

    @BeforeAll
    static void launch() throws InterruptedException
    {
        broker = TopicsBroker.launch(TestBrokers.loopback()
            .security(SecurityConfig.NONE.withAuthToken(TOKEN))
            .build());
    }

    @AfterAll
    static void close()
    {
        broker.close();
    }

    @Test
    void shouldAnswerAuthRequiredToEveryCommandBeforeAuthAndChangeNothing() throws Exception
    {
        try (LineClient subscriber = authenticated(); LineClient stranger = new LineClient(broker.address()))
        {
            subscriber.sendRaw("SUB before-auth\r\n");
            assertEquals("SUBSCRIBED before-auth", subscriber.readLine());

            stranger.sendRaw("SUB before-auth\r\nPUB before-auth hello\r\nGET before-auth\r\nPING x\r\nHELP\r\nSTATS\r\n");
            for (int i = 0; i < 6; i++)
            {
                assertEquals(AUTH_REQUIRED, stranger.readLine());
            }
            // The stranger's PUB went through the engine before its ERR came back: had it been
            // applied, the subscriber would see UPDATED before PONG, and GET would find a value.
            subscriber.sendRaw("PING\r\nGET before-auth\r\n");
            assertEquals("PONG", subscriber.readLine());
            assertEquals("NOVALUE before-auth", subscriber.readLine());
        }
    }

    @Test
    void shouldRefuseClientsAndNameBeforeAuthAndListOnceAuthenticated() throws Exception
    {
        try (LineClient client = new LineClient(broker.address()))
        {
            client.sendRaw("CLIENTS\r\nNAME sneaky\r\n");
            assertEquals(AUTH_REQUIRED, client.readLine(), "nobody learns who is connected without the token");
            assertEquals(AUTH_REQUIRED, client.readLine());
            client.sendRaw("AUTH " + TOKEN + "\r\nNAME trusted\r\nCLIENTS\r\n");
            assertEquals("OK", client.readLine());
            assertEquals("OK", client.readLine());
            final List<String> lines = new ArrayList<>();
            String line;
            while (!(line = client.readLine()).equals("END"))
            {
                lines.add(line);
            }
            final String me = " addr=127.0.0.1:" + client.socket().getLocalPort() + " name=trusted ";
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("CLIENT ") && l.contains(me)), () -> "listed as named: " + lines);
        }
    }

    @Test
    void shouldKeepTheConnectionOpenAfterAWrongTokenAndAcceptTheRightOneLater() throws Exception
    {
        try (LineClient client = new LineClient(broker.address()))
        {
            client.sendRaw("AUTH wrong\r\n");
            assertEquals(AUTH_FAILED, client.readLine());
            client.sendRaw("PING still-locked\r\n");
            assertEquals(AUTH_REQUIRED, client.readLine());
            client.sendRaw("AUTH " + TOKEN + "\r\nPING open\r\n");
            assertEquals("OK", client.readLine());
            assertEquals("PONG open", client.readLine());
        }
    }

    @Test
    void shouldCloseTheConnectionAfterThreeWrongTokens() throws Exception
    {
        try (LineClient client = new LineClient(broker.address()))
        {
            client.sendRaw("AUTH a\r\nAUTH b\r\nAUTH c\r\nAUTH " + TOKEN + "\r\nPING\r\n");
            assertEquals(AUTH_FAILED, client.readLine());
            assertEquals(AUTH_FAILED, client.readLine());
            assertEquals(AUTH_FAILED, client.readLine());
            assertEquals("BYE", client.readLine());
            // Nothing sent after the third failure is answered, not even the right token.
            assertEquals("", client.readUntilClosed());
        }
    }

    @Test
    void shouldServeEveryCommandAfterAuthEvenWhenPipelinedBehindIt() throws Exception
    {
        try (LineClient client = new LineClient(broker.address()))
        {
            client.sendRaw("auth " + TOKEN + "\r\nSUB after-auth\r\nPUB after-auth hello world\r\nGET after-auth\r\nPING done\r\n");
            assertEquals("OK", client.readLine());
            assertEquals("SUBSCRIBED after-auth", client.readLine());
            assertEquals("UPDATED after-auth hello world", client.readLine());
            assertEquals("VALUE after-auth hello world", client.readLine());
            assertEquals("PONG done", client.readLine());
            client.sendRaw("QUIT\r\n");
            assertEquals("BYE", client.readLine());
        }
    }

    @Test
    void shouldAnswerOkToARepeatedRightToken() throws Exception
    {
        try (LineClient client = authenticated())
        {
            client.sendRaw("AUTH " + TOKEN + "\r\n");
            assertEquals("OK", client.readLine());
        }
    }

    @Test
    void shouldLetAClientQuitBeforeAuth() throws Exception
    {
        try (LineClient client = new LineClient(broker.address()))
        {
            client.sendRaw("QUIT\r\n");
            assertEquals("BYE", client.readLine());
            assertEquals("", client.readUntilClosed());
        }
    }

    @Test
    void shouldKeepServingAuthenticatedClientsWhileAnotherFailsAuth() throws Exception
    {
        try (LineClient subscriber = authenticated();
             LineClient publisher = authenticated();
             LineClient attacker = new LineClient(broker.address()))
        {
            subscriber.sendRaw("SUB shared\r\n");
            assertEquals("SUBSCRIBED shared", subscriber.readLine());
            attacker.sendRaw("AUTH guess-1\r\nPUB shared forged\r\nAUTH guess-2\r\n");
            publisher.sendRaw("PUB shared genuine\r\nPING\r\n");
            assertEquals("PONG", publisher.readLine());
            assertEquals(AUTH_FAILED, attacker.readLine());
            assertEquals(AUTH_REQUIRED, attacker.readLine());
            assertEquals(AUTH_FAILED, attacker.readLine());
            subscriber.sendRaw("PING\r\n");
            assertEquals("UPDATED shared genuine", subscriber.readLine());
            assertEquals("PONG", subscriber.readLine());
        }
    }

    @Test
    void shouldCountWrongTokensInStats() throws Exception
    {
        try (LineClient client = authenticated(); LineClient other = new LineClient(broker.address()))
        {
            final long before = statsValue(client, "auth_failures");
            other.sendRaw("AUTH nope\r\n");
            assertEquals(AUTH_FAILED, other.readLine());
            assertEquals(before + 1, statsValue(client, "auth_failures"));
        }
    }

    @Test
    void shouldNotShowTheTokenWhenTheConfigIsPrinted()
    {
        final String printed = SecurityConfig.NONE.withAuthToken(TOKEN).toString();
        assertFalse(printed.contains(TOKEN), printed);
        assertTrue(printed.contains("auth=on"), printed);
    }

    private static LineClient authenticated() throws Exception
    {
        final LineClient client = new LineClient(broker.address());
        client.sendRaw("AUTH " + TOKEN + "\r\n");
        assertEquals("OK", client.readLine());
        return client;
    }

    /** One {@code key=value} figure from STATS. */
    static long statsValue(final LineClient client, final String key) throws Exception
    {
        client.sendRaw("STATS\r\n");
        final String stats = client.readLine();
        for (final String pair : stats.split(" "))
        {
            if (pair.startsWith(key + "="))
            {
                return Long.parseLong(pair.substring(key.length() + 1));
            }
        }
        throw new AssertionError(key + " missing from " + stats);
    }
}
