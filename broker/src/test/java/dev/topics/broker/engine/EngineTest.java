package dev.topics.broker.engine;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.egress.WriterProxy;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.broker.report.ClientRecord;
import dev.topics.broker.report.EngineSnapshot;
import dev.topics.broker.report.FieldSink;
import dev.topics.transport.CloseReason;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.Replies;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine driven directly on the test thread: no threads, no sockets. Its output is read back
 * from a real outbound ring that nothing else consumes.
 */
class EngineTest
{
    private final RingBuffer<OutboundEvent> ring = RingBuffer.createSingleProducer(OutboundEvent::new, 1024);
    private final Sequence consumed = new Sequence();
    private Engine engine = newEngine(Integer.MAX_VALUE);
    private final InboundEvent event = new InboundEvent(256);
    private final List<ByteBuf> frames = new ArrayList<>();
    private final Session alice = session(1);
    private final Session bob = session(2);
    private final Session carol = session(3);

    {
        ring.addGatingSequences(consumed);
    }

    @AfterEach
    void releaseFrames()
    {
        engine.onShutdown();
        drain().forEach(OutputLine::release);
        for (final ByteBuf frame : frames)
        {
            assertEquals(0, frame.refCnt(), "every frame must be released once the engine lets go of it");
        }
    }

    private Engine newEngine(final int maxSubscriptionsPerSession)
    {
        return new Engine(new WriterProxy(ring, 2, shard -> { }, () -> { }), new StatsSource()
        {
            @Override
            public long slowConsumerDisconnects()
            {
                return 0;
            }

            @Override
            public long internalErrors()
            {
                return 0;
            }

            @Override
            public void appendTo(final FieldSink fields)
            {
                fields.number("extra", 1);
            }
        }, maxSubscriptionsPerSession, Integer.MAX_VALUE, 4);
    }

    private static Session session(final long id)
    {
        return new Session(id, new EmbeddedChannel(), 0, Replies.TEXT);
    }

