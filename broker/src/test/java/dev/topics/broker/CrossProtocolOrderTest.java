package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import dev.topics.testing.RespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.topics.broker.Resp.bulk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One order per topic over both protocols: several text and several RESP publishers publish to
 * one topic at once, pipelining; text subscribers (SUB), RESP2 and RESP3 subscribers (SUBSCRIBE)
 * and a RESP pattern subscriber (PSUBSCRIBE) must all see every message exactly once, each
 * publisher's in its own order, and all of them the identical interleaving.
 */
@ExtendWith(NettyLeakGuard.class)
@Timeout(120)
class CrossProtocolOrderTest
{
    private static final String TOPIC = "orders.eu";
    private static final int PUBLISHERS_PER_PROTOCOL = 3;
    private static final int MESSAGES_EACH = 2_000;
    private static final int BATCH = 100;

    @Test
    void shouldGiveEverySubscriberOfEitherProtocolTheSameOrder() throws Exception
    {
        final int total = 2 * PUBLISHERS_PER_PROTOCOL * MESSAGES_EACH;
        final ExecutorService pool = Executors.newCachedThreadPool();
        try (RespFixture fixture = RespFixture.start())
        {
            final List<Callable<List<String>>> readers = new ArrayList<>();
            for (int i = 0; i < 2; i++)
            {
                final LineClient text = fixture.text();
                text.send("SUB " + TOPIC);
                assertEquals("SUBSCRIBED " + TOPIC, text.readLine());
                readers.add(() ->
                {
                    final List<String> got = new ArrayList<>(total);
                    final String prefix = "UPDATED " + TOPIC + " ";
                    for (int n = 0; n < total; n++)
                    {
                        final String line = text.readLine();
                        assertTrue(line.startsWith(prefix), line);
                        got.add(line.substring(prefix.length()));
                    }
                    return got;
                });
            }
            for (final boolean resp3 : new boolean[] {false, true})
            {
                final RespClient resp = fixture.resp();
                if (resp3)
                {
                    Resp3EndToEndTest.assertHello(resp.call("HELLO", "3"), 3);
                }
                assertEquals((resp3 ? ">" : "*") + "3\r\n$9\r\nsubscribe\r\n$" + TOPIC.length() + "\r\n" + TOPIC + "\r\n:1\r\n",
                    resp.call("SUBSCRIBE", TOPIC));
                final String prefix = (resp3 ? ">" : "*") + "3\r\n$7\r\nmessage\r\n" + bulk(TOPIC);
                readers.add(() -> readResp(resp, prefix, total));
            }
            final RespClient patterns = fixture.resp();
            assertEquals("*3\r\n$10\r\npsubscribe\r\n$8\r\norders.*\r\n:1\r\n", patterns.call("PSUBSCRIBE", "orders.*"));
            readers.add(() -> readResp(patterns, "*4\r\n$8\r\npmessage\r\n" + bulk("orders.*") + bulk(TOPIC), total));

            final List<Future<List<String>>> received = new ArrayList<>();
            for (final Callable<List<String>> reader : readers)
            {
                received.add(pool.submit(reader));
            }
            final List<Future<?>> writers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS_PER_PROTOCOL; p++)
            {
                final LineClient text = fixture.text();
                final RespClient resp = fixture.resp();
                final String textId = "t" + p;
                final String respId = "r" + p;
                writers.add(pool.submit(() ->
                {
                    for (int seq = 0; seq < MESSAGES_EACH; seq += BATCH)
                    {
                        final StringBuilder batch = new StringBuilder();
                        for (int i = seq; i < seq + BATCH; i++)
                        {
                            batch.append("PUB ").append(TOPIC).append(' ').append(textId).append(' ').append(i).append("\r\n");
                        }
                        text.sendRaw(batch.append("PING ").append(seq).append("\r\n").toString());
                        assertEquals("PONG " + seq, text.readLine());
                    }
                    return null;
                }));
                writers.add(pool.submit(() ->
                {
                    final String receivers = ":5\r\n";
                    for (int seq = 0; seq < MESSAGES_EACH; seq += BATCH)
                    {
                        final ByteArrayOutputStream batch = new ByteArrayOutputStream();
                        for (int i = seq; i < seq + BATCH; i++)
                        {
                            batch.writeBytes(RespClient.encode("PUBLISH", TOPIC, respId + " " + i));
                        }
                        resp.sendRaw(batch.toByteArray());
                        for (int i = seq; i < seq + BATCH; i++)
                        {
                            assertEquals(receivers, resp.read(), "2 text + 2 RESP channel subscribers + 1 pattern");
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> writer : writers)
            {
                writer.get(60, TimeUnit.SECONDS);
            }
            List<String> first = null;
            for (int r = 0; r < received.size(); r++)
            {
                final List<String> got = received.get(r).get(60, TimeUnit.SECONDS);
                assertEquals(total, got.size());
                final Map<String, List<Integer>> perPublisher = new TreeMap<>();
                for (final String message : got)
                {
                    final String[] parts = message.split(" ");
                    perPublisher.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                }
                assertEquals(2 * PUBLISHERS_PER_PROTOCOL, perPublisher.size(), "subscriber " + r + ": every publisher");
                for (final Map.Entry<String, List<Integer>> entry : perPublisher.entrySet())
                {
                    final List<Integer> seqs = entry.getValue();
                    for (int i = 0; i < MESSAGES_EACH; i++)
                    {
                        if (seqs.size() != MESSAGES_EACH || seqs.get(i) != i)
                        {
                            throw new AssertionError("subscriber " + r + ": publisher " + entry.getKey() + "'s messages not once each in order");
                        }
                    }
                }
                if (first == null)
                {
                    first = got;
                }
                else if (!first.equals(got))
                {
                    int at = 0;
                    while (first.get(at).equals(got.get(at)))
                    {
                        at++;
                    }
                    throw new AssertionError("subscriber " + r + " saw another order than subscriber 0, first at position " + at + ": "
                        + got.get(at) + " instead of " + first.get(at));
                }
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    /** Reads {@code count} deliveries that start with {@code prefix} and end with a bulk payload; returns the payloads. */
    private static List<String> readResp(final RespClient client, final String prefix, final int count) throws Exception
    {
        final List<String> got = new ArrayList<>(count);
        for (int n = 0; n < count; n++)
        {
            final String value = client.read();
            assertTrue(value.startsWith(prefix), value);
            final String payloadBulk = value.substring(prefix.length());
            final int header = payloadBulk.indexOf("\r\n");
            final String payload = payloadBulk.substring(header + 2, payloadBulk.length() - 2);
            assertEquals(bulk(payload), payloadBulk, "one bulk string after the prefix");
            got.add(payload);
        }
        return got;
    }
}
