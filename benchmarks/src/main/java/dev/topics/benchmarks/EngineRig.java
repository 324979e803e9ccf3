package dev.topics.benchmarks;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.topics.broker.BrokerConfig;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.egress.WriterProxy;
import dev.topics.broker.engine.Engine;
import dev.topics.broker.engine.StatsSource;
import dev.topics.broker.report.FieldSink;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.Replies;
import dev.topics.transport.codec.TopicMatch;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;

/**
 * An engine driven through its public API as the broker's engine thread drives it, on a real
 * single-producer outbound ring (broker default size, {@code BUSY_SPIN}) that no writer drains: the
 * rig stands in for the writers, advancing the ring's gating sequence itself (and releasing the
 * frame reference each drained delivery held) before the ring could fill, so the engine never
 * waits. Each command is one reused {@link InboundEvent} filled as {@code InboundProxy} fills a
 * slot; every {@code PUB} goes through one {@link PubSlot}.
 *
 * <p>Sessions share one idle {@code EmbeddedChannel}: the engine never touches a channel, and one
 * channel per session would cost a pipeline each for benchmarks with 100,000 sessions.
 *
 * <p>Used by the one JMH thread of the state that owns it.
 */
final class EngineRig
{
    static final int MAX_TOPIC_BYTES = BrokerConfig.MAX_TOPIC_BYTES_DEFAULT;
    /** The most outbound events one command of a rig's benchmark may publish. */
    private static final int MAX_EVENTS_PER_COMMAND = 64;

    /** Stands for the ingress and egress statistics the broker adds to STATS: none here. */
    static final StatsSource NO_STATS = new StatsSource()
    {
        @Override
        public long internalErrors()
        {
            return 0;
        }

        @Override
        public long slowConsumerDisconnects()
        {
            return 0;
        }

        @Override
        public void appendTo(final FieldSink fields)
        {
        }
    };

    private final Engine engine;
    private final RingBuffer<OutboundEvent> ring;
    /** Stands for the writers' sequence: how far the ring has been drained. */
    private final Sequence drained = new Sequence();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final InboundEvent command = new InboundEvent(MAX_TOPIC_BYTES);
    private final PubSlot pub;
    /** The ring's cursor as last seen, and where the writers' sequence was last set. */
    private long seen;
    private long drainedTo;
    /** Deliveries published but not yet drained; each holds one reference to the slot's frame. */
    private long undrainedDeliveries;
    private long nextSessionId;

    /**
     * @param routeCacheTopics the engine's route cache capacity.
     * @param pubLine          a {@code PUB} line whose delivery frame every publish hands over.
     */
    EngineRig(final int routeCacheTopics, final String pubLine)
    {
        ring = RingBuffer.createSingleProducer(OutboundEvent::new, BrokerConfig.OUTBOUND_RING_SIZE_DEFAULT, new BusySpinWaitStrategy());
        ring.addGatingSequences(drained);
        // The engine would wait for writers that never come: fail instead of hanging the fork.
        final Runnable ringFull = () ->
        {
            throw new IllegalStateException("a command published more than " + MAX_EVENTS_PER_COMMAND + " events");
        };
        engine = new Engine(new WriterProxy(ring, 1, shard -> { }, ringFull), NO_STATS, Integer.MAX_VALUE, Integer.MAX_VALUE, routeCacheTopics);
        pub = new PubSlot(MAX_TOPIC_BYTES, pubLine, connect());
    }

    /** A new connected session. */
    Session connect()
    {
        final Session session = new Session(nextSessionId++, channel, 0, Replies.TEXT);
        apply(Command.CONNECT, session, TopicMatch.EXACT, null);
        return session;
    }

    /** {@code SUB name} by {@code session}, a pattern when {@code match} says so. */
    void subscribe(final Session session, final TopicMatch match, final byte[] name)
    {
        apply(Command.SUB, session, match, name);
    }

    void unsubscribe(final Session session, final TopicMatch match, final byte[] name)
    {
        apply(Command.UNSUB, session, match, name);
    }

    /** One {@code PUB} of the frame to {@code topic} by the rig's publisher, as the engine thread applies it. */
    void publish(final byte[] topic)
    {
        System.arraycopy(topic, 0, pub.event.topic, 0, topic.length);
        pub.event.topicLength = topic.length;
        publishAgain();
    }

    /** One {@code PUB} to the topic of the last {@link #publish}, without copying its name again. */
    void publishAgain()
    {
        // Not the end of a batch: no writer to wake. The engine clears the slot's references.
        engine.onEvent(pub.fill(), 0, false);
        final long cursor = ring.getCursor();
        undrainedDeliveries += cursor - seen;
        seen = cursor;
        drainIfNearlyFull(cursor);
    }

    /** A command without payload (replies only), filled as {@code InboundProxy} fills the slot. */
    private void apply(final Command type, final Session session, final TopicMatch match, final byte[] name)
    {
        command.command = type;
        command.session = session;
        command.match = match;
        if (name != null)
        {
            System.arraycopy(name, 0, command.topic, 0, name.length);
            command.topicLength = name.length;
        }
        engine.onEvent(command, 0, false);
        final long cursor = ring.getCursor();
        seen = cursor;
        drainIfNearlyFull(cursor);
    }

    private void drainIfNearlyFull(final long cursor)
    {
        if (cursor - drainedTo > ring.getBufferSize() - MAX_EVENTS_PER_COMMAND)
        {
            drain();
        }
    }

    /** What the writers would do: drop each drained delivery's reference, then free the slots. */
    void drain()
    {
        if (undrainedDeliveries > 0)
        {
            pub.frame.release((int)undrainedDeliveries);
            undrainedDeliveries = 0;
        }
        drainedTo = seen;
        drained.set(seen);
    }

    /** Stops the engine and checks that every frame reference was given back. */
    void close()
    {
        engine.onShutdown();
        drain();
        channel.finishAndReleaseAll();
        pub.close();
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
