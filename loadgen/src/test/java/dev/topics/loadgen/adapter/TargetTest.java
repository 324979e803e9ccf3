package dev.topics.loadgen.adapter;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetTest
{
    @Test
    void shouldDefaultToTheKindsUsualLoopbackPort()
    {
        assertEquals("redis=127.0.0.1:6379", Target.parse("redis").toString());
        assertEquals("nats=127.0.0.1:4222", Target.parse("NATS").toString());
        assertEquals("topics=127.0.0.1:8889", Target.parse("topics").toString());
    }

    @Test
    void shouldTakeAnAddressAfterTheKind()
    {
        assertEquals("topics=127.0.0.1:7000", Target.parse("topics=127.0.0.1:7000").toString());
        assertEquals("redis=127.0.0.1:7001", Target.parse("redis=:7001").toString());
    }

    @Test
    void shouldRejectAnUnknownKind()
    {
        assertThrows(IllegalArgumentException.class, () -> Target.parse("kafka"));
    }

    @Test
    void shouldLabelOneOfSeveralBrokersOfAKindAsKindDashName()
    {
        final Target io = Target.parse("topics-io=127.0.0.1:18890");
        final Target dedicated = Target.parse("TOPICS-dedicated.2");

        assertEquals(TargetKind.TOPICS, io.kind());
        assertEquals("topics-io", io.label());
        assertEquals(18890, io.address().getPort());
        assertEquals("topics-io=127.0.0.1:18890", io.toString());
        assertEquals("topics-dedicated.2=127.0.0.1:8889", dedicated.toString());
        assertEquals("redis-7=127.0.0.1:6379", Target.parse("redis-7").toString());
        assertEquals("nats", new Target(TargetKind.NATS, io.address()).label());
    }

    @Test
    void shouldRejectAnEmptyOrOddVariantName()
    {
        assertThrows(IllegalArgumentException.class, () -> Target.parse("topics-=:1"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("topics-a b=:1"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("kafka-io=:1"));
    }

    @Test
    void shouldDriveTheTopicsRespPortWithTheRedisAdapterUnderItsOwnLabel()
    {
        final Target resp = Target.parse("topics-resp=127.0.0.1:16380");

        assertEquals(TargetKind.TOPICS_RESP, resp.kind());
        assertEquals("topics-resp", resp.label());
        assertEquals("topics-resp=127.0.0.1:16380", resp.toString());
        assertInstanceOf(RedisProtocol.class, resp.kind().protocol());
        assertTrue(resp.kind().isTopicsBroker(), "a topics broker, measured against its peers");
        assertTrue(resp.kind().sameClientProtocol(TargetKind.REDIS));
        assertEquals("topics-resp=127.0.0.1:6380", Target.parse("TOPICS-RESP").toString());
    }

    @Test
    void shouldTakeTheLongestKindSoTopicsRespCarriesANameToo()
    {
        final Target named = Target.parse("topics-resp-io=:16381");
        final Target io = Target.parse("topics-io");
        final Target respond = Target.parse("topics-respond");

        assertEquals(TargetKind.TOPICS_RESP, named.kind());
        assertEquals("topics-resp-io=127.0.0.1:16381", named.toString());
        assertEquals(TargetKind.TOPICS, io.kind());
        assertEquals(TargetKind.TOPICS, respond.kind(), "only a whole 'resp' word makes the RESP kind");
        assertEquals("topics-respond", respond.label());
        assertThrows(IllegalArgumentException.class, () -> Target.parse("topics-resp-=:1"));
    }

    @Test
    void shouldKeepEveryOtherKindOnItsOwnProtocol()
    {
        assertInstanceOf(TopicsProtocol.class, Target.parse("topics").kind().protocol());
        assertInstanceOf(TopicsProtocol.class, Target.parse("topics-io").kind().protocol());
        assertInstanceOf(RedisProtocol.class, Target.parse("redis").kind().protocol());
        assertInstanceOf(NatsProtocol.class, Target.parse("nats").kind().protocol());
        assertTrue(TargetKind.TOPICS.isTopicsBroker());
        assertFalse(TargetKind.REDIS.isTopicsBroker());
        assertFalse(TargetKind.NATS.isTopicsBroker());
        assertFalse(TargetKind.TOPICS.sameClientProtocol(TargetKind.REDIS));
        assertFalse(TargetKind.TOPICS.sameClientProtocol(TargetKind.NATS));
    }

    @Test
    void shouldPutPublishersBeforeTheSlashAndSubscribersAfterIt()
    {
        final Target cluster = Target.parse("nats-cluster=127.0.0.1:14222/127.0.0.1:14223+127.0.0.1:14224");

        assertEquals(TargetKind.NATS, cluster.kind());
        assertEquals("nats-cluster", cluster.label());
        assertEquals(new InetSocketAddress("127.0.0.1", 14222), cluster.address());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 14223), new InetSocketAddress("127.0.0.1", 14224)),
            cluster.subscriberAddresses());
        assertTrue(cluster.isSplit());
        assertEquals("nats-cluster=127.0.0.1:14222/127.0.0.1:14223+127.0.0.1:14224", cluster.toString());
    }

    @Test
    void shouldTakeTheKindsDefaultsInEveryAddressOfASplitTarget()
    {
        final Target topics = Target.parse("topics-cluster=:18881/:18882+localhost");

        assertEquals("topics-cluster=127.0.0.1:18881/127.0.0.1:18882+localhost:8889", topics.toString());
        assertEquals("topics-resp=127.0.0.1:6380/127.0.0.1:16380",
            Target.parse("topics-resp=/:16380").toString(), "an empty publisher address is the default");
        assertEquals("redis=127.0.0.1:7000/127.0.0.1:7001", Target.parse("redis=:7000/:7001").toString());
    }

    @Test
    void shouldSpreadSubscribersRoundRobinOverTheSubscriberAddresses()
    {
        final Target cluster = Target.parse("topics=:1/:2+:3+:4");

        final int[] ports = new int[7];
        for (int s = 0; s < ports.length; s++)
        {
            ports[s] = cluster.subscriberAddress(s).getPort();
        }
        assertArrayEquals(new int[] {2, 3, 4, 2, 3, 4, 2}, ports);
    }

    @Test
    void shouldPutEverySubscriberOnThePublishersAddressWithoutASlash()
    {
        final Target single = Target.parse("nats=:4333");

        assertFalse(single.isSplit());
        assertEquals(List.of(single.address()), single.subscriberAddresses());
        assertEquals(single.address(), single.subscriberAddress(0));
        assertEquals(single.address(), single.subscriberAddress(5));
        assertEquals("nats=127.0.0.1:4333", single.toString());
        assertFalse(Target.parse("nats=:4333/:4333").isSplit(), "one node for both is not split");
    }

    @Test
    void shouldRejectAnEmptySubscriberAddress()
    {
        assertThrows(IllegalArgumentException.class, () -> Target.parse("nats=:1/"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("nats=:1/:2+"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("nats=:1/:2++:3"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("nats=:1/+:3"));
        assertThrows(NumberFormatException.class, () -> Target.parse("nats=:1/:x"));
    }
}
