package dev.topics.broker.engine;

import com.lmax.disruptor.EventHandler;
import dev.topics.broker.egress.WriterProxy;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.broker.report.EngineSnapshot;
import dev.topics.broker.report.FieldSink;
import dev.topics.broker.report.KeyValueText;
import dev.topics.transport.ConnectionStats;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The single owner of all topic state: topics, subscriptions, latest values and sessions. Every
 * command and connection event arrives here in one order, so every subscriber of a topic sees the
 * same order and no lock is needed anywhere.
 *
 * <p>Runs on the engine thread only (the inbound ring's one event handler). It never touches a
 * channel or an allocator: it routes frames encoded by the event loops and tells the writers what
 * to send; {@code ByteBuf}s are only reference-counted payloads here, except that a topic keeps
 * a copy of its latest frame.
 */
public final class Engine implements EventHandler<InboundEvent>
{
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    private final WriterProxy out;
    private final StatsSource externalStats;
    private final EngineCounters counters = new EngineCounters();
    private final HashMap<TopicName, Topic> topics = new HashMap<>();
    private final Long2ObjectHashMap<SessionState> sessions = new Long2ObjectHashMap<>();
    private final TopicName probe = TopicName.probe();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final StringBuilder statsText = new StringBuilder(512);
    private final FieldSink statsLine = new KeyValueText(statsText);

    private final Routing routing;
    private final int maxSubscriptionsPerSession;
    private final int maxTopics;
    private final MemoryBudget memory;
    private final LatestValues values;

    /**
     * An engine with no memory budget that keeps every latest value, for tests and benchmarks.
     *
     * @param routeCacheTopics how many topics may keep a cached route (receivers resolved over
     *     patterns) at once; see {@link Routing}.
     */
    public Engine(
        final WriterProxy out,
        final StatsSource externalStats,
        final int maxSubscriptionsPerSession,
        final int maxTopics,
        final int routeCacheTopics)
    {
        this(out, externalStats, maxSubscriptionsPerSession, maxTopics, routeCacheTopics,
            MemoryBudget.unlimited(), Retention.LATEST, WhenFull.REFUSE);
    }

    /**
     * @param routeCacheTopics how many topics may keep a cached route (receivers resolved over
     *     patterns) at once; see {@link Routing}.
     * @param memory           the budget the stored latest values count toward.
     * @param retention        whether topics keep their latest value.
     * @param whenFull         what storing a value does when the budget is full.
     */
    public Engine(
        final WriterProxy out,
        final StatsSource externalStats,
        final int maxSubscriptionsPerSession,
        final int maxTopics,
        final int routeCacheTopics,
        final MemoryBudget memory,
        final Retention retention,
        final WhenFull whenFull)
    {
        this.memory = memory;
        this.values = new LatestValues(memory, retention, whenFull, this::forgetIfEmpty);
        this.out = out;
        this.routing = new Routing(routeCacheTopics);
        this.externalStats = externalStats;
        this.maxSubscriptionsPerSession = maxSubscriptionsPerSession;
        this.maxTopics = maxTopics;
    }

    public EngineCounters counters()
    {
        return counters;
    }

    @Override
    public void onEvent(final InboundEvent event, final long sequence, final boolean endOfBatch)
    {
        apply(event);
        if (endOfBatch)
        {
            out.endOfBatch();
        }
        // Cleared only on success: after a failure the exception handler still needs the session
        // to answer ERR, and clears the slot itself.
        event.clear();
    }

    /** Applies one command; package-visible so tests can drive the engine on their own thread. */
    void apply(final InboundEvent event)
    {
        final Session session = event.session;
        switch (event.command)
        {
            case CONNECT -> connect(session);
            case DISCONNECT -> disconnect(session);
            case SUB -> subscribe(session, event);
            case UNSUB -> unsubscribe(session, event);
            case PUB -> publish(event);
            case GET -> get(session, event);
            // Pass-through replies: encoded on the event loop, kept in order here.
            case PING, AUTH -> out.reply(session, event.command, null, takePayload(event), null);
            case STATS -> stats(session);
            case NAME -> name(session, event);
            case CLIENTS -> out.reply(session, Command.CLIENTS, null, null, ClientList.describe(sessions.values(), System.nanoTime()));
            case HELP, QUIT -> out.reply(session, event.command, null, null, null);
            case INVALID -> refuse(session, event.error);
            case SNAPSHOT -> snapshot(event.snapshot);
            default -> throw new IllegalStateException("unknown command " + event.command);
        }
    }

    /** Takes over the event's payload reference, so a failure handler never releases it twice. */
    private static ByteBuf takePayload(final InboundEvent event)
    {
        final ByteBuf payload = event.payload;
        event.payload = null;
        return payload;
    }

    private void connect(final Session session)
    {
        sessions.put(session.id(), new SessionState(session, System.nanoTime()));
        counters.connections = sessions.size();
    }

    private void disconnect(final Session session)
    {
        final SessionState state = sessions.remove(session.id());
        if (state == null)
        {
            return;
        }
        for (final SubscriberSet subscription : state.subscriptions())
        {
            leave(state, subscription);
        }
        counters.connections = sessions.size();
        // Its traffic stays in the totals: a counter never goes down when a connection leaves.
        final ConnectionStats traffic = session.stats();
        counters.closedBytesIn += traffic.bytesIn();
        counters.closedBytesOut += traffic.bytesOut();
    }

    private void subscribe(final Session session, final InboundEvent event)
    {
        final SessionState state = sessions.get(session.id());
        if (state == null)
        {
            return; // only after a lost CONNECT at shutdown: nothing to answer to
        }
        if (event.match != TopicMatch.EXACT)
        {
            subscribePattern(state, event);
            return;
        }
        Topic topic = find(event);
        if (topic != null && state.isSubscribed(topic))
        {
            out.reply(session, Command.SUB, topic.name.bytes(), null, null);
            return;
        }
        if (state.subscriptionCount() >= maxSubscriptionsPerSession)
        {
            refuse(session, ErrorCode.TOO_MANY_SUBSCRIPTIONS);
            return;
        }
        if (topic == null && (topic = create()) == null)
        {
            refuse(session, ErrorCode.TOO_MANY_TOPICS);
            return;
        }
        topic.addSubscriber(state);
        routing.exactSubscribersChanged(topic);
        counters.subscriptions++;
        out.reply(session, Command.SUB, topic.name.bytes(), null, null);
    }

    private void subscribePattern(final SessionState state, final InboundEvent event)
    {
        final TopicName name = probe.wrap(event.topic, event.topicLength);
        Pattern pattern = routing.findPattern(event.match, name);
        if (pattern != null && state.isSubscribed(pattern))
        {
            out.reply(state.session, Command.SUB, pattern.name.bytes(), null, null);
            return;
        }
        if (state.subscriptionCount() >= maxSubscriptionsPerSession)
        {
            refuse(state.session, ErrorCode.TOO_MANY_SUBSCRIPTIONS);
            return;
        }
        if (pattern == null)
        {
            pattern = routing.addPattern(event.match, name.copy());
            counters.patterns = routing.patternCount();
        }
        pattern.addSubscriber(state);
        routing.patternSubscribersChanged(pattern);
        counters.subscriptions++;
        out.reply(state.session, Command.SUB, pattern.name.bytes(), null, null);
    }

    private void unsubscribe(final Session session, final InboundEvent event)
    {
        final SessionState state = sessions.get(session.id());
        final SubscriberSet subscription = event.match == TopicMatch.EXACT
            ? find(event)
            : routing.findPattern(event.match, probe.wrap(event.topic, event.topicLength));
        if (subscription == null || state == null)
        {
            out.reply(session, Command.UNSUB, Arrays.copyOf(event.topic, event.topicLength), null, null);
            return;
        }
        // The name is taken first: leaving may drop the topic or pattern.
        final byte[] name = subscription.name.bytes();
        if (state.isSubscribed(subscription))
        {
            leave(state, subscription);
        }
        else if (subscription instanceof Topic topic)
        {
            forgetIfEmpty(topic);
        }
        out.reply(session, Command.UNSUB, name, null, null);
    }

    /** Ends one subscription of {@code state}, dropping the topic or pattern if nothing is left of it. */
    private void leave(final SessionState state, final SubscriberSet subscription)
    {
        subscription.removeSubscriber(state);
        counters.subscriptions--;
        if (subscription instanceof Topic topic)
        {
            routing.exactSubscribersChanged(topic);
            forgetIfEmpty(topic);
        }
        else if (subscription.subscriberCount() == 0)
        {
            routing.removePattern((Pattern)subscription);
            counters.patterns = routing.patternCount();
        }
        else
        {
            routing.patternSubscribersChanged((Pattern)subscription);
        }
    }

    private void publish(final InboundEvent event)
    {
        final ByteBuf chunk = takePayload(event);
        Topic topic = find(event);
        if (topic == null && (topic = create()) == null)
        {
            chunk.release();
            refuse(event.session, ErrorCode.TOO_MANY_TOPICS);
            return;
        }
        final int offset = event.payloadOffset;
        final int length = event.payloadLength;
        if (!values.store(topic, chunk, offset, length))
        {
            // Nothing stored, nothing delivered: the budget has no room for this value.
            chunk.release();
            forgetIfEmpty(topic);
            memory.refused();
            refuse(event.session, ErrorCode.OUT_OF_MEMORY);
            return;
        }
        routing.prepare(topic);
        final SessionState[] receivers = topic.receivers();
        final int count = topic.receiverCount();
        final long readNanos = event.readNanos;
        if (count > 0)
        {
            chunk.retain(count);
            for (int i = 0; i < count; i++)
            {
                out.deliver(receivers[i].session, chunk, offset, length, readNanos);
            }
        }
        chunk.release();
        if (!topic.hasLatest())
        {
            forgetIfEmpty(topic); // --retention none: a topic is kept only while subscribed
        }
        counters.published++;
        counters.delivered += count;
    }

    private void get(final Session session, final InboundEvent event)
    {
        final Topic topic = find(event);
        if (topic == null || !topic.hasLatest())
        {
            out.reply(session, Command.GET, Arrays.copyOf(event.topic, event.topicLength), null, null);
            return;
        }
        out.reply(session, Command.GET, null, topic.copyOfLatest(), null);
    }

    /** Names the session for CLIENTS; a second NAME replaces the first. */
    private void name(final Session session, final InboundEvent event)
    {
        final SessionState state = sessions.get(session.id());
        if (state != null)
        {
            state.name = Arrays.copyOf(event.topic, event.topicLength);
        }
        out.reply(session, Command.NAME, null, null, null);
    }

    private void stats(final Session session)
    {
        statsText.setLength(0);
        statsText.append("STATS");
        listStats(statsLine);
        out.reply(session, Command.STATS, null, null, statsText.toString());
    }

    /** The STATS values in the order of the STATS line: the one list behind STATS and {@code /stats}. */
    private void listStats(final FieldSink fields)
    {
        fields.number("connections", counters.connections);
        fields.number("topics", counters.topics);
        fields.number("subscriptions", counters.subscriptions);
        fields.number("patterns", counters.patterns);
        fields.number("published", counters.published);
        fields.number("delivered", counters.delivered);
        fields.number("errors", counters.protocolErrors + externalStats.internalErrors());
        fields.number("protocol_errors", counters.protocolErrors);
        fields.number("slow_consumer_disconnects", externalStats.slowConsumerDisconnects());
        fields.number("outbound_ring_used", out.used());
        externalStats.appendTo(fields);
    }

    /**
     * Fills the metrics endpoint's request: what STATS says (and, like STATS, it starts a new
     * latency interval), errors by code, the bytes of every connection so far, and for
     * {@code /clients} the CLIENTS records. O(connections): the byte totals sum the open ones.
     */
    private void snapshot(final EngineSnapshot snapshot)
    {
        listStats(snapshot.stats());
        long bytesIn = counters.closedBytesIn;
        long bytesOut = counters.closedBytesOut;
        for (final SessionState state : sessions.values())
        {
            final ConnectionStats traffic = state.session.stats();
            bytesIn += traffic.bytesIn();
            bytesOut += traffic.bytesOut();
        }
        snapshot.fill(counters.errorsByCode.clone(), bytesIn, bytesOut,
            snapshot.withClients() ? ClientList.records(sessions.values(), System.nanoTime()) : List.of());
    }

    private Topic find(final InboundEvent event)
    {
        return topics.get(probe.wrap(event.topic, event.topicLength));
    }

    /** Creates the topic the probe was last pointed at by {@link #find}; null at --max-topics. */
    private Topic create()
    {
        if (topics.size() >= maxTopics)
        {
            return null;
        }
        final Topic topic = new Topic(probe.copy());
        topics.put(topic.name, topic);
        counters.topics = topics.size();
        return topic;
    }

    private void refuse(final Session session, final ErrorCode error)
    {
        counters.protocolErrors++;
        counters.errorsByCode[error.ordinal()]++;
        out.error(session, error);
    }

    private void forgetIfEmpty(final Topic topic)
    {
        if (topic.isEmpty())
        {
            routing.forget(topic);
            topics.remove(topic.name);
            counters.topics = topics.size();
        }
    }

    /** Signals that the engine has stopped; called on the engine thread as it stops. */
    @Override
    public void onShutdown()
    {
        LOG.fine(() -> "engine stopped with " + topics.size() + " topics, " + sessions.size() + " sessions");
        stopped.countDown();
    }

    /**
     * Waits for the engine thread to finish {@link #onShutdown}; once this returns true, its
     * counters may be read from the waiting thread.
     */
    public boolean awaitStopped(final long timeoutMs) throws InterruptedException
    {
        return stopped.await(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
