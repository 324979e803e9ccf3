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
}
