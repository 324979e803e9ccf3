package dev.topics.loadgen.adapter;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every decoder, fed the same frames split at every possible byte, reports the same events. */
class FrameDecoderTest
{
    @Test
    void shouldDecodeTopicsLinesSplitAnywhere()
    {
        final String input = "SUBSCRIBED lg.t0\r\nPONG lg\r\nUPDATED lg.t0 hello  world \r\n"
            + "VALUE lg.t0 x\r\nERR bad-topic no\r\nUPDATED lg.t1 \r\n";

        assertEverySplit(new TopicsProtocol(), input, List.of("subscribed", "pong", "delivery hello  world ",
            "error ERR bad-topic no", "delivery "));
    }

    @Test
    void shouldDecodeRespFramesSplitAnywhere()
    {
        final String input = "*3\r\n$9\r\nsubscribe\r\n$5\r\nlg.t0\r\n:1\r\n"
            + "*3\r\n$7\r\nmessage\r\n$5\r\nlg.t0\r\n$12\r\nhello\r\nworld\r\n"
            + ":3\r\n+PONG\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n-ERR unknown\r\n";

        assertEverySplit(new RedisProtocol(), input, List.of("subscribed", "delivery hello\r\nworld",
            "receivers 3", "pong", "pong", "error -ERR unknown"));
    }

    @Test
    void shouldDecodeRespPatternFramesSplitAnywhere()
    {
        final String input = "*3\r\n$10\r\npsubscribe\r\n$7\r\nbench.*\r\n:1\r\n"
            + "*4\r\n$8\r\npmessage\r\n$7\r\nbench.*\r\n$7\r\nbench.0\r\n$12\r\nhello\r\nworld\r\n"
            + "*3\r\n$7\r\nmessage\r\n$7\r\nbench.1\r\n$3\r\nabc\r\n"
            + "*4\r\n$8\r\npmessage\r\n$7\r\nbench.*\r\n$7\r\nbench.1\r\n$0\r\n\r\n:2\r\n";

        assertEverySplit(new RedisProtocol(), input, List.of("subscribed", "delivery hello\r\nworld", "delivery abc",
            "delivery ", "receivers 2"));
    }

    @Test
    void shouldDecodeNatsFramesSplitAnywhere()
    {
        final String input = "INFO {\"server_id\":\"x\"}\r\nMSG lg.t0 1 5\r\nhello\r\nPING\r\n"
            + "MSG lg.t1 2 reply.to 3\r\nabc\r\nPONG\r\n+OK\r\n-ERR 'Unknown Protocol Operation'\r\n";

        assertEverySplit(new NatsProtocol(), input, List.of("delivery hello", "ping", "delivery abc", "pong",
            "error -ERR 'Unknown Protocol Operation'"));
    }

    @Test
    void shouldEncodePublishFramesThePeersUnderstand()
    {
        assertEquals("PUB lg.t3 ", ascii(new TopicsProtocol().publishPrefix("lg.t3", 64)));
        assertEquals("*3\r\n$7\r\nPUBLISH\r\n$5\r\nlg.t3\r\n$64\r\n", ascii(new RedisProtocol().publishPrefix("lg.t3", 64)));
        assertEquals("PUB lg.t3 64\r\n", ascii(new NatsProtocol().publishPrefix("lg.t3", 64)));
    }

    @Test
    void shouldEncodePatternSubscribesThePeersUnderstand()
    {
        assertEquals("SUB bench.*\r\n", patternSubscribe(new TopicsProtocol()));
        assertEquals("SUB bench.* 1\r\n", patternSubscribe(new NatsProtocol()));
        assertEquals("*2\r\n$10\r\nPSUBSCRIBE\r\n$7\r\nbench.*\r\n", patternSubscribe(new RedisProtocol()));
    }

    /** What {@code protocol} sends to subscribe to the pattern {@code bench.*}, subscription id 1. */
    private static String patternSubscribe(final WireProtocol protocol)
    {
        final ByteBuffer out = ByteBuffer.allocate(64);
        protocol.encodePatternSubscribe(out, "bench.*", 1);
        out.flip();
        final byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return ascii(bytes);
    }

    private static void assertEverySplit(final WireProtocol protocol, final String input, final List<String> expected)
    {
        final byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++)
        {
            assertEquals(expected, RecordingListener.decodeSplit(protocol, bytes, split), "split at " + split);
        }
    }

    private static String ascii(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
