package dev.topics.loadgen.adapter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
