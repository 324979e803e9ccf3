package dev.topics.broker.ingress;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.topics.broker.report.EngineSnapshot;
import dev.topics.testing.FailingAllocator;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.LineParser;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event loops' way into the inbound ring, on the test thread with a ring nobody drains. */
class InboundProxyTest
{
    private final RingBuffer<InboundEvent> ring = RingBuffer.createMultiProducer(() -> new InboundEvent(16), 4);
    private final Sequence engine = new Sequence();
    private int published;
    private final InboundProxy proxy = new InboundProxy(ring, () -> published++, 1, false, MemoryBudget.unlimited());
    private final Session session = new Session(1, new EmbeddedChannel(), 0, Replies.TEXT);
    private final ParsedLine parsed = new ParsedLine();
    private ByteBuf line;

    {
        ring.addGatingSequences(engine);
    }

    @AfterEach
    void release()
    {
        for (long s = engine.get() + 1; s <= ring.getCursor(); s++)
        {
            final ByteBuf payload = ring.get(s).payload;
            if (payload != null)
            {
                payload.release();
            }
        }
        if (line != null)
        {
            line.release();
        }
        proxy.releaseArenas();
    }

    private ParsedLine parse(final String text)
    {
        if (line != null)
        {
            line.release();
        }
        line = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        assertTrue(new LineParser(16).parse(line, parsed));
        return parsed;
    }

    @Test
    void shouldRefuseAPublishWhileTheBudgetIsFullAndLetSmallCommandsThrough()
    {
        final MemoryBudget memory = new MemoryBudget(64L << 20);
        final InboundProxy budgeted = new InboundProxy(ring, () -> published++, 1, false, memory);
        memory.sample(63L << 20);

        assertTrue(budgeted.offerCommand(session, parse("PUB news hi")));
        assertTrue(budgeted.offerCommand(session, parse("PING 1")));

        assertEquals(Command.INVALID, ring.get(0).command);
        assertEquals(ErrorCode.OUT_OF_MEMORY, ring.get(0).error);
        assertNull(ring.get(0).payload, "the refused PUB took no memory");
        assertEquals(Command.PING, ring.get(1).command);
        assertEquals(1, memory.refusals());
        budgeted.releaseArenas();
    }

    @Test
    void shouldAnswerAPublishWhoseFrameCannotBeAllocatedOutOfMemory()
    {
        final MemoryBudget memory = new MemoryBudget(64L << 20);
        final InboundProxy budgeted = new InboundProxy(ring, () -> published++, 1, false, memory);
        final EmbeddedChannel starved = new EmbeddedChannel();
        starved.config().setAllocator(new FailingAllocator());

        assertTrue(budgeted.offerCommand(new Session(2, starved, 0, Replies.TEXT), parse("PUB news hi")));

        assertEquals(Command.INVALID, ring.get(0).command);
        assertEquals(ErrorCode.OUT_OF_MEMORY, ring.get(0).error, "answered, not an internal error");
        assertEquals(1, memory.refusals());
        budgeted.releaseArenas();
    }

    @Test
    void shouldEncodeTheUpdatedFrameOnceAndCopyTheTopic()
    {
        assertTrue(proxy.offerCommand(session, parse("PUB news hi there")));
        final InboundEvent event = ring.get(0);
        assertEquals(Command.PUB, event.command);
        assertEquals("news", new String(event.topic, 0, event.topicLength, StandardCharsets.UTF_8));
        assertEquals("UPDATED news hi there\r\n",
            event.payload.toString(event.payloadOffset, event.payloadLength, StandardCharsets.UTF_8));
        assertEquals(1, published, "the engine is told once per publish");
    }

    @Test
    void shouldCarryTheLinesReadTimeAndClearItForConnectionEvents()
    {
        final ParsedLine pub = parse("PUB news hi");
        pub.readAt(123_456_789L);
        ring.get(1).readNanos = 42; // as a slot keeps it from its previous lap
        assertTrue(proxy.offerCommand(session, pub));
        assertTrue(proxy.offerDisconnect(session));
        assertEquals(123_456_789L, ring.get(0).readNanos, "the writers time the delivery from it");
        assertEquals(0, ring.get(1).readNanos);
    }

