package dev.topics.broker.engine;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.topics.broker.TestReplyEncoder;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.egress.OutboundType;
import dev.topics.broker.egress.WriterProxy;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.broker.report.FieldSink;
import dev.topics.testing.NettyLeakGuard;
import dev.topics.transport.Session;
import dev.topics.transport.WireProtocol;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.Replies;
import dev.topics.transport.codec.ReplyEncoder;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's protocol-neutral semantics a RESP front end relies on (counts, per-subscription
 * delivery, subscribed mode, HELLO/RESET, FLUSH, CHANNELS/NUMSUB/NUMPAT, silence, per-protocol
 * STATS), driven on the test thread with a stand-in encoder; output read back from a real
 * outbound ring that nothing else consumes.
 */
@ExtendWith(NettyLeakGuard.class)
class EngineRespSemanticsTest
{
    private final RingBuffer<OutboundEvent> ring = RingBuffer.createSingleProducer(OutboundEvent::new, 1024);
    private final Sequence consumed = new Sequence();
    private final Engine engine = new Engine(new WriterProxy(ring, 1, shard -> { }, () -> { }), new StatsSource()
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
        }
    }, 100, 1000, 16);
    private final InboundEvent event = new InboundEvent(256);
    private final List<ByteBuf> chunks = new ArrayList<>();
    /** RESP2-like: per subscription, acknowledges PUB, restricts while subscribed; HELLO 3 → {@link #v3}. */
    private final TestReplyEncoder v2 = TestReplyEncoder.resp("2");
    /** RESP3-like: per subscription, acknowledges PUB, no restriction; HELLO 2 → {@link #v2}. */
    private final TestReplyEncoder v3 = new TestReplyEncoder("3");
    private long nextId = 1;

    {
        ring.addGatingSequences(consumed);
        v3.perSubscription = true;
        v3.acknowledges = true;
        v2.versions.put(2, v2);
        v2.versions.put(3, v3);
        v3.versions.put(2, v2);
        v3.versions.put(3, v3);
    }

    @AfterEach
    void releaseEverything()
    {
        engine.onShutdown();
        drain();
        for (final ByteBuf chunk : chunks)
        {
            assertEquals(0, chunk.refCnt(), "every published chunk is released once the engine and writers let go");
        }
    }

    // ---- driving the engine ----

    private Session resp(final ReplyEncoder encoder)
    {
        final Session session = new Session(nextId++, new EmbeddedChannel(), 0, encoder, WireProtocol.RESP);
        apply(Command.CONNECT, session, "", TopicMatch.EXACT, null, 0, false);
        return session;
    }

    private Session text()
    {
        final Session session = new Session(nextId++, new EmbeddedChannel(), 0, Replies.TEXT);
        apply(Command.CONNECT, session, "", TopicMatch.EXACT, null, 0, false);
        return session;
    }

    private void apply(
        final Command command, final Session session, final String topic, final TopicMatch match, final ByteBuf payload,
        final int detail, final boolean silent)
    {
        event.command = command;
        event.session = session;
        final byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, event.topic, 0, bytes.length);
        event.topicLength = bytes.length;
        event.match = match;
        event.payload = payload;
        event.payloadOffset = payload == null ? 0 : payload.readerIndex();
        event.payloadLength = payload == null ? 0 : payload.readableBytes();
        event.detail = detail;
        event.silent = silent;
        engine.onEvent(event, 0, true);
    }

    private void command(final Command command, final Session session, final String topic)
    {
        apply(command, session, topic, TopicMatch.EXACT, null, 0, false);
    }

    private void command(final Command command, final Session session)
    {
        command(command, session, "");
    }

    private void sub(final Session session, final String... topics)
    {
        for (final String topic : topics)
        {
            command(Command.SUB, session, topic);
        }
    }

    private void psub(final Session session, final String... globs)
    {
        for (final String glob : globs)
        {
            apply(Command.SUB, session, glob, TopicMatch.GLOB_PATTERN, null, 0, false);
        }
    }

    /** A PUB whose canonical frame lies inside a larger chunk, as on an event loop's arena. */
    private ByteBuf pubChunk(final String topic, final String message)
    {
        final String frame = "UPDATED " + topic + " " + message + "\r\n";
        final ByteBuf chunk = Unpooled.copiedBuffer("<before>" + frame + "<after>", StandardCharsets.UTF_8);
        chunks.add(chunk);
        chunk.readerIndex("<before>".length()).writerIndex("<before>".length() + frame.length());
        return chunk;
    }

    private void publish(final Session session, final String topic, final String message)
    {
        apply(Command.PUB, session, topic, TopicMatch.EXACT, pubChunk(topic, message), 0, false);
    }

    // ---- reading the outbound ring ----

    /** One outbound slot, copied out; its payload (as text) already released. */
    private record Out(
        OutboundType type, Command command, long sessionId, ReplyEncoder encoder, String topic, TopicMatch match,
        long count, ErrorCode error, boolean silent, long publishId, int topicLength, String payload, List<String> names,
        long[] numbers, String text, int detail)
    {
    }

    private List<Out> drain()
    {
        final List<Out> outs = new ArrayList<>();
        final long cursor = ring.getCursor();
        for (long s = consumed.get() + 1; s <= cursor; s++)
        {
            final OutboundEvent e = ring.get(s);
            String payload = null;
            if (e.payload != null)
            {
                payload = e.type == OutboundType.DELIVER
                    ? e.payload.toString(e.payloadOffset, e.payloadLength, StandardCharsets.UTF_8)
                    : e.payload.toString(StandardCharsets.UTF_8);
                e.payload.release();
                e.payload = null;
            }
            final List<String> names = e.type == OutboundType.REPLY && e.names() != null
                ? Arrays.stream(e.names()).map(n -> new String(n, StandardCharsets.UTF_8)).toList()
                : null;
            outs.add(new Out(e.type, e.type == OutboundType.DELIVER ? null : e.command, e.session.id(), e.encoder,
                e.topic == null ? null : new String(e.topic, StandardCharsets.UTF_8),
                e.type == OutboundType.REPLY ? e.match() : null, e.type == OutboundType.REPLY ? e.count() : 0, e.error(),
                e.type != OutboundType.DELIVER && e.silent(), e.type == OutboundType.DELIVER ? e.publishId : -1,
                e.type == OutboundType.DELIVER ? e.topicLength : 0, payload, names,
                e.type == OutboundType.REPLY ? e.numbers() : null, e.type == OutboundType.REPLY ? e.text() : null,
                e.type == OutboundType.DELIVER ? 0 : e.detail()));
        }
        consumed.set(cursor);
        return outs;
    }

    /** The one slot the last command made. */
    private Out single()
    {
        final List<Out> outs = drain();
        assertEquals(1, outs.size(), () -> "exactly one output expected: " + outs);
        return outs.get(0);
    }

    private static List<Out> deliveriesTo(final List<Out> outs, final Session session)
    {
        return outs.stream().filter(o -> o.type() == OutboundType.DELIVER && o.sessionId() == session.id()).toList();
    }

    private static void assertReply(
        final Out out, final Command command, final String topic, final TopicMatch match, final long count)
    {
        assertEquals(OutboundType.REPLY, out.type(), () -> "a reply expected: " + out);
        assertEquals(command, out.command());
        assertEquals(topic, out.topic());
        assertEquals(match, out.match());
        assertEquals(count, out.count(), () -> "count of " + out);
    }

    private long subscriptionsOf(final Session session)
    {
        command(Command.PING, session);
        final Out pong = single();
        assertEquals(Command.PING, pong.command());
        return pong.count();
    }

    private Map<String, Long> stats()
    {
        command(Command.STATS, text());
        final String line = single().text();
        final Map<String, Long> fields = new HashMap<>();
        for (final String field : line.split(" "))
        {
            final int eq = field.indexOf('=');
            if (eq > 0)
            {
                fields.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
            }
        }
        return fields;
    }

    // ---- 1. SUB / UNSUB counts ----

    @Test
    void shouldReplyToSubAndUnsubWithTheSessionsSubscriptionCountAfterTheCommand()
    {
        final Session r = resp(v3);
        sub(r, "a");
        assertReply(single(), Command.SUB, "a", TopicMatch.EXACT, 1);
        sub(r, "b");
        assertReply(single(), Command.SUB, "b", TopicMatch.EXACT, 2);
        psub(r, "n*");
        assertReply(single(), Command.SUB, "n*", TopicMatch.GLOB_PATTERN, 3);

        sub(r, "a");
        assertReply(single(), Command.SUB, "a", TopicMatch.EXACT, 3);
        psub(r, "n*");
        assertReply(single(), Command.SUB, "n*", TopicMatch.GLOB_PATTERN, 3);

        command(Command.UNSUB, r, "a");
        assertReply(single(), Command.UNSUB, "a", TopicMatch.EXACT, 2);
        apply(Command.UNSUB, r, "n*", TopicMatch.GLOB_PATTERN, null, 0, false);
        assertReply(single(), Command.UNSUB, "n*", TopicMatch.GLOB_PATTERN, 1);

        command(Command.UNSUB, r, "never");
        assertReply(single(), Command.UNSUB, "never", TopicMatch.EXACT, 1);
        apply(Command.UNSUB, r, "x*", TopicMatch.GLOB_PATTERN, null, 0, false);
        assertReply(single(), Command.UNSUB, "x*", TopicMatch.GLOB_PATTERN, 1);
        command(Command.UNSUB, r, "a");
        assertReply(single(), Command.UNSUB, "a", TopicMatch.EXACT, 1);
    }

    @Test
    void shouldReplyToUnsubOfATopicSomeoneElseSubscribesToWithTheUnchangedCount()
    {
        final Session r = resp(v3);
        final Session other = resp(v3);
        sub(other, "a");
        sub(r, "b");
        drain();
        command(Command.UNSUB, r, "a");
        assertReply(single(), Command.UNSUB, "a", TopicMatch.EXACT, 1);
        final Session publisher = text();
        publish(publisher, "a", "still");
        assertEquals(1, deliveriesTo(drain(), other).size(), "the other subscriber keeps its subscription");
    }

    // ---- 2. UNSUB_ALL ----

    @Test
    void shouldEndOnlyTheSubscriptionsOfTheKindUnsubAllNames()
    {
        final Session r = resp(v3);
        sub(r, "a", "b");
        psub(r, "x*", "y*");
        drain();

        command(Command.UNSUB_ALL, r);
        final List<Out> exact = drain();
        assertEquals(2, exact.size(), () -> "one reply per exact subscription: " + exact);
        assertEquals(Set.of("a", "b"), Set.of(exact.get(0).topic(), exact.get(1).topic()));
        assertReply(exact.get(0), Command.UNSUB, exact.get(0).topic(), TopicMatch.EXACT, 3);
        assertReply(exact.get(1), Command.UNSUB, exact.get(1).topic(), TopicMatch.EXACT, 2);
        assertEquals(2, subscriptionsOf(r), "the patterns are kept");

        command(Command.UNSUB_ALL, r);
        assertReply(single(), Command.UNSUB, null, TopicMatch.EXACT, 2);
        apply(Command.UNSUB_ALL, r, "", TopicMatch.TOKEN_PATTERN, null, 0, false);
        assertReply(single(), Command.UNSUB, null, TopicMatch.TOKEN_PATTERN, 2);

        final Session publisher = text();
        publish(publisher, "xa", "m");
        assertEquals(1, deliveriesTo(drain(), r).size(), "still subscribed to x*");

        apply(Command.UNSUB_ALL, r, "", TopicMatch.GLOB_PATTERN, null, 0, false);
        final List<Out> globs = drain();
        assertEquals(2, globs.size(), () -> "one reply per glob: " + globs);
        assertEquals(Set.of("x*", "y*"), Set.of(globs.get(0).topic(), globs.get(1).topic()));
        assertReply(globs.get(0), Command.UNSUB, globs.get(0).topic(), TopicMatch.GLOB_PATTERN, 1);
        assertReply(globs.get(1), Command.UNSUB, globs.get(1).topic(), TopicMatch.GLOB_PATTERN, 0);

        apply(Command.UNSUB_ALL, r, "", TopicMatch.GLOB_PATTERN, null, 0, false);
        assertReply(single(), Command.UNSUB, null, TopicMatch.GLOB_PATTERN, 0);
        publish(publisher, "xa", "m");
        publish(publisher, "a", "m");
        assertTrue(deliveriesTo(drain(), r).isEmpty(), "nothing left to deliver through");
    }

    @Test
    void shouldKeepGlobsWhenUnsubAllEndsExactSubscriptionsAndLeaveOtherSubscribersAlone()
    {
        final Session r = resp(v2);
        final Session other = text();
        sub(other, "a");
        sub(r, "a");
        psub(r, "a*");
        drain();
        command(Command.UNSUB_ALL, r);
        assertReply(single(), Command.UNSUB, "a", TopicMatch.EXACT, 1);
        final Session publisher = text();
        publish(publisher, "a", "m");
        final List<Out> outs = drain();
        assertEquals(1, deliveriesTo(outs, other).size());
        final List<Out> toR = deliveriesTo(outs, r);
        assertEquals(1, toR.size(), "only through the glob now");
        assertEquals("a*", toR.get(0).topic());
    }

    // ---- 3. per-subscription delivery and PUB's count ----

    @Test
    void shouldDeliverOncePerMatchingSubscriptionToPerSubscriptionSessionsAndOnceToText()
    {
        final Session r = resp(v3);
        final Session t = text();
        final Session publisher = resp(v3);
        sub(r, "news");
        psub(r, "n*", "*s");
        sub(t, "news");
        psub(t, "n*", "*s");
        drain();

        publish(publisher, "news", "one");
        final List<Out> first = drain();
        final List<Out> toR = deliveriesTo(first, r);
        assertEquals(3, toR.size(), () -> "exact, then one per glob: " + first);
        assertNull(toR.get(0).topic(), "the exact delivery first, without a pattern");
        assertEquals(Set.of("n*", "*s"), new HashSet<>(Arrays.asList(toR.get(1).topic(), toR.get(2).topic())));
        final List<Out> toT = deliveriesTo(first, t);
        assertEquals(1, toT.size(), "a text connection receives a message once");
        assertNull(toT.get(0).topic());
        for (final Out delivery : first.stream().filter(o -> o.type() == OutboundType.DELIVER).toList())
        {
            assertEquals("UPDATED news one\r\n", delivery.payload());
            assertEquals(4, delivery.topicLength());
            assertEquals(toR.get(0).publishId(), delivery.publishId(), "one publish, one id");
        }
        final List<Out> acks = first.stream().filter(o -> o.type() == OutboundType.REPLY).toList();
        assertEquals(1, acks.size());
        assertEquals(publisher.id(), acks.get(0).sessionId());
        assertEquals(Command.PUB, acks.get(0).command());
        assertEquals(6, acks.get(0).count(), "2 exact + 2 per glob: every matching subscription, text ones included");
        assertSame(v3, acks.get(0).encoder());

        final Session textPublisher = text();
        publish(textPublisher, "news", "two");
        final List<Out> second = drain();
        assertEquals(4, second.size(), () -> "deliveries only, no reply to a text publisher: " + second);
        assertTrue(second.stream().allMatch(o -> o.type() == OutboundType.DELIVER));
        final long id = second.get(0).publishId();
        assertNotEquals(toR.get(0).publishId(), id, "the next publish has another id");
        assertTrue(second.stream().allMatch(o -> o.publishId() == id));
        assertEquals(3, deliveriesTo(second, r).size());

        apply(Command.UNSUB, r, "*s", TopicMatch.GLOB_PATTERN, null, 0, false);
        drain();
        publish(publisher, "news", "three");
        final List<Out> third = drain();
        final List<Out> toRNow = deliveriesTo(third, r);
        assertEquals(2, toRNow.size());
        assertNull(toRNow.get(0).topic());
        assertEquals("n*", toRNow.get(1).topic());
        assertEquals(5, third.stream().filter(o -> o.type() == OutboundType.REPLY).findFirst().orElseThrow().count());
    }

    @Test
    void shouldDeliverThroughEachGlobAloneWithThePatternAndCountAPublishWithoutSubscribersAsZero()
    {
        final Session r = resp(v3);
        final Session publisher = resp(v3);
        psub(r, "n*", "ne*");
        drain();
        publish(publisher, "nest", "m");
        final List<Out> outs = drain();
        final List<Out> toR = deliveriesTo(outs, r);
        assertEquals(Set.of("n*", "ne*"), new HashSet<>(Arrays.asList(toR.get(0).topic(), toR.get(1).topic())));
        assertEquals(2, toR.size());
        assertEquals(2, outs.stream().filter(o -> o.type() == OutboundType.REPLY).findFirst().orElseThrow().count());

        publish(publisher, "zzz", "m");
        assertReply(single(), Command.PUB, null, TopicMatch.EXACT, 0);
    }

    @Test
    void shouldDeliverOnceWithoutPatternToAPerSubscriptionSessionWhenNoPatternExists()
    {
        final Session r = resp(v3);
        sub(r, "news");
        drain();
        publish(text(), "news", "m");
        final List<Out> outs = drain();
        assertEquals(1, outs.size());
        assertNull(outs.get(0).topic());
        assertSame(v3, outs.get(0).encoder(), "written by the receiver's encoder");
    }

    // ---- 4. subscribed mode ----

    @Test
    void shouldRefuseAllButTheSubscriptionCommandsWhileARestrictingSessionHasSubscriptions()
    {
        final Session r = resp(v2);
        final Session other = text();
        sub(other, "a");
        sub(r, "a");
        drain();

        for (final Command refused : List.of(Command.GET, Command.NAME, Command.HELLO, Command.CHANNELS, Command.GETNAME,
            Command.FLUSH, Command.NUMPAT, Command.STATS))
        {
            apply(refused, r, refused == Command.NAME ? "renamed" : "a", TopicMatch.EXACT, null, 3, false);
            final Out error = single();
            assertEquals(OutboundType.ERROR, error.type(), () -> refused + " must be refused: " + error);
            assertEquals(ErrorCode.SUBSCRIBED_MODE, error.error());
            assertEquals(refused, error.command(), "the refused command is named");
            assertEquals(3, error.detail(), "with its detail");
            assertSame(v2, error.encoder(), "HELLO refused: the encoder did not change");
        }

        apply(Command.RAW, r, "", TopicMatch.EXACT, Unpooled.copiedBuffer("raw-frame", StandardCharsets.UTF_8), 5, false);
        final Out raw = single();
        assertEquals(ErrorCode.SUBSCRIBED_MODE, raw.error());
        assertEquals(Command.RAW, raw.command());
        assertEquals(5, raw.detail());
        assertEquals("raw-frame", raw.payload(), "the refused command's payload is passed to the encoder");

        publish(r, "a", "refused");
        final Out pub = single();
        assertEquals(OutboundType.ERROR, pub.type(), "the PUB is not delivered to the other subscriber");
        assertEquals(ErrorCode.SUBSCRIBED_MODE, pub.error());
        assertEquals(Command.PUB, pub.command());
        assertEquals("UPDATED a refused\r\n", pub.payload(), "its payload handed over with the error");

        sub(r, "b");
        assertReply(single(), Command.SUB, "b", TopicMatch.EXACT, 2);
        command(Command.UNSUB, r, "b");
        assertReply(single(), Command.UNSUB, "b", TopicMatch.EXACT, 1);
        assertEquals(1, subscriptionsOf(r), "PING is allowed");
        command(Command.QUIT, r);
        assertEquals(Command.QUIT, single().command());
        command(Command.UNSUB_ALL, r);
        assertReply(single(), Command.UNSUB, "a", TopicMatch.EXACT, 0);

        final Map<String, Long> stats = stats();
        assertEquals(0, stats.get("published"), "the refused PUB is not counted");
        assertEquals(0, stats.get("resp_published"));
        assertEquals(0, stats.get("delivered"));

        command(Command.GET, r, "a");
        assertReply(single(), Command.GET, "a", TopicMatch.EXACT, 0);
        command(Command.NAME, r, "worker");
        assertEquals(Command.NAME, single().command());
        command(Command.GETNAME, r);
        assertEquals("worker", single().topic(), "the refused NAME was never applied, this one is");
        publish(r, "a", "now");
        final List<Out> outs = drain();
        assertEquals(1, deliveriesTo(outs, other).size());
        assertEquals(Command.PUB, outs.get(1).command());
        assertEquals(1, outs.get(1).count());
    }

    @Test
    void shouldApplyResetWhileSubscribedAndNeverRefuseANonRestrictingSession()
    {
        final Session r = resp(v2);
        sub(r, "a");
        drain();
        command(Command.RESET, r);
        assertReply(single(), Command.RESET, null, TopicMatch.EXACT, 0);

        final Session free = resp(v3);
        sub(free, "a");
        drain();
        command(Command.GET, free, "a");
        assertEquals(OutboundType.REPLY, single().type());
        publish(free, "a", "m");
        final List<Out> outs = drain();
        assertEquals(OutboundType.DELIVER, outs.get(0).type(), "delivered to itself");
        assertReply(outs.get(1), Command.PUB, null, TopicMatch.EXACT, 1);
        command(Command.CHANNELS, free);
        assertEquals(List.of("a"), single().names());

        final Session t = text();
        sub(t, "b");
        drain();
        command(Command.GET, t, "a");
        assertEquals(OutboundType.REPLY, single().type());
    }

    // ---- 5. HELLO and RESET ----

    @Test
    void shouldSwitchTheEncoderWithHelloForRepliesAndDeliveries()
    {
        final Session r = resp(v2);
        final Session publisher = text();
        apply(Command.HELLO, r, "", TopicMatch.EXACT, null, 3, false);
        final Out hello = single();
        assertEquals(Command.HELLO, hello.command());
        assertSame(v3, hello.encoder(), "the HELLO reply is already in the new version");

        sub(r, "a");
        assertSame(v3, single().encoder());
        publish(publisher, "a", "m");
        assertSame(v3, single().encoder(), "deliveries too");

        apply(Command.HELLO, r, "", TopicMatch.EXACT, null, 0, false);
        final Out keep = single();
        assertSame(v3, keep.encoder(), "0 keeps the version");
        assertEquals(1, keep.count());

        apply(Command.HELLO, r, "", TopicMatch.EXACT, null, 9, false);
        final Out bad = single();
        assertEquals(OutboundType.ERROR, bad.type());
        assertEquals(ErrorCode.BAD_ARGUMENTS, bad.error());
        assertEquals(Command.HELLO, bad.command());
        assertEquals(9, bad.detail());
        command(Command.GET, r, "a");
        assertSame(v3, single().encoder(), "unchanged by the refused HELLO, and v3 does not restrict");

        apply(Command.HELLO, r, "", TopicMatch.EXACT, null, 2, false);
        assertSame(v2, single().encoder());
        command(Command.GET, r, "a");
        assertEquals(ErrorCode.SUBSCRIBED_MODE, single().error(), "back to a restricting version");
    }

    @Test
    void shouldResetSubscriptionsNameAndEncoder()
    {
        final Session r = resp(v2);
        final Session other = text();
        final Session publisher = text();
        command(Command.NAME, r, "worker");
        apply(Command.HELLO, r, "", TopicMatch.EXACT, null, 3, false);
        sub(other, "a");
        sub(r, "a", "b");
        psub(r, "a*");
        drain();

        command(Command.RESET, r);
        final Out reset = single();
        assertReply(reset, Command.RESET, null, TopicMatch.EXACT, 0);
        assertSame(v2, reset.encoder(), "the first encoder again");

        publish(publisher, "a", "m");
        final List<Out> outs = drain();
        assertEquals(1, deliveriesTo(outs, other).size(), "the other subscriber still receives");
        assertTrue(deliveriesTo(outs, r).isEmpty(), "every subscription ended, the glob too");
        command(Command.GETNAME, r);
        final Out name = single();
        assertEquals(Command.GETNAME, name.command(), "not refused: no subscriptions left");
        assertNull(name.topic(), "the name is forgotten");
        assertSame(v2, name.encoder());
        final Map<String, Long> stats = stats();
        assertEquals(1, stats.get("subscriptions"));
        assertEquals(0, stats.get("patterns"));
    }

    // ---- 6. FLUSH, CHANNELS, NUMSUB, NUMPAT, GETNAME ----

    @Test
    void shouldDropEveryLatestValueOnFlushAndForgetTopicsLeftEmpty()
    {
        final Session r = resp(v3);
        final Session t = text();
        sub(t, "a");
        publish(r, "a", "1");
        publish(r, "b", "2");
        drain();
        command(Command.GET, r, "a");
        assertEquals("UPDATED a 1\r\n", single().payload());
        assertEquals(2, stats().get("topics"));

        command(Command.FLUSH, r);
        assertReply(single(), Command.FLUSH, null, TopicMatch.EXACT, 0);
        command(Command.GET, r, "a");
        final Out a = single();
        assertReply(a, Command.GET, "a", TopicMatch.EXACT, 0);
        assertNull(a.payload(), "no value any more");
        command(Command.GET, r, "b");
        assertNull(single().payload());
        assertEquals(1, stats().get("topics"), "b had only its value: forgotten; a is still subscribed");

        publish(r, "a", "3");
        assertEquals(1, deliveriesTo(drain(), t).size(), "the subscription survives FLUSH");
    }

    @Test
    void shouldListChannelsWithExactSubscribersFilteredByGlob()
    {
        final Session r = resp(v3);
        final Session t = text();
        sub(t, "a", "news", "nest");
        psub(r, "n*", "z*");
        publish(r, "nvalue", "only-a-value");
        drain();

        command(Command.CHANNELS, r);
        final Out all = single();
        assertEquals(Command.CHANNELS, all.command());
        assertEquals(Set.of("a", "news", "nest"), new HashSet<>(all.names()));
        assertNull(all.numbers());

        apply(Command.CHANNELS, r, "n*", TopicMatch.GLOB_PATTERN, null, 0, false);
        assertEquals(Set.of("news", "nest"), new HashSet<>(single().names()));
        apply(Command.CHANNELS, r, "z*", TopicMatch.GLOB_PATTERN, null, 0, false);
        assertEquals(List.of(), single().names());

        command(Command.UNSUB, t, "nest");
        drain();
        apply(Command.CHANNELS, r, "n*", TopicMatch.GLOB_PATTERN, null, 0, false);
        assertEquals(List.of("news"), single().names());
    }

    @Test
    void shouldCountExactSubscribersOfEachNameForNumsubAndDistinctPatternsForNumpat()
    {
        final Session r = resp(v3);
        final Session s = resp(v3);
        final Session t = text();
        sub(r, "a");
        sub(t, "a", "news");
        psub(r, "n*", "x*");
        psub(s, "n*");
        apply(Command.SUB, t, "a.*", TopicMatch.TOKEN_PATTERN, null, 0, false);
        drain();

        final ByteBuf packed = Unpooled.buffer();
        for (final String name : List.of("a", "zz", "news"))
        {
            final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            packed.writeInt(bytes.length).writeBytes(bytes);
        }
        apply(Command.NUMSUB, r, "", TopicMatch.EXACT, packed, 0, false);
        assertEquals(0, packed.refCnt(), "the engine releases the packed names");
        final Out numsub = single();
        assertEquals(Command.NUMSUB, numsub.command());
        assertEquals(List.of("a", "zz", "news"), numsub.names(), "in the order asked");
        assertArrayEquals(new long[] {2, 0, 1}, numsub.numbers(), "exact subscribers only: n* does not count");

        command(Command.NUMPAT, r);
        assertReply(single(), Command.NUMPAT, null, TopicMatch.EXACT, 3);
        apply(Command.UNSUB, s, "n*", TopicMatch.GLOB_PATTERN, null, 0, false);
        drain();
        command(Command.NUMPAT, r);
        assertEquals(3, single().count(), "n* still has a subscriber");
        apply(Command.UNSUB, r, "n*", TopicMatch.GLOB_PATTERN, null, 0, false);
        drain();
        command(Command.NUMPAT, r);
        assertEquals(2, single().count());
    }

    @Test
    void shouldReplyToGetnameWithTheName()
    {
        final Session r = resp(v3);
        command(Command.GETNAME, r);
        final Out before = single();
        assertEquals(Command.GETNAME, before.command());
        assertNull(before.topic());
        command(Command.NAME, r, "worker-1");
        assertEquals(Command.NAME, single().command());
        command(Command.GETNAME, r);
        assertEquals("worker-1", single().topic());
        command(Command.NAME, r, "w2");
        drain();
        command(Command.GETNAME, r);
        assertEquals("w2", single().topic());
    }

    // ---- 7. silence and PING's count ----

    @Test
    void shouldCarrySilenceToRepliesAndErrorsAndCountSubscriptionsInPing()
    {
        final Session r = resp(v2);
        apply(Command.SUB, r, "a", TopicMatch.EXACT, null, 0, true);
        final Out sub = single();
        assertTrue(sub.silent());
        assertEquals(1, sub.count());
        apply(Command.SUB, r, "b*", TopicMatch.GLOB_PATTERN, null, 0, true);
        assertTrue(single().silent());
        apply(Command.PING, r, "", TopicMatch.EXACT, Unpooled.copiedBuffer("pong", StandardCharsets.UTF_8), 0, true);
        final Out ping = single();
        assertTrue(ping.silent());
        assertEquals(2, ping.count(), "PING counts the subscriptions, patterns included");
        assertEquals("pong", ping.payload());
        apply(Command.GET, r, "a", TopicMatch.EXACT, null, 0, true);
        final Out refused = single();
        assertEquals(ErrorCode.SUBSCRIBED_MODE, refused.error());
        assertTrue(refused.silent());
        apply(Command.UNSUB_ALL, r, "", TopicMatch.EXACT, null, 0, true);
        assertTrue(single().silent());
        apply(Command.UNSUB_ALL, r, "", TopicMatch.EXACT, null, 0, true);
        assertTrue(single().silent(), "also the reply that found nothing to end");
        apply(Command.PING, r, "", TopicMatch.EXACT, null, 0, false);
        final Out loud = single();
        assertFalse(loud.silent());
        assertEquals(1, loud.count());
    }

    // ---- 8. STATS per protocol ----

    @Test
    void shouldCountConnectionsPublishesAndDeliveriesPerProtocol()
    {
        final Session t1 = text();
        final Session t2 = text();
        final Session r1 = resp(v3);
        final Session r2 = resp(v3);
        final Session r3 = resp(v3);
        sub(t1, "news");
        psub(t1, "n*");
        sub(r1, "news");
        psub(r1, "n*");
        publish(t2, "news", "a"); // t1 once, r1 twice
        publish(r2, "news", "b"); // again
        publish(r3, "other", "c"); // nobody
        command(Command.DISCONNECT, r3);
        drain();

        final Map<String, Long> stats = stats();
        assertEquals(3, stats.get("text_connections"), "t1, t2 and the STATS asker");
        assertEquals(2, stats.get("resp_connections"), "r3 left");
        assertEquals(1, stats.get("text_published"));
        assertEquals(2, stats.get("resp_published"), "counted by the publisher's protocol, r3's too");
        assertEquals(2, stats.get("text_delivered"));
        assertEquals(4, stats.get("resp_delivered"), "one per subscription for a per-subscription receiver");
        assertEquals(3, stats.get("published"));
        assertEquals(6, stats.get("delivered"));
        assertNotNull(stats.get("connections"));
        assertEquals(5, stats.get("connections"));
    }
}
