package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.sync.RedisPubSubCommands;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Lettuce 7 against the RESP listener, with its default protocol negotiation (HELLO 3) and with
 * RESP2 forced: a pub/sub connection with a real listener subscribing, pattern-subscribing,
 * receiving what Lettuce and the text port publish and unsubscribing; PUBLISH counts and PUBSUB
 * through Lettuce's own parsing.
 */
@ExtendWith(NettyLeakGuard.class)
@Timeout(60)
class LettucePubSubTest
{
    /** Records every callback as a line, in order. */
    static final class Recorder implements RedisPubSubListener<String, String>
    {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void message(final String channel, final String message)
        {
            events.add("message " + channel + " " + message);
        }

        @Override
        public void message(final String pattern, final String channel, final String message)
        {
            events.add("pmessage " + pattern + " " + channel + " " + message);
        }

        @Override
        public void subscribed(final String channel, final long count)
        {
            events.add("subscribe " + channel + " " + count);
        }

        @Override
        public void psubscribed(final String pattern, final long count)
        {
            events.add("psubscribe " + pattern + " " + count);
        }

        @Override
        public void unsubscribed(final String channel, final long count)
        {
            events.add("unsubscribe " + channel + " " + count);
        }

        @Override
        public void punsubscribed(final String pattern, final long count)
        {
            events.add("punsubscribe " + pattern + " " + count);
        }

        String next() throws InterruptedException
        {
            final String event = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "no Lettuce callback within 10 s");
            return event;
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class)
    void shouldSubscribePatternSubscribeReceiveAndUnsubscribeWithLettuce(final ProtocolVersion protocol) throws Exception
    {
        try (RespFixture fixture = RespFixture.start())
        {
            final RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(fixture.respAddress().getPort())
                .withTimeout(Duration.ofSeconds(10)).build());
            try
            {
                client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
                final LineClient text = fixture.text();
                try (StatefulRedisPubSubConnection<String, String> pubsub = client.connectPubSub();
                     StatefulRedisConnection<String, String> connection = client.connect())
                {
                    final Recorder recorder = new Recorder();
                    pubsub.addListener(recorder);
                    final RedisPubSubCommands<String, String> sub = pubsub.sync();
                    final RedisCommands<String, String> pub = connection.sync();
                    sub.subscribe("news", "sport");
                    assertEquals("subscribe news 1", recorder.next());
                    assertEquals("subscribe sport 2", recorder.next());
                    sub.psubscribe("n*");
                    assertEquals("psubscribe n* 3", recorder.next());
                    assertEquals(2L, pub.publish("news", "hello"), "channel and pattern counted separately");
                    assertEquals("message news hello", recorder.next());
                    assertEquals("pmessage n* news hello", recorder.next());
                    text.send("PUB sport from text");
                    assertEquals("message sport from text", recorder.next());
                    assertEquals(1L, pub.publish("nope", "x"));
                    assertEquals("pmessage n* nope x", recorder.next());
                    assertEquals(Map.of("news", 1L, "zz", 0L), pub.pubsubNumsub("news", "zz"));
                    assertEquals(1L, pub.pubsubNumpat());
                    assertEquals(List.of("news"), pub.pubsubChannels("ne*"));
                    assertEquals("hello", pub.get("news"), "GET: the channel's latest value");
                    assertNull(pub.get("nothing"));
                    assertEquals("PONG", pub.ping());
                    assertEquals(protocol == ProtocolVersion.RESP2 ? "" : "PONG", sub.ping(),
                        "PING on the subscribed connection: in RESP2 Redis answers [pong, \"\"], which Lettuce returns as \"\"");
                    sub.unsubscribe("sport");
                    assertEquals("unsubscribe sport 2", recorder.next());
                    sub.punsubscribe("n*");
                    assertEquals("punsubscribe n* 1", recorder.next());
                    assertEquals(1L, pub.publish("news", "after"));
                    assertEquals("message news after", recorder.next());
                    sub.unsubscribe("news");
                    assertEquals("unsubscribe news 0", recorder.next());
                    assertEquals(0L, pub.publish("news", "nobody"));
                    assertEquals("PONG", sub.ping(), "usable after leaving subscribed mode");
                    assertNull(recorder.events.poll(), recorder.events::toString);
                }
            }
            finally
            {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(10));
            }
        }
    }
}
