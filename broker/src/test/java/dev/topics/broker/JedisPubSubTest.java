package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisProtocol;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jedis 8 against the RESP listener: a real
 * JedisPubSub subscribing, pattern-subscribing, receiving what Jedis and the text port publish,
 * unsubscribing; PUBLISH counts and PUBSUB through Jedis' own parsing. Run with the default
 * configuration (which ends up on RESP2 against redis-server 7.0.15 as well),
 * with RESP2 and with RESP3 (HELLO 3) asked for.
 */
@ExtendWith(NettyLeakGuard.class)
@Timeout(60)
class JedisPubSubTest
{
    /** Which protocol Jedis is told to use; null: its default (HELLO 3 negotiation). */
    enum Mode
    {
        DEFAULT(null), RESP2(RedisProtocol.RESP2), RESP3(RedisProtocol.RESP3);

        final RedisProtocol protocol;

        Mode(final RedisProtocol protocol)
        {
            this.protocol = protocol;
        }
    }

    private static Jedis jedis(final InetSocketAddress address, final Mode mode)
    {
        final DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
            .socketTimeoutMillis(10_000).connectionTimeoutMillis(10_000);
        if (mode.protocol != null)
        {
            config.protocol(mode.protocol);
        }
        return new Jedis(new HostAndPort("127.0.0.1", address.getPort()), config.build());
    }

    /** Records every callback as a line, in order. */
    static final class Recorder extends JedisPubSub
    {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(final String channel, final String message)
        {
            events.add("message " + channel + " " + message);
        }

        @Override
        public void onPMessage(final String pattern, final String channel, final String message)
        {
            events.add("pmessage " + pattern + " " + channel + " " + message);
        }

        @Override
        public void onSubscribe(final String channel, final int count)
        {
            events.add("subscribe " + channel + " " + count);
        }

        @Override
        public void onUnsubscribe(final String channel, final int count)
        {
            events.add("unsubscribe " + channel + " " + count);
        }

        @Override
        public void onPSubscribe(final String pattern, final int count)
        {
            events.add("psubscribe " + pattern + " " + count);
        }

        @Override
        public void onPUnsubscribe(final String pattern, final int count)
        {
            events.add("punsubscribe " + pattern + " " + count);
        }

        @Override
        public void onPong(final String pattern)
        {
            events.add("pong " + pattern);
        }

        String next() throws InterruptedException
        {
            final String event = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "no Jedis callback within 10 s");
            return event;
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void shouldSubscribePatternSubscribeReceiveAndUnsubscribeWithJedis(final Mode mode) throws Exception
    {
        final ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RespFixture fixture = RespFixture.start();
             Jedis subscriber = jedis(fixture.respAddress(), mode);
             Jedis publisher = jedis(fixture.respAddress(), mode))
        {
            final LineClient text = fixture.text();
            assertEquals(mode == Mode.RESP3 ? RedisProtocol.RESP3 : RedisProtocol.RESP2, publisher.getConnection().getRedisProtocol(),
                "what Jedis 8.0.2 ends up with against redis-server 7.0.15 too: RESP2 unless told RESP3");
            final Recorder recorder = new Recorder();
            final Future<?> loop = pool.submit(() -> subscriber.subscribe(recorder, "news", "sport"));
            assertEquals("subscribe news 1", recorder.next());
            assertEquals("subscribe sport 2", recorder.next());
            recorder.psubscribe("n*");
            assertEquals("psubscribe n* 3", recorder.next());
            assertEquals(2, publisher.publish("news", "hello"), "channel and pattern counted separately");
            assertEquals("message news hello", recorder.next());
            assertEquals("pmessage n* news hello", recorder.next());
            text.send("PUB sport from text");
            assertEquals("message sport from text", recorder.next());
            assertEquals(1, publisher.publish("nope", "x"));
            assertEquals("pmessage n* nope x", recorder.next());
            assertEquals(Map.of("news", 1L, "zz", 0L), publisher.pubsubNumSub("news", "zz"));
            assertEquals(1, publisher.pubsubNumPat());
            assertEquals(List.of("news"), publisher.pubsubChannels("ne*"));
            assertEquals("hello", publisher.get("news"), "GET: the channel's latest value");
            if (mode != Mode.RESP3)
            {
                // Jedis 8 told protocol(RESP3) explicitly never calls onPong for RESP3's PING reply, a
                // bulk string rather than a push (so with redis-server 7.0.15 too); its default mode does.
                recorder.ping("still there");
                assertEquals("pong still there", recorder.next());
            }
            recorder.unsubscribe("sport");
            assertEquals("unsubscribe sport 2", recorder.next());
            assertEquals(2, publisher.publish("news", "after"));
            assertEquals("message news after", recorder.next());
            assertEquals("pmessage n* news after", recorder.next());
            recorder.punsubscribe();
            assertEquals("punsubscribe n* 1", recorder.next());
            recorder.unsubscribe();
            assertEquals("unsubscribe news 0", recorder.next());
            loop.get(10, TimeUnit.SECONDS);
            assertTrue(recorder.events.isEmpty(), recorder.events::toString);
            assertEquals(0, publisher.publish("news", "nobody"));
            assertEquals("PONG", subscriber.ping(), "the connection is usable after leaving subscribed mode");
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldPatternSubscribeWithAGlobAndReceiveFromManyChannels() throws Exception
    {
        final ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RespFixture fixture = RespFixture.start();
             Jedis subscriber = jedis(fixture.respAddress(), Mode.DEFAULT);
             Jedis publisher = jedis(fixture.respAddress(), Mode.DEFAULT))
        {
            final Recorder recorder = new Recorder();
            final CountDownLatch done = new CountDownLatch(1);
            final Future<?> loop = pool.submit(() ->
            {
                subscriber.psubscribe(recorder, "orders.*");
                done.countDown();
            });
            assertEquals("psubscribe orders.* 1", recorder.next());
            for (int i = 0; i < 100; i++)
            {
                assertEquals(1, publisher.publish("orders.eu." + i, "m" + i));
            }
            for (int i = 0; i < 100; i++)
            {
                assertEquals("pmessage orders.* orders.eu." + i + " m" + i, recorder.next());
            }
            recorder.punsubscribe("orders.*");
            assertEquals("punsubscribe orders.* 0", recorder.next());
            loop.get(10, TimeUnit.SECONDS);
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        finally
        {
            pool.shutdownNow();
        }
    }
}
