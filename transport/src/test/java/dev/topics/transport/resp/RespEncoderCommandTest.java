package dev.topics.transport.resp;

import dev.topics.testing.NettyLeakGuard;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.TestReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.topics.transport.resp.RespBytes.ALLOC;
import static dev.topics.transport.resp.RespBytes.bytes;
import static dev.topics.transport.resp.RespBytes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The COMMAND reply against Redis 7.0.15's own COMMAND INFO of the same commands, captured in RESP2
 * and RESP3 by src/test/resources/resp/capture-command-info.py into
 * redis-7.0.15-command-info.txt (one entry a line, CR, LF and backslash escaped).
 */
@ExtendWith(NettyLeakGuard.class)
class RespEncoderCommandTest
{
    /** Containers whose subcommands are a subset of Redis': compared up to their subcommand list. */
    private static final Map<String, Integer> CONTAINERS = Map.of("client", 6, "pubsub", 3, "command", 2, "function", 1);

    private static Map<String, String> captured(final int version) throws IOException
    {
        final Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = RespEncoderCommandTest.class.getResourceAsStream("/resp/redis-7.0.15-command-info.txt"))
        {
            assertNotNull(in, "captured COMMAND INFO");
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                final String[] parts = line.split(" ", 3);
                if (Integer.parseInt(parts[0]) == version)
                {
                    entries.put(parts[1], unescape(parts[2]));
                }
            }
        }
        return entries;
    }

    private static String unescape(final String escaped)
    {
        final StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++)
        {
            final char c = escaped.charAt(i);
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            final char next = escaped.charAt(++i);
            out.append(next == 'r' ? '\r' : next == 'n' ? '\n' : next);
        }
        return out.toString();
    }

    private static String command(final RespEncoder encoder)
    {
        return text(encoder.reply(ALLOC, TestReply.of(Command.RAW).withDetail(RespCommand.COMMAND.ordinal())));
    }

    private static void assertSameEntriesAsRedis(final RespEncoder encoder) throws IOException
    {
        final String table = command(encoder);
        for (final Map.Entry<String, String> entry : captured(encoder.version()).entrySet())
        {
            final String name = entry.getKey();
            final String redis = entry.getValue();
            final Integer ours = CONTAINERS.get(name);
            if (ours == null)
            {
                assertTrue(table.contains(redis), () -> name + " as Redis lists it: " + redis);
                continue;
            }
            // Redis' head, up to the array of its subcommands, then the count of ours
            final int firstSub = redis.indexOf("*10\r\n", 1);
            final String head = redis.substring(0, redis.lastIndexOf('*', firstSub - 1));
            assertTrue(table.contains(head + "*" + ours + "\r\n*10\r\n"), () -> name + " head: " + head);
        }
    }

    @Test
    void shouldListEachCommandAsRedis2Does() throws IOException
    {
        assertSameEntriesAsRedis(RespEncoder.RESP2);
    }

    @Test
    void shouldListEachCommandAsRedis3Does() throws IOException
    {
        assertSameEntriesAsRedis(RespEncoder.RESP3);
    }

    @Test
    void shouldBeOneWellFormedArrayOfTheTopLevelCommands()
    {
        for (final RespEncoder encoder : new RespEncoder[]{RespEncoder.RESP2, RespEncoder.RESP3})
        {
            final byte[] table = bytes(command(encoder));
            assertEquals(table.length, RespBytes.skipValue(table, 0), "one value, nothing after it");
            assertTrue(RespBytes.chars(table).startsWith("*" + RespCommandTable.count() + "\r\n*10\r\n$9\r\nsubscribe\r\n"));
        }
        // subscribe..publish, pubsub, ping, echo, hello, auth, client, reset, quit, select, get, command, info, flushall, function
        assertEquals(19, RespCommandTable.count());
    }
}