    @Test
    void shouldWriteTheFramesOfOneLoopsPublishesIntoOneSharedChunk()
    {
        assertTrue(proxy.offerCommand(session, parse("PUB a 1")));
        assertTrue(proxy.offerCommand(session, parse("PUB b 22")));
        final InboundEvent first = ring.get(0);
        final InboundEvent second = ring.get(1);
        assertSame(first.payload, second.payload, "no allocation per publish");
        assertEquals(first.payloadOffset + first.payloadLength, second.payloadOffset);
        assertEquals("UPDATED b 22\r\n", second.payload.toString(second.payloadOffset, second.payloadLength, StandardCharsets.UTF_8));
        assertEquals(3, first.payload.refCnt(), "one reference per event, one for the arena");
    }

    @Test
    void shouldCarryPingsReplyEncodedOnTheEventLoop()
    {
        assertTrue(proxy.offerCommand(session, parse("PING 42")));
        final InboundEvent event = ring.get(0);
        assertEquals(Command.PING, event.command);
        assertEquals("PONG 42\r\n", event.payload.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPassAnInvalidLineWithItsError()
    {
        assertTrue(proxy.offerCommand(session, parse("FROB x")));
        final InboundEvent event = ring.get(0);
        assertEquals(Command.INVALID, event.command);
        assertEquals(ErrorCode.UNKNOWN_COMMAND, event.error);
        assertNull(event.payload);
    }

    @Test
    void shouldRefuseWithoutBlockingWhenTheRingIsFull()
    {
        for (int i = 0; i < 4; i++)
        {
            assertTrue(proxy.offerConnect(session));
        }
        assertFalse(proxy.offerCommand(session, parse("PUB news x")), "a full ring answers false at once");
        assertFalse(proxy.offerDisconnect(session));
        engine.set(0); // the engine consumed one slot
        assertTrue(proxy.offerDisconnect(session));
        assertEquals(Command.DISCONNECT, ring.get(4).command);
    }

    @Test
    void shouldAnswerShuttingDownOnceShutdownBegins()
    {
        proxy.beginShutdown();
        assertTrue(proxy.offerCommand(session, parse("SUB news")));
        final InboundEvent event = ring.get(0);
        assertEquals(Command.INVALID, event.command);
        assertEquals(ErrorCode.SHUTTING_DOWN, event.error);
        assertTrue(proxy.offerDisconnect(session), "disconnects still go through, so the engine forgets the session");
        assertEquals(Command.DISCONNECT, ring.get(1).command);
    }

    @Test
    void shouldAcceptAndDropEverythingOnceClosed()
    {
        proxy.close();
        assertTrue(proxy.offerCommand(session, parse("PUB news x")));
        assertTrue(proxy.offerConnect(session));
        assertEquals(-1, ring.getCursor(), "nothing entered the ring");
        assertNull(ring.get(0).payload);
    }

    @Test
    void shouldOfferASnapshotRequestAndRefuseItAtOnceWhenTheRingIsFull()
    {
        final EngineSnapshot first = new EngineSnapshot(false);
        assertTrue(proxy.offerSnapshot(first));
        assertEquals(Command.SNAPSHOT, ring.get(0).command);
        assertSame(first, ring.get(0).snapshot);
        assertNull(ring.get(0).session);
        for (int i = 1; i < ring.getBufferSize(); i++)
        {
            assertTrue(proxy.offerConnect(session));
        }
        assertFalse(proxy.offerSnapshot(new EngineSnapshot(false)), "a full ring refuses, it does not wait");
        assertNull(ring.get(1).snapshot, "a connection event carries no snapshot");
    }

    @Test
    void shouldRefuseASnapshotRequestOnceShuttingDown()
    {
        proxy.beginShutdown();
        assertFalse(proxy.offerSnapshot(new EngineSnapshot(false)));
        assertEquals(-1, ring.getCursor(), "nothing was published");
    }
}