    private void apply(final Command type, final Session session, final String topic, final ByteBuf payload)
    {
        event.command = type;
        event.session = session;
        final byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, event.topic, 0, bytes.length);
        event.topicLength = bytes.length;
        event.payload = payload;
        event.payloadOffset = payload == null ? 0 : payload.readerIndex();
        event.payloadLength = payload == null ? 0 : payload.readableBytes();
        engine.onEvent(event, 0, true);
    }

    private void connect(final Session... sessions)
    {
        for (final Session session : sessions)
        {
            apply(Command.CONNECT, session, "", null);
        }
    }

    private void command(final Command type, final Session session, final String topic)
    {
        apply(type, session, topic, null);
    }

    /** SUBs each name, as a pattern when it has a wildcard token, as the parser would mark it. */
    private void subscribe(final Session session, final String... names)
    {
        for (final String name : names)
        {
            final List<String> tokens = List.of(name.split("\\.", -1));
            if (tokens.contains("*") || tokens.contains(">"))
            {
                pattern(Command.SUB, session, name);
            }
            else
            {
                command(Command.SUB, session, name);
            }
        }
    }

    /** A SUB or UNSUB of a pattern, as the parser marks one. */
    private void pattern(final Command type, final Session session, final String pattern)
    {
        event.match = TopicMatch.TOKEN_PATTERN;
        apply(type, session, pattern, null);
        event.match = TopicMatch.EXACT;
    }

    /**
     * Publishes from a chunk that holds other bytes around the frame, as an event loop's arena
     * does; returns the chunk.
     */
    private ByteBuf publish(final Session session, final String topic, final String message)
    {
        final String frame = "UPDATED " + topic + " " + message + "\r\n";
        final ByteBuf chunk = Unpooled.copiedBuffer("<before>" + frame + "<after>", StandardCharsets.UTF_8);
        frames.add(chunk);
        chunk.readerIndex("<before>".length()).writerIndex(chunk.readerIndex() + frame.getBytes(StandardCharsets.UTF_8).length);
        apply(Command.PUB, session, topic, chunk);
        return chunk;
    }

    /** What an outbound slot asks the writer to send, as the text protocol would name it. */
    private enum Out
    {
        DELIVER, FRAME, SUBSCRIBED, UNSUBSCRIBED, VALUE, NOVALUE, STATS, CLIENTS, OK, HELP, ERROR, BYE
    }

    private static Out kind(final OutboundEvent e)
    {
        return switch (e.type)
        {
            case DELIVER -> Out.DELIVER;
            case ERROR -> Out.ERROR;
            case REPLY -> switch (e.command)
            {
                case SUB -> Out.SUBSCRIBED;
                case UNSUB -> Out.UNSUBSCRIBED;
                case GET -> e.payload == null ? Out.NOVALUE : Out.VALUE;
                case PING, AUTH -> Out.FRAME;
                case STATS -> Out.STATS;
                case CLIENTS -> Out.CLIENTS;
                case NAME -> Out.OK;
                case HELP -> Out.HELP;
                case QUIT -> Out.BYE;
                default -> throw new AssertionError("no reply to " + e.command);
            };
        };
    }

    /** What one outbound slot said, copied out; owns the payload reference it carried. */
    private record OutputLine(Out type, long sessionId, int shard, String text, ByteBuf payload, long readNanos)
    {
        void release()
        {
            if (payload != null)
            {
                payload.release();
            }
        }
    }

    private List<OutputLine> drain()
    {
        final List<OutputLine> lines = new ArrayList<>();
        final long cursor = ring.getCursor();
        for (long s = consumed.get() + 1; s <= cursor; s++)
        {
            final OutboundEvent e = ring.get(s);
            final Out kind = kind(e);
            final String text = switch (kind)
            {
                case DELIVER -> e.payload.toString(e.payloadOffset, e.payloadLength, StandardCharsets.UTF_8);
                case VALUE, FRAME -> e.payload.toString(StandardCharsets.UTF_8);
                case SUBSCRIBED, UNSUBSCRIBED, NOVALUE -> new String(e.topic, StandardCharsets.UTF_8);
                case STATS, CLIENTS -> e.text();
                case ERROR -> e.error().word();
                default -> "";
            };
            lines.add(new OutputLine(kind, e.session == null ? -1 : e.session.id(), e.shard, text, e.payload, e.readNanos));
        }
        consumed.set(cursor);
        return lines;
    }

    /** Publishes to {@code topic}; returns the ids of the sessions it was delivered to, sorted, duplicates kept. */
    private List<Long> publishReachesSessions(final String topic)
    {
        publish(alice, topic, "m");
        return drainAndRelease().stream().filter(l -> l.type() == Out.DELIVER).map(OutputLine::sessionId).sorted().toList();
    }

    private List<OutputLine> drainAndRelease()
    {
        final List<OutputLine> lines = drain();
        lines.forEach(OutputLine::release);
        return lines;
    }

    @Test
    void shouldConfirmSubscriptionAndDeliverToEverySubscriberOnce()
    {
        connect(alice, bob);
        command(Command.SUB, alice, "news");
        command(Command.SUB, alice, "news");
        command(Command.SUB, bob, "news");
        final List<OutputLine> confirmations = drainAndRelease();
        assertEquals(3, confirmations.size());
        assertTrue(confirmations.stream().allMatch(l -> l.type() == Out.SUBSCRIBED && l.text().equals("news")));

        event.readNanos = 777; // as the event loop stamped the PUB's read
        final ByteBuf frame = publish(bob, "news", "hello");
        final List<OutputLine> deliveries = drain();
        assertEquals(List.of(1L, 2L), deliveries.stream().map(OutputLine::sessionId).sorted().toList());
        for (final OutputLine delivery : deliveries)
        {
            assertEquals(Out.DELIVER, delivery.type());
            assertSame(frame, delivery.payload(), "the frame is encoded once and shared, not copied per subscriber");
            assertEquals(777, delivery.readNanos(), "each delivery carries its PUB's read time to the writer");
        }
        assertEquals("UPDATED news hello\r\n", deliveries.get(0).text(), "exactly the frame, not the chunk around it");
        assertEquals(2, frame.refCnt(), "one reference per delivery; the topic keeps a copy, not the chunk");
        deliveries.forEach(OutputLine::release);
    }

    @Test
    void shouldRouteEachOutputToTheWriterOfItsSessionsEventLoop()
    {
        final Session onLoop0 = new Session(3, new EmbeddedChannel(), 0, Replies.TEXT);
        final Session onLoop1 = new Session(4, new EmbeddedChannel(), 1, Replies.TEXT);
        connect(onLoop0);
        connect(onLoop1);
        final ByteBuf pong = Unpooled.copiedBuffer("PONG\r\n", StandardCharsets.US_ASCII);
        frames.add(pong);
        apply(Command.PING, onLoop1, "", pong);
        command(Command.HELP, onLoop0, "");
        final List<OutputLine> out = drainAndRelease();
        assertEquals("PONG\r\n", out.get(0).text());
        assertEquals(1, out.get(0).shard());
        assertEquals(0, out.get(1).shard());
    }

    @Test
    void shouldKeepLatestValueForGetEvenWithoutSubscribers()
    {
        connect(alice);
        command(Command.GET, alice, "news");
        publish(alice, "news", "first");
        final ByteBuf second = publish(alice, "news", "second");
        assertEquals(0, frames.get(0).refCnt(), "with no subscriber, a published chunk is let go at once");
        assertEquals(0, second.refCnt());
        command(Command.GET, alice, "news");
        final List<OutputLine> out = drain();
        assertEquals(Out.NOVALUE, out.get(0).type());
        assertEquals("news", out.get(0).text());
        assertEquals(Out.VALUE, out.get(1).type());
        assertEquals("UPDATED news second\r\n", out.get(1).text(), "the latest value, from the topic's own copy");
        assertEquals(2, out.size());
        out.forEach(OutputLine::release);
    }

    @Test
    void shouldStopDeliveringAfterUnsubscribe()
    {
        connect(alice);
        command(Command.SUB, alice, "news");
        command(Command.UNSUB, alice, "news");
        command(Command.UNSUB, alice, "never-subscribed");
        publish(bob, "news", "unseen");
        final List<OutputLine> out = drainAndRelease();
        assertEquals(List.of(Out.SUBSCRIBED, Out.UNSUBSCRIBED, Out.UNSUBSCRIBED),
            out.stream().map(OutputLine::type).toList());
        assertEquals("never-subscribed", out.get(2).text());
    }

    @Test
    void shouldForgetEverythingOfADisconnectedSession()
    {
        connect(alice, bob);
        command(Command.SUB, alice, "a");
        command(Command.SUB, alice, "b");
        command(Command.SUB, bob, "b");
        apply(Command.DISCONNECT, alice, "", null);
        drainAndRelease();
        assertEquals(1, engine.counters().connections());
        assertEquals(1, engine.counters().subscriptions());
        assertEquals(1, engine.counters().topics(), "topic a had only alice and no value, so it is gone");

        publish(bob, "b", "x");
        final List<OutputLine> out = drainAndRelease();
        assertEquals(1, out.size());
        assertEquals(2L, out.get(0).sessionId());
    }

    @Test
    void shouldReportCountersInStats()
    {
        connect(alice);
        command(Command.SUB, alice, "news");
        publish(bob, "news", "x");
        publish(bob, "other", "y");
        event.error = ErrorCode.UNKNOWN_COMMAND;
        command(Command.INVALID, alice, "");
        drainAndRelease();
        command(Command.STATS, alice, "");
        final String stats = drainAndRelease().get(0).text();
        assertTrue(stats.startsWith("STATS connections=1 topics=2 subscriptions=1 patterns=0 published=2 delivered=1 errors=1 "), stats);
        assertTrue(stats.endsWith(" extra=1"), stats);
    }

    @Test
    void shouldFillASnapshotWithWhatStatsSaysErrorsByCodeAndTheClients()
    {
        connect(alice, bob);
        command(Command.SUB, alice, "news");
        publish(bob, "news", "x");
        event.error = ErrorCode.BAD_TOPIC;
        command(Command.INVALID, alice, "");
        event.error = ErrorCode.WILDCARD_TOPIC;
        command(Command.INVALID, bob, "");
        event.error = ErrorCode.UNKNOWN_COMMAND;
        command(Command.INVALID, bob, "");
        drainAndRelease(); // so that both readings see an empty outbound ring
        command(Command.STATS, alice, "");
        final String stats = drainAndRelease().get(0).text();

        final EngineSnapshot snapshot = new EngineSnapshot(true);
        event.snapshot = snapshot;
        command(Command.SNAPSHOT, null, "");
        assertTrue(drainAndRelease().isEmpty(), "a snapshot answers nobody through the writers");

        final StringBuilder text = new StringBuilder("STATS");
        snapshot.statsValues().forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
        assertEquals(stats, text.toString(), "the same keys and values as STATS");
        assertEquals(1, snapshot.errors(ErrorCode.BAD_TOPIC.ordinal()));
        assertEquals(1, snapshot.errors(ErrorCode.WILDCARD_TOPIC.ordinal()));
        assertEquals(1, snapshot.errors(ErrorCode.UNKNOWN_COMMAND.ordinal()));
        assertEquals(0, snapshot.errors(ErrorCode.MISSING_TOPIC.ordinal()));
        assertEquals(List.of(1L, 2L), snapshot.clients().stream().map(ClientRecord::id).toList());
        assertEquals(1, snapshot.clients().get(0).subscriptions());
    }

    @Test
    void shouldLeaveTheClientsOutOfASnapshotThatDoesNotAskForThem()
    {
        connect(alice);
        final EngineSnapshot snapshot = new EngineSnapshot(false);
        event.snapshot = snapshot;
        command(Command.SNAPSHOT, null, "");
        assertEquals(1, snapshot.stat("connections"));
        assertTrue(snapshot.clients().isEmpty());
    }

    @Test
    void shouldAnswerErrorsAndQuitInOrder()
    {
        connect(alice);
        event.error = ErrorCode.BAD_TOPIC;
        command(Command.INVALID, alice, "");
        command(Command.QUIT, alice, "");
        final List<OutputLine> out = drainAndRelease();
        assertEquals(Out.ERROR, out.get(0).type());
        assertEquals("bad-topic", out.get(0).text());
        assertEquals(Out.BYE, out.get(1).type());
    }

    @Test
    void shouldKeepEveryOtherSubscriberWhenSubscribersLeaveFromAnyPosition()
    {
        final List<Session> sessions = new ArrayList<>();
        for (long id = 10; id < 16; id++)
        {
            final Session session = session(id);
            sessions.add(session);
            connect(session);
            command(Command.SUB, session, "a");
            command(Command.SUB, session, "b");
        }
        command(Command.UNSUB, sessions.get(0), "a"); // first position: the last one moves into it
        command(Command.UNSUB, sessions.get(5), "a"); // the last position itself
        apply(Command.DISCONNECT, sessions.get(2), "", null); // a middle position, in both topics
        command(Command.UNSUB, sessions.get(3), "b");
        drainAndRelease();

        publish(alice, "a", "x");
        assertEquals(List.of(11L, 13L, 14L), drainAndRelease().stream()
            .filter(l -> l.type() == Out.DELIVER).map(OutputLine::sessionId).sorted().toList());
        publish(alice, "b", "y");
        assertEquals(List.of(10L, 11L, 14L, 15L), drainAndRelease().stream()
            .filter(l -> l.type() == Out.DELIVER).map(OutputLine::sessionId).sorted().toList());
        assertEquals(7, engine.counters().subscriptions());
    }

    @Test
    void shouldListEveryConnectionWithItsNameSubscriptionsOfEachKindAndTraffic()
    {
        connect(alice, bob);
        command(Command.NAME, alice, "feed-1");
        command(Command.SUB, alice, "a");
        command(Command.SUB, alice, "b");
        command(Command.SUB, alice, "b"); // a no-op: still two
        pattern(Command.SUB, alice, "x.>");
        pattern(Command.SUB, bob, "x.>");
        command(Command.SUB, bob, "a");
        alice.stats().onOutput(3, 120);
        alice.stats().onPending(7);
        bob.stats().closing(CloseReason.SLOW_CONSUMER);
        assertEquals(Out.OK, drainAndRelease().get(0).type(), "NAME is answered OK");

        command(Command.CLIENTS, bob, "");
        final List<OutputLine> out = drainAndRelease();
        assertEquals(1, out.size());
        assertEquals(Out.CLIENTS, out.get(0).type());
        assertEquals(2L, out.get(0).sessionId(), "answered to the one who asked");
        final String[] lines = out.get(0).text().split("\r\n", -1);
        assertEquals(2, lines.length, out.get(0).text());
        assertTrue(lines[0].matches("CLIENT id=1 addr=embedded name=feed-1 age_s=\\d+ idle_s=\\d+ subscriptions=2 patterns=1"
            + " pending_bytes=7 msgs_in=0 bytes_in=0 msgs_out=3 bytes_out=120 closing="), lines[0]);
        assertTrue(lines[1].matches("CLIENT id=2 addr=embedded name= age_s=\\d+ idle_s=\\d+ subscriptions=1 patterns=1"
            + " pending_bytes=0 msgs_in=0 bytes_in=0 msgs_out=0 bytes_out=0 closing=slow-consumer"), lines[1]);
    }

    @Test
    void shouldKeepEachKindOfSubscriptionCountedAsOthersLeaveAndDropADisconnectedSessionFromClients()
    {
        connect(alice, bob);
        pattern(Command.SUB, alice, "x.>");
        pattern(Command.SUB, bob, "x.>");
        command(Command.SUB, bob, "a");
        // alice held position 0 of x.>: bob is moved into it, which must not count as a new pattern.
        pattern(Command.UNSUB, alice, "x.>");
        command(Command.NAME, bob, "first");
        command(Command.NAME, bob, "second");
        apply(Command.DISCONNECT, alice, "", null);
        drainAndRelease();

        command(Command.CLIENTS, bob, "");
        final String text = drainAndRelease().get(0).text();
        assertTrue(text.matches("CLIENT id=2 addr=embedded name=second age_s=\\d+ idle_s=\\d+ subscriptions=1 patterns=1 .*"), text);
        assertTrue(!text.contains("\r\n"), "one connection, one line: " + text);
        pattern(Command.UNSUB, bob, "x.>");
        command(Command.CLIENTS, bob, "");
        final List<OutputLine> out = drainAndRelease();
        assertTrue(out.get(1).text().contains(" subscriptions=1 patterns=0 "), out.get(1).text());
    }

    @Test
    void shouldConfirmPatternSubscriptionsAndUnsubscriptions()
    {
        connect(alice);
        pattern(Command.SUB, alice, "news.*");
        pattern(Command.SUB, alice, "news.*");
        assertEquals(1, engine.counters().subscriptions(), "a repeated SUB is confirmed, not counted again");
        assertEquals(1, engine.counters().patterns());
        pattern(Command.UNSUB, alice, "news.*");
        pattern(Command.UNSUB, alice, "never.>");
        final List<OutputLine> out = drainAndRelease();
        assertEquals(List.of(Out.SUBSCRIBED, Out.SUBSCRIBED, Out.UNSUBSCRIBED, Out.UNSUBSCRIBED), out.stream().map(OutputLine::type).toList());
        assertEquals(List.of("news.*", "news.*", "news.*", "never.>"), out.stream().map(OutputLine::text).toList());
        assertEquals(0, engine.counters().subscriptions());
        assertEquals(0, engine.counters().patterns());
        assertEquals(0, engine.counters().topics(), "a pattern is not a topic");
    }

    @Test
    void shouldDeliverOncePerConnectionHoweverManyOfItsSubscriptionsMatch()
    {
        connect(alice, bob);
        subscribe(alice, "orders.eu.paid", "orders.>", "orders.*.paid", ">");
        subscribe(bob, "orders.*", "orders.eu");
        drainAndRelease();

        final ByteBuf frame = publish(bob, "orders.eu.paid", "x");
        final List<OutputLine> deliveries = drain();
        assertEquals(List.of(1L), deliveries.stream().map(OutputLine::sessionId).toList());
        assertSame(frame, deliveries.get(0).payload());
        assertEquals(1, frame.refCnt(), "one reference for the one delivery");
        deliveries.forEach(OutputLine::release);

        assertEquals(List.of(1L, 2L), publishReachesSessions("orders.eu"));
        assertEquals(List.of(1L), publishReachesSessions("orders"), "orders.> needs a token after orders");
        assertEquals(List.of(1L, 2L), publishReachesSessions("orders.us"));
        assertEquals(List.of(1L, 2L), publishReachesSessions("orders.eu"), "the same again from the route cache");
        assertEquals(8, engine.counters().delivered());
    }

    @Test
    void shouldKeepTheExactSubscriptionWhenUnsubscribingAPatternAndTheOtherWayRound()
    {
        connect(alice);
        subscribe(alice, "news", ">");
        assertEquals(List.of(1L), publishReachesSessions("news"));
        pattern(Command.UNSUB, alice, ">");
        assertEquals(List.of(1L), publishReachesSessions("news"));
        assertEquals(List.of(), publishReachesSessions("other"));

        subscribe(alice, "news.*", "news.eu");
        assertEquals(List.of(1L), publishReachesSessions("news.eu"));
        command(Command.UNSUB, alice, "news.eu");
        assertEquals(List.of(1L), publishReachesSessions("news.eu"));
        assertEquals(2, engine.counters().subscriptions());
        assertEquals(1, engine.counters().patterns());
    }

    @Test
    void shouldCountPatternsAsSubscriptionsInStats()
    {
        connect(alice, bob);
        subscribe(alice, "a", "a.*", ">");
        subscribe(bob, "a.*", "b");
        drainAndRelease();
        command(Command.STATS, alice, "");
        final String stats = drainAndRelease().get(0).text();
        assertTrue(stats.startsWith("STATS connections=2 topics=2 subscriptions=5 patterns=2 published=0 "), stats);
    }

    @Test
    void shouldReleaseEveryPatternSubscriptionOfADisconnectedSession()
    {
        connect(alice, bob);
        subscribe(alice, "a.*", "b.>", ">", "a.x");
        subscribe(bob, "a.*");
        assertEquals(List.of(1L, 2L), publishReachesSessions("a.y"));
        apply(Command.DISCONNECT, alice, "", null);
        drainAndRelease();
        assertEquals(1, engine.counters().subscriptions());
        assertEquals(1, engine.counters().patterns(), "b.> and > had only alice; a.* keeps bob");
        assertEquals(1, engine.counters().topics(), "a.x had only alice and no value; a.y keeps its value");

        assertEquals(List.of(2L), publishReachesSessions("a.y"));
        assertEquals(List.of(2L), publishReachesSessions("a.x"));
        assertEquals(List.of(), publishReachesSessions("b.c"));
        apply(Command.DISCONNECT, bob, "", null);
        assertEquals(0, engine.counters().subscriptions());
        assertEquals(0, engine.counters().patterns());
        assertEquals(List.of(), publishReachesSessions("a.y"));
    }

    @Test
    void shouldCountPatternsTowardsTheSubscriptionLimit()
    {
        engine = newEngine(2);
        connect(alice);
        subscribe(alice, "a", "b.*", "c.>", "c", "b.*", "a");
        assertEquals(1, engine.counters().patterns(), "a refused pattern is not created");
        assertEquals(1, engine.counters().topics(), "a refused topic is not created");
        pattern(Command.UNSUB, alice, "b.*");
        pattern(Command.SUB, alice, "c.>");
        final List<OutputLine> out = drainAndRelease();
        assertEquals(List.of(Out.SUBSCRIBED, Out.SUBSCRIBED, Out.ERROR, Out.ERROR, Out.SUBSCRIBED, Out.SUBSCRIBED, Out.UNSUBSCRIBED, Out.SUBSCRIBED),
            out.stream().map(OutputLine::type).toList());
        assertEquals(ErrorCode.TOO_MANY_SUBSCRIPTIONS.word(), out.get(2).text());
        assertEquals(ErrorCode.TOO_MANY_SUBSCRIPTIONS.word(), out.get(3).text());
        assertEquals("c.>", out.get(7).text());
        assertEquals(2, engine.counters().subscriptions());
        assertEquals(1, engine.counters().patterns());
    }

    /** More published topics than the route cache holds (4): evicted routes are resolved again. */
    @Test
    void shouldDeliverRightWhileTheRouteCacheEvicts()
    {
        connect(bob, carol);
        subscribe(bob, "t.*");
        subscribe(carol, "t.3", "t.>");
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 8; i++)
            {
                assertEquals(List.of(2L, 3L), publishReachesSessions("t." + i), "t." + i);
            }
            pattern(Command.UNSUB, carol, "t.>");
            assertEquals(List.of(2L, 3L), publishReachesSessions("t.3"));
            assertEquals(List.of(2L), publishReachesSessions("t.4"));
            subscribe(carol, "t.>");
        }
    }
}
