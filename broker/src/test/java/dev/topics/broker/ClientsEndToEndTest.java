package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code CLIENTS} and {@code NAME} over real sockets against the real broker: what the listing
 * says about each connection after known traffic, with a {@code PING} as the barrier that makes
 * the counts exact.
 */
@ExtendWith(NettyLeakGuard.class)
class ClientsEndToEndTest
{
    private static final List<String> KEYS = List.of("id", "addr", "name", "age_s", "idle_s", "subscriptions", "patterns",
        "pending_bytes", "msgs_in", "bytes_in", "msgs_out", "bytes_out", "closing");

    private static TopicsBroker broker;

    @BeforeAll
    static void launch() throws InterruptedException
    {
        broker = TestBrokers.launch();
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

    /** How the broker names a client's connection: its address as the server sees it. */
    private static String addr(final LineClient client)
    {
        return "127.0.0.1:" + client.socket().getLocalPort();
    }

    /** Sends CLIENTS and reads every line up to END, by address; each line's keys in order. */
    private static Map<String, Map<String, String>> clients(final LineClient asker) throws IOException
    {
        asker.send("CLIENTS");
        final Map<String, Map<String, String>> byAddress = new HashMap<>();
        String line;
        while (!(line = asker.readLine()).equals("END"))
        {
            assertTrue(line.startsWith("CLIENT "), line);
            final Map<String, String> values = new LinkedHashMap<>();
            for (final String pair : line.substring("CLIENT ".length()).split(" "))
            {
                final int eq = pair.indexOf('=');
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            assertEquals(KEYS, new ArrayList<>(values.keySet()), line);
            byAddress.put(values.get("addr"), values);
        }
        return byAddress;
    }

    /** Reads {@code count} lines, returning how many bytes they took with their line endings. */
    private static int read(final LineClient client, final int count, final String prefix) throws IOException
    {
        int bytes = 0;
        for (int i = 0; i < count; i++)
        {
            final byte[] line = client.readLineBytes();
            final String text = new String(line, StandardCharsets.UTF_8);
            assertTrue(text.startsWith(prefix), text);
            bytes += line.length;
        }
        return bytes;
    }

    @Test
    void shouldListEachConnectionWithExactSubscriptionsItsNameAndItsTraffic() throws Exception
    {
        try (LineClient subscriber = connect(); LineClient publisher = connect())
        {
            final String subscriberSent = "NAME feed-1\r\nSUB e2e.clients.a\r\nSUB e2e.clients.b\r\nSUB e2e.clients.>\r\n";
            subscriber.sendRaw(subscriberSent);
            int subscriberReceived = read(subscriber, 1, "OK") + read(subscriber, 3, "SUBSCRIBED ");

            final StringBuilder publisherSent = new StringBuilder();
            for (int i = 0; i < 5; i++)
            {
                publisherSent.append("PUB e2e.clients.a message-").append(i).append("\r\n");
            }
            publisherSent.append("GET e2e.clients.a\r\nPING done\r\n");
            publisher.sendRaw(publisherSent.toString());
            final int publisherReceived = read(publisher, 1, "VALUE ") + read(publisher, 1, "PONG done");
            // Once each, though an exact subscription and a pattern both match.
            subscriberReceived += read(subscriber, 5, "UPDATED e2e.clients.a message-");
            subscriber.send("PING");
            subscriberReceived += read(subscriber, 1, "PONG");

            final Map<String, Map<String, String>> listing = clients(publisher);
            publisherSent.append("CLIENTS\r\n");
            final Map<String, String> sub = listing.get(addr(subscriber));
            final Map<String, String> pub = listing.get(addr(publisher));
            assertTrue(sub != null && pub != null, () -> "both connections listed: " + listing);
            assertNotEquals(sub.get("id"), pub.get("id"));

            assertEquals("feed-1", sub.get("name"));
            assertEquals("2", sub.get("subscriptions"), "exact topics only");
            assertEquals("1", sub.get("patterns"));
            assertEquals("0", sub.get("msgs_in"));
            assertEquals(String.valueOf(subscriberSent.length() + "PING\r\n".length()), sub.get("bytes_in"));
            assertEquals("5", sub.get("msgs_out"));
            assertEquals(String.valueOf(subscriberReceived), sub.get("bytes_out"));
            assertEquals("0", sub.get("pending_bytes"), "the client read everything");
            assertEquals("", sub.get("closing"));

            assertEquals("", pub.get("name"), "no NAME, empty name");
            assertEquals("0", pub.get("subscriptions"));
            assertEquals("0", pub.get("patterns"));
            assertEquals("5", pub.get("msgs_in"), "its PUBs, not its other commands");
            assertEquals(String.valueOf(publisherSent.length()), pub.get("bytes_in"), "CLIENTS itself was read before it ran");
            assertEquals("0", pub.get("msgs_out"));
            assertEquals(String.valueOf(publisherReceived), pub.get("bytes_out"), "not yet this reply");
            for (final Map<String, String> client : List.of(sub, pub))
            {
                assertTrue(Long.parseLong(client.get("age_s")) >= 0 && Long.parseLong(client.get("idle_s")) >= 0, client::toString);
            }
        }
    }

    @Test
    void shouldForgetAClientThatLeft() throws Exception
    {
        try (LineClient observer = connect())
        {
            final String gone;
            try (LineClient leaving = connect())
            {
                leaving.send("NAME leaving");
                assertEquals("OK", leaving.readLine());
                gone = addr(leaving);
                assertEquals("leaving", clients(observer).get(gone).get("name"));
            }
            final long deadline = System.currentTimeMillis() + LineClient.TIMEOUT_MS;
            Map<String, Map<String, String>> listing = clients(observer);
            while (listing.containsKey(gone) && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(10);
                listing = clients(observer);
            }
            assertFalse(listing.containsKey(gone), "a closed connection leaves the listing: " + listing);
            assertTrue(listing.containsKey(addr(observer)));
        }
    }

    @Test
    void shouldKeepANamesBytesReplaceItOnRenameAndRefuseABadOne() throws Exception
    {
        try (LineClient client = connect())
        {
            client.send("NAME first");
            assertEquals("OK", client.readLine());
            client.send("NAME fëed-🙂");
            assertEquals("OK", client.readLine());
            assertEquals("fëed-🙂", clients(client).get(addr(client)).get("name"), "UTF-8 comes back byte for byte");

            client.send("NAME");
            assertEquals("ERR bad-name NAME needs a name: NAME <name>", client.readLine());
            client.send("NAME two words");
            assertEquals("ERR bad-name a name is one word of 1 to 64 bytes with no control characters", client.readLine());
            client.send("NAME " + "n".repeat(65));
            assertTrue(client.readLine().startsWith("ERR bad-name "));
            client.send("NAME " + "n".repeat(64));
            assertEquals("OK", client.readLine(), "64 bytes is the limit, not more");
            client.send("NAME a\u0001");
            assertTrue(client.readLine().startsWith("ERR bad-name "));
            assertEquals("n".repeat(64), clients(client).get(addr(client)).get("name"), "a refused NAME changes nothing");
        }
    }
}
