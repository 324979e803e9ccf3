package dev.topics.broker.engine;

import com.lmax.disruptor.EventHandler;
import dev.topics.broker.cluster.PeerWire;
import dev.topics.broker.egress.WriterProxy;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.broker.report.EngineSnapshot;
import dev.topics.broker.report.FieldSink;
import dev.topics.broker.report.KeyValueText;
import dev.topics.transport.ConnectionStats;
import dev.topics.transport.MemoryBudget;
import dev.topics.transport.Session;
import dev.topics.transport.WireProtocol;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.NameList;
import dev.topics.transport.codec.ReplyEncoder;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
    /** Tells one fan-out from the next, so a writer encodes each once per protocol form. */
    private long fanouts;

    // In a cluster only (joinCluster); a broker on its own leaves peers null and never reads the rest.
    private PeerLinks peers;
    private ClusterView view;
    private final PeerInterest peerInterest = new PeerInterest();
    /**
     * The message being written to peers; grows to the largest sent. Made by joinCluster only:
     * Agrona's buffers need {@code --add-opens java.base/jdk.internal.misc}, which a broker on its
     * own does not ask for.
     */
    private ExpandableArrayBuffer peerMessage;
    /** GETs waiting for their topic's home, by request id; each event's {@code peer} is the home asked. */
    private final Long2ObjectHashMap<InboundEvent> pendingGets = new Long2ObjectHashMap<>();
    private long nextRequestId;
    /** Peers that must be sent the whole of this node's interest again (they came up, or a send failed). */
    private long interestOwed;

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

    /**
     * Makes this engine one node of a cluster: from now on a topic's home orders its publications
     * (docs/architecture.md, "The cluster"). Called once, before the engine runs.
     */
    public void joinCluster(final PeerLinks links)
    {
        this.peers = links;
        this.view = new ClusterView(links.selfId());
        this.peerMessage = new ExpandableArrayBuffer(1024);
    }

    @Override
    public void onEvent(final InboundEvent event, final long sequence, final boolean endOfBatch)
    {
        apply(event);
        final ByteBuf unused = takePayload(event);
        if (unused != null)
        {
            // A payload its command did not take (none does today): given back, never leaked.
            unused.release();
        }
        if (endOfBatch)
        {
            out.endOfBatch();
            if (peers != null)
            {
                peers.flush();
            }
        }
        // Cleared only on success: after a failure the exception handler still needs the session
        // to answer ERR, and clears the slot itself.
        event.clear();
    }

    /** Applies one command; package-visible so tests can drive the engine on their own thread. */
    void apply(final InboundEvent event)
    {
        final Session session = event.session;
        final SessionState sender = stateOf(session);
        if (sender != null && sender.awaiting != 0 && event.command != Command.DISCONNECT)
        {
            hold(sender, event); // after its GET, which a topic's home is answering
            return;
        }
        if (!event.command.allowedWhileSubscribed() && refusedWhileSubscribed(event))
        {
            return;
        }
        switch (event.command)
        {
            case CONNECT -> connect(session);
            case DISCONNECT -> disconnect(session);
            case SUB -> subscribe(session, event);
            case UNSUB -> unsubscribe(session, event);
            case UNSUB_ALL -> unsubscribeAll(session, event);
            case PUB -> publish(event);
            case GET -> get(event);
            // Pass-through replies: their payload was made on the event loop, kept in order here.
            case PING, AUTH, RAW -> reply(event, null, takePayload(event), null, subscriptionCount(session));
            case STATS -> stats(event);
            case NAME -> name(session, event);
            case GETNAME -> reply(event, nameOf(session), null, null, 0);
            case CLIENTS -> reply(event, null, null, ClientList.describe(sessions.values(), System.nanoTime()), 0);
            case HELP, QUIT -> reply(event, null, null, null, 0);
            case MEMBERS -> reply(event, null, null, peers == null ? "" : peers.describeMembers(view.live()), 0);
            case CHANNELS -> channels(event);
            case NUMSUB -> numsub(event);
            case NUMPAT -> reply(event, null, null, null, routing.patternCount());
            case HELLO -> hello(event);
            case RESET -> reset(event);
            case FLUSH -> flush(event);
            case INVALID -> refuse(event, event.error);
            case SNAPSHOT -> snapshot(event.snapshot);
            case CLUSTER -> fromPeer(event);
            default -> throw new IllegalStateException("unknown command " + event.command);
        }
    }

    /** The engine's record of {@code session}, or null (only after a CONNECT lost at shutdown). */
    private static SessionState stateOf(final Session session)
    {
        return session == null ? null : (SessionState)session.engineState();
    }

    /** The encoder in effect for {@code session}'s replies now. */
    private static ReplyEncoder encoderOf(final Session session)
    {
        final SessionState state = stateOf(session);
        return state == null ? session.encoder() : state.encoder;
    }

    private static int subscriptionCount(final Session session)
    {
        final SessionState state = stateOf(session);
        return state == null ? 0 : state.subscriptionCount();
    }

    private static byte[] nameOf(final Session session)
    {
        final SessionState state = stateOf(session);
        return state == null ? null : state.name;
    }

    /** Replies to the command of {@code event}, in its session's encoding and silence. */
    private void reply(final InboundEvent event, final byte[] topic, final ByteBuf payload, final String text, final long count)
    {
        reply(event, topic, TopicMatch.EXACT, payload, text, count);
    }

    private void reply(
        final InboundEvent event, final byte[] topic, final TopicMatch match, final ByteBuf payload, final String text,
        final long count)
    {
        out.reply(event.session, encoderOf(event.session), event.command, topic, match, payload, text, count,
            event.detail, event.silent);
    }

    /**
     * A RESP2 connection with subscriptions may send only a few commands (Redis' rule): anything
     * else is answered with an error naming it, and not applied.
     */
    private boolean refusedWhileSubscribed(final InboundEvent event)
    {
        final SessionState state = stateOf(event.session);
        if (state == null || state.subscriptionCount() == 0 || !state.encoder.restrictsWhileSubscribed())
        {
            return false;
        }
        refuse(event, ErrorCode.SUBSCRIBED_MODE);
        return true;
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
        final SessionState state = new SessionState(session, System.nanoTime());
        sessions.put(session.id(), state);
        session.attachEngineState(state);
        counters.connections = sessions.size();
        counters.connectionsBy[state.protocol]++;
    }

    private void disconnect(final Session session)
    {
        final SessionState state = sessions.remove(session.id());
        if (state == null)
        {
            return;
        }
        session.attachEngineState(null);
        counters.connectionsBy[state.protocol]--;
        if (state.awaiting != 0)
        {
            pendingGets.remove(state.awaiting);
            state.awaiting = 0;
        }
        releaseHeld(state);
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
        final SessionState state = stateOf(session);
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
            reply(event, topic.name.bytes(), TopicMatch.EXACT, null, null, state.subscriptionCount());
            return;
        }
        if (state.subscriptionCount() >= maxSubscriptionsPerSession)
        {
            refuse(event, ErrorCode.TOO_MANY_SUBSCRIPTIONS);
            return;
        }
        if (topic == null && (topic = create()) == null)
        {
            refuse(event, ErrorCode.TOO_MANY_TOPICS);
            return;
        }
        topic.addSubscriber(state);
        routing.exactSubscribersChanged(topic);
        if (topic.subscriberCount() == 1)
        {
            tellPeers(PeerWire.INTEREST_ADD, TopicMatch.EXACT, topic.name);
        }
        counters.subscriptions++;
        reply(event, topic.name.bytes(), TopicMatch.EXACT, null, null, state.subscriptionCount());
    }

    private void subscribePattern(final SessionState state, final InboundEvent event)
    {
        final TopicName name = probe.wrap(event.topic, event.topicLength);
        Pattern pattern = routing.findPattern(event.match, name);
        if (pattern != null && state.isSubscribed(pattern))
        {
            reply(event, pattern.name.bytes(), event.match, null, null, state.subscriptionCount());
            return;
        }
        if (state.subscriptionCount() >= maxSubscriptionsPerSession)
        {
            refuse(event, ErrorCode.TOO_MANY_SUBSCRIPTIONS);
            return;
        }
        if (pattern == null)
        {
            pattern = routing.addPattern(event.match, name.copy());
            counters.patterns = routing.patternCount();
            tellPeers(PeerWire.INTEREST_ADD, event.match, pattern.name);
        }
        pattern.addSubscriber(state);
        routing.patternSubscribersChanged(pattern);
        counters.subscriptions++;
        reply(event, pattern.name.bytes(), event.match, null, null, state.subscriptionCount());
    }

    private void unsubscribe(final Session session, final InboundEvent event)
    {
        final SessionState state = stateOf(session);
        final SubscriberSet subscription = event.match == TopicMatch.EXACT
            ? find(event)
            : routing.findPattern(event.match, probe.wrap(event.topic, event.topicLength));
        if (subscription == null || state == null)
        {
            reply(event, Arrays.copyOf(event.topic, event.topicLength), event.match, null, null, subscriptionCount(session));
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
        reply(event, name, event.match, null, null, state.subscriptionCount());
    }

    /**
     * Ends every subscription of the kind {@code event.match} names (exact topics, or patterns of
     * that syntax), one UNSUB reply each; one reply without a topic when there was none.
     */
    private void unsubscribeAll(final Session session, final InboundEvent event)
    {
        final SessionState state = stateOf(session);
        int ended = 0;
        if (state != null)
        {
            for (final SubscriberSet subscription : state.subscriptions())
            {
                if (subscription instanceof Topic ? event.match == TopicMatch.EXACT : ((Pattern)subscription).syntax == event.match)
                {
                    final byte[] name = subscription.name.bytes();
                    leave(state, subscription);
                    out.reply(session, state.encoder, Command.UNSUB, name, event.match, null, null,
                        state.subscriptionCount(), event.detail, event.silent);
                    ended++;
                }
            }
        }
        if (ended == 0)
        {
            out.reply(session, encoderOf(session), Command.UNSUB, null, event.match, null, null,
                subscriptionCount(session), event.detail, event.silent);
        }
    }

    /** Ends one subscription of {@code state}, dropping the topic or pattern if nothing is left of it. */
    private void leave(final SessionState state, final SubscriberSet subscription)
    {
        subscription.removeSubscriber(state);
        counters.subscriptions--;
        if (subscription instanceof Topic topic)
        {
            routing.exactSubscribersChanged(topic);
            if (topic.subscriberCount() == 0)
            {
                tellPeers(PeerWire.INTEREST_REMOVE, TopicMatch.EXACT, topic.name);
            }
            forgetIfEmpty(topic);
        }
        else if (subscription.subscriberCount() == 0)
        {
            tellPeers(PeerWire.INTEREST_REMOVE, ((Pattern)subscription).syntax, subscription.name);
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
        if (peers != null)
        {
            if (PeerWire.HEADER_LENGTH + event.topicLength + event.payloadLength > peers.maxMessageLength())
            {
                chunk.release();
                refuse(event, ErrorCode.MESSAGE_TOO_LARGE);
                return;
            }
            final int home = view.home(probe.wrap(event.topic, event.topicLength));
            if (home != view.selfId())
            {
                forwardToHome(event, chunk, home);
                return;
            }
        }
        order(event, chunk);
    }

    /**
     * Applies a publication at its topic's home (on a broker alone, always here): stores it as the
     * latest value, delivers it to this node's receivers and sends it on to the peers that listen,
     * and to the topic's next home for its copy. {@code event.session} is null for a PUB a peer
     * forwarded.
     */
    private void order(final InboundEvent event, final ByteBuf chunk)
    {
        Topic topic = find(event);
        if (topic == null && (topic = create()) == null)
        {
            chunk.release();
            refuse(event, ErrorCode.TOO_MANY_TOPICS);
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
            refuse(event, ErrorCode.OUT_OF_MEMORY);
            return;
        }
        deliverHere(topic, chunk, offset, length, event.readNanos);
        if (peers != null)
        {
            sendToPeers(topic, chunk, offset, length);
        }
        chunk.release();
        final SessionState publisher = stateOf(event.session);
        if (publisher != null)
        {
            counters.publishedBy[publisher.protocol]++;
            if (publisher.encoder.acknowledgesPublish())
            {
                reply(event, null, null, null, topic.subscriptionCount());
            }
        }
        if (!topic.hasLatest())
        {
            forgetIfEmpty(topic); // --retention none: a topic is kept only while subscribed
        }
        counters.published++;
    }

    /** Hands a publication to every receiver on this node: exact subscribers and matching patterns'. */
    private void deliverHere(final Topic topic, final ByteBuf chunk, final int offset, final int length, final long readNanos)
    {
        routing.prepare(topic);
        final SessionState[] receivers = topic.receivers();
        final Pattern[] via = topic.receiverPatterns();
        final int count = topic.receiverCount();
        final int topicLength = topic.name.length();
        final long fanout = ++fanouts;
        if (count > 0)
        {
            chunk.retain(count);
            for (int i = 0; i < count; i++)
            {
                final SessionState receiver = receivers[i];
                final Pattern pattern = via == null ? null : via[i];
                out.deliver(receiver.session, receiver.encoder, chunk, offset, length, readNanos, topicLength,
                    pattern == null ? null : pattern.name.bytes(), fanout);
            }
            // Counted per publish from the sets' own tallies, not per delivery.
            final long[] deliveredBy = counters.deliveredBy;
            for (int p = 0; p < deliveredBy.length; p++)
            {
                deliveredBy[p] += topic.receiverCount(p);
            }
        }
        counters.delivered += count;
    }

    /** The latest value, with the topic (the encoder finds the message after it in the frame). */
    private void get(final InboundEvent event)
    {
        if (peers != null)
        {
            final int home = view.home(probe.wrap(event.topic, event.topicLength));
            if (home != view.selfId())
            {
                askHome(event, home);
                return;
            }
        }
        getHere(event);
    }

    private void getHere(final InboundEvent event)
    {
        final Topic topic = find(event);
        if (topic == null || !topic.hasLatest())
        {
            reply(event, Arrays.copyOf(event.topic, event.topicLength), null, null, 0);
            return;
        }
        reply(event, topic.name.bytes(), topic.copyOfLatest(), null, topic.name.length());
    }

    /** Names the session for CLIENTS; a second NAME replaces the first. */
    private void name(final Session session, final InboundEvent event)
    {
        final SessionState state = stateOf(session);
        if (state != null)
        {
            state.name = Arrays.copyOf(event.topic, event.topicLength);
        }
        reply(event, null, null, null, 0);
    }

    private void stats(final InboundEvent event)
    {
        statsText.setLength(0);
        statsText.append("STATS");
        listStats(statsLine);
        reply(event, null, null, statsText.toString(), 0);
    }

    /** Topics with exact subscribers, only those matching the pattern in the topic's place if one is given. */
    private void channels(final InboundEvent event)
    {
        final GlobMatcher filter = event.match == TopicMatch.GLOB_PATTERN
            ? new GlobMatcher(Arrays.copyOf(event.topic, event.topicLength), event.topicLength)
            : null;
        final ArrayList<byte[]> names = new ArrayList<>();
        for (final Topic topic : topics.values())
        {
            final byte[] name = topic.name.bytes();
            if (topic.subscriberCount() > 0 && (filter == null || filter.matches(name, name.length)))
            {
                names.add(name);
            }
        }
        out.replyList(event.session, encoderOf(event.session), Command.CHANNELS, names.toArray(new byte[0][]), null,
            event.detail, event.silent);
    }

    /** Each name asked for with its count of exact subscribers (patterns are not counted, as in Redis). */
    private void numsub(final InboundEvent event)
    {
        final ByteBuf packed = takePayload(event);
        final byte[][] names;
        try
        {
            names = packed == null ? new byte[0][] : NameList.unpack(packed);
        }
        finally
        {
            if (packed != null)
            {
                packed.release();
            }
        }
        final long[] counts = new long[names.length];
        for (int i = 0; i < names.length; i++)
        {
            final Topic topic = topics.get(probe.wrap(names[i], names[i].length));
            counts[i] = topic == null ? 0 : topic.subscriberCount();
        }
        out.replyList(event.session, encoderOf(event.session), Command.NUMSUB, names, counts, event.detail, event.silent);
    }

    /**
     * Switches the session's encoding to the protocol version in {@code event.detail} (0 keeps
     * it), then answers in the new one. A version the protocol does not have is refused.
     */
    private void hello(final InboundEvent event)
    {
        final SessionState state = stateOf(event.session);
        if (state != null && event.detail != 0)
        {
            final ReplyEncoder next = state.encoder.forVersion(event.detail);
            if (next == null)
            {
                refuse(event, ErrorCode.BAD_ARGUMENTS);
                return;
            }
            state.encoder = next;
        }
        reply(event, null, null, null, subscriptionCount(event.session));
    }

    /** Back to a new connection's state: no subscriptions, no name, the first encoding. */
    private void reset(final InboundEvent event)
    {
        final SessionState state = stateOf(event.session);
        if (state != null)
        {
            for (final SubscriberSet subscription : state.subscriptions())
            {
                leave(state, subscription);
            }
            state.name = null;
            state.encoder = event.session.encoder();
        }
        reply(event, null, null, null, 0);
    }

    /** Drops every topic's latest value; topics left without value or subscribers go. */
    private void flush(final InboundEvent event)
    {
        for (final Topic topic : topics.values().toArray(new Topic[0]))
        {
            values.drop(topic);
            forgetIfEmpty(topic);
        }
        reply(event, null, null, null, 0);
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
        for (final WireProtocol protocol : WireProtocol.values())
        {
            final int i = protocol.ordinal();
            fields.number(protocol.label() + "_connections", counters.connectionsBy[i]);
            fields.number(protocol.label() + "_published", counters.publishedBy[i]);
            fields.number(protocol.label() + "_delivered", counters.deliveredBy[i]);
        }
        if (peers != null)
        {
            fields.number("cluster_node", view.selfId());
            fields.number("cluster_members", Long.bitCount(peers.memberMask()));
            fields.number("cluster_up", Long.bitCount(view.live()));
            fields.number("cluster_forwarded", counters.forwarded);
            fields.number("cluster_from_homes", counters.fromHomes);
            fields.number("cluster_misrouted", counters.misrouted);
            peers.appendStats(fields);
        }
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

    /** Answers {@code event}'s command with {@code error}, in its session's encoding and silence. */
    private void refuse(final InboundEvent event, final ErrorCode error)
    {
        counters.protocolErrors++;
        counters.errorsByCode[error.ordinal()]++;
        if (event.session == null)
        {
            return; // a PUB a peer forwarded: counted; nobody here to answer
        }
        out.error(event.session, encoderOf(event.session), error, event.command, event.detail, takePayload(event),
            event.silent);
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

    // ---- the cluster: every method below runs only when joinCluster was called ----

    /** A message from a peer, or the link's news of the members, in order with every command. */
    private void fromPeer(final InboundEvent event)
    {
        if (peers == null)
        {
            return;
        }
        switch (event.detail)
        {
            case PeerWire.MEMBERS -> members(event.peerValue);
            case PeerWire.FORWARD -> orderForwarded(event);
            case PeerWire.DELIVER -> deliverFromHome(event);
            case PeerWire.HANDOFF -> takeHandoff(event);
            case PeerWire.INTEREST_ADD -> peerInterest.add(event.peer, event.match, probe.wrap(event.topic, event.topicLength));
            case PeerWire.INTEREST_REMOVE -> peerInterest.remove(event.peer, event.match, probe.wrap(event.topic, event.topicLength));
            case PeerWire.INTEREST_RESET -> peerInterest.clear(event.peer);
            case PeerWire.GET_REQUEST -> answerGet(event);
            case PeerWire.GET_REPLY -> getAnswered(event);
            default -> counters.misrouted++; // a message this node cannot read: counted, ignored
        }
    }

    /** A PUB sent here from the node its publisher is connected to: ordered here if this is its home. */
    private void orderForwarded(final InboundEvent event)
    {
        if (view.home(probe.wrap(event.topic, event.topicLength)) != view.selfId() || event.payload == null)
        {
            counters.misrouted++; // the topic moved meanwhile: dropped rather than ordered twice
            return;
        }
        order(event, takePayload(event));
    }

    /**
     * A publication ordered by its home, for this node's receivers. Taken only from the node this
     * node believes is the topic's home: while a topic moves, a message from the old home after
     * the move, or from the new home before it, is dropped rather than delivered out of order.
     */
    private void deliverFromHome(final InboundEvent event)
    {
        final TopicName name = probe.wrap(event.topic, event.topicLength);
        if (view.home(name) != event.peer || event.payload == null)
        {
            counters.misrouted++;
            return;
        }
        Topic topic = topics.get(name);
        if (topic == null && (topic = create()) == null)
        {
            counters.errorsByCode[ErrorCode.TOO_MANY_TOPICS.ordinal()]++;
            return;
        }
        final ByteBuf chunk = takePayload(event);
        if ((event.peerFlags & PeerWire.STORE_LATEST) != 0 && !values.store(topic, chunk, event.payloadOffset, event.payloadLength))
        {
            memory.refused(); // the copy is lost; the delivery still goes out
        }
        counters.fromHomes++;
        deliverHere(topic, chunk, event.payloadOffset, event.payloadLength, event.readNanos);
        chunk.release();
        forgetIfEmpty(topic);
    }

    /** A latest value handed over as homes move: kept unless the topic already has a newer one. */
    private void takeHandoff(final InboundEvent event)
    {
        Topic topic = find(event);
        if (event.payload == null || topic != null && topic.hasLatest())
        {
            return;
        }
        if (topic == null && (topic = create()) == null)
        {
            return;
        }
        if (!values.store(topic, event.payload, event.payloadOffset, event.payloadLength))
        {
            memory.refused();
        }
        forgetIfEmpty(topic);
    }

    /** Sends a PUB to its topic's home, which orders it; answers the publisher now, as on one node. */
    private void forwardToHome(final InboundEvent event, final ByteBuf chunk, final int home)
    {
        final int at = PeerWire.writeHeader(peerMessage, PeerWire.FORWARD, view.selfId(), 0, 0, 0, event.topic, event.topicLength);
        final int length = event.payloadLength;
        peerMessage.checkLimit(at + length);
        chunk.getBytes(event.payloadOffset, peerMessage.byteArray(), at, length);
        chunk.release();
        if (peers.send(home, peerMessage, at + length))
        {
            counters.forwarded++;
        }
        final SessionState publisher = stateOf(event.session);
        if (publisher != null)
        {
            counters.publishedBy[publisher.protocol]++;
            if (publisher.encoder.acknowledgesPublish())
            {
                // As Redis Cluster counts: the subscriptions on the node the publisher is connected to.
                reply(event, null, null, null, localSubscriptionCount(event));
            }
        }
    }

    /** This node's subscriptions, exact and by pattern, that a publication to the event's topic reaches. */
    private int localSubscriptionCount(final InboundEvent event)
    {
        Topic topic = find(event);
        if (topic == null && (routing.patternCount() == 0 || (topic = create()) == null))
        {
            return 0;
        }
        routing.prepare(topic);
        final int count = topic.subscriptionCount();
        forgetIfEmpty(topic); // made only to resolve its patterns
        return count;
    }

    /** At the home: a publication to every live peer that listens, and to the next home for its copy. */
    private void sendToPeers(final Topic topic, final ByteBuf chunk, final int offset, final int length)
    {
        final int self = view.selfId();
        final int backup = view.backup(topic.name);
        long targets = peerInterest.peersFor(topic) & view.live() & ~(1L << self);
        if (backup != ClusterView.NONE)
        {
            targets |= 1L << backup;
        }
        if (targets == 0)
        {
            return;
        }
        final int at = PeerWire.writeHeader(peerMessage, PeerWire.DELIVER, self, 0, 0, 0, topic.name.bytes(), topic.name.length());
        peerMessage.checkLimit(at + length);
        chunk.getBytes(offset, peerMessage.byteArray(), at, length);
        for (long rest = targets; rest != 0; rest &= rest - 1)
        {
            final int peer = Long.numberOfTrailingZeros(rest);
            peerMessage.putByte(PeerWire.FLAGS_OFFSET, peer == backup ? PeerWire.STORE_LATEST : 0);
            peers.send(peer, peerMessage, at + length);
        }
    }

    /** This node gained or lost its local subscribers of a topic or pattern: every live peer hears. */
    private void tellPeers(final byte type, final TopicMatch match, final TopicName name)
    {
        if (peers == null)
        {
            return;
        }
        final int length = PeerWire.writeHeader(peerMessage, type, view.selfId(), match.ordinal(), 0, 0, name.bytes(), name.length());
        for (long rest = view.live() & ~(1L << view.selfId()); rest != 0; rest &= rest - 1)
        {
            final int peer = Long.numberOfTrailingZeros(rest);
            if (!peers.send(peer, peerMessage, length))
            {
                interestOwed |= 1L << peer; // sent whole, from scratch, at the next MEMBERS
            }
        }
    }

    /** All of this node's interest to {@code peer}, after a reset: what a peer that just came up needs. */
    private boolean sendAllInterest(final int peer)
    {
        int length = PeerWire.writeHeader(peerMessage, PeerWire.INTEREST_RESET, view.selfId(), 0, 0, 0, null, 0);
        boolean sent = peers.send(peer, peerMessage, length);
        for (final Topic topic : topics.values())
        {
            if (sent && topic.subscriberCount() > 0)
            {
                length = PeerWire.writeHeader(peerMessage, PeerWire.INTEREST_ADD, view.selfId(), TopicMatch.EXACT.ordinal(), 0, 0,
                    topic.name.bytes(), topic.name.length());
                sent = peers.send(peer, peerMessage, length);
            }
        }
        final HashSet<Pattern> patterns = new HashSet<>();
        for (final SessionState state : sessions.values())
        {
            for (final SubscriberSet subscription : state.subscriptions())
            {
                if (sent && subscription instanceof Pattern pattern && patterns.add(pattern))
                {
                    length = PeerWire.writeHeader(peerMessage, PeerWire.INTEREST_ADD, view.selfId(), pattern.syntax.ordinal(), 0, 0,
                        pattern.name.bytes(), pattern.name.length());
                    sent = peers.send(peer, peerMessage, length);
                }
            }
        }
        return sent;
    }

    /**
     * The link's view of which members are up (sent on every heartbeat tick, changed or not). A
     * change moves homes: peers that went down lose their interest, peers that came up are sent
     * ours, latest values go to their new homes and next homes, waiting GETs ask the new home.
     */
    private void members(final long reported)
    {
        final long old = view.live();
        final long next = reported | 1L << view.selfId();
        if (next != old)
        {
            view.setLive(next);
            for (long down = old & ~next; down != 0; down &= down - 1)
            {
                peerInterest.clear(Long.numberOfTrailingZeros(down));
            }
            interestOwed |= next & ~old;
            moveLatestValues(old, next);
            askAgain();
            LOG.info(() -> "cluster members up: " + memberList(next) + " (were " + memberList(old) + ")");
        }
        final long owed = interestOwed & next & ~(1L << view.selfId());
        interestOwed = 0;
        for (long rest = owed; rest != 0; rest &= rest - 1)
        {
            final int peer = Long.numberOfTrailingZeros(rest);
            if (!sendAllInterest(peer))
            {
                interestOwed |= 1L << peer;
            }
        }
    }

    private static String memberList(final long mask)
    {
        final StringBuilder text = new StringBuilder();
        for (long rest = mask; rest != 0; rest &= rest - 1)
        {
            text.append(text.length() == 0 ? "" : ",").append(Long.numberOfTrailingZeros(rest));
        }
        return text.toString();
    }

    /**
     * After a change of members: a value this node homed, or homes now, goes to the topic's new
     * home and new next home (each keeps it only if it has none newer); a value this node neither
     * homes nor backs up any more is dropped, so a stale copy never answers a GET later.
     */
    private void moveLatestValues(final long old, final long next)
    {
        final int self = view.selfId();
        for (final Topic topic : topics.values().toArray(new Topic[0]))
        {
            if (!topic.hasLatest())
            {
                continue;
            }
            final int oldHome = ClusterView.homeAmong(topic.name, old);
            final int newHome = ClusterView.homeAmong(topic.name, next);
            final int newBackup = ClusterView.backupAmong(topic.name, next);
            if (oldHome == self || newHome == self)
            {
                if (newHome != self)
                {
                    handOff(topic, newHome);
                }
                if (newBackup != self && newBackup != ClusterView.NONE)
                {
                    handOff(topic, newBackup);
                }
            }
            if (newHome != self && newBackup != self)
            {
                values.drop(topic);
                forgetIfEmpty(topic);
            }
        }
    }

    private void handOff(final Topic topic, final int peer)
    {
        final int at = PeerWire.writeHeader(peerMessage, PeerWire.HANDOFF, view.selfId(), 0, 0, 0, topic.name.bytes(), topic.name.length());
        peerMessage.checkLimit(at + topic.latestBytes());
        final int length = topic.copyLatestTo(peerMessage, at);
        peers.send(peer, peerMessage, at + length);
    }

    /** A GET for a topic homed elsewhere: asks the home; the session's later commands wait for the answer. */
    private void askHome(final InboundEvent event, final int home)
    {
        final SessionState state = stateOf(event.session);
        if (state == null)
        {
            return;
        }
        final InboundEvent get = new InboundEvent(event.topic.length);
        event.moveTo(get);
        final long id = ++nextRequestId;
        if (!askFor(get, id, home))
        {
            getHere(get); // the home cannot be reached now: what this node has (at-most-once, as the rest)
            return;
        }
        pendingGets.put(id, get);
        state.awaiting = id;
    }

    private boolean askFor(final InboundEvent get, final long id, final int home)
    {
        get.peer = home;
        final int length = PeerWire.writeHeader(peerMessage, PeerWire.GET_REQUEST, view.selfId(), 0, 0, id, get.topic, get.topicLength);
        return peers.send(home, peerMessage, length);
    }

    /** At the home: the latest value for a peer's GET, or an answer without one. */
    private void answerGet(final InboundEvent event)
    {
        final Topic topic = find(event);
        final int at = PeerWire.writeHeader(peerMessage, PeerWire.GET_REPLY, view.selfId(), 0, 0, event.peerValue, event.topic,
            event.topicLength);
        int length = at;
        if (topic != null && topic.hasLatest())
        {
            peerMessage.checkLimit(at + topic.latestBytes());
            length += topic.copyLatestTo(peerMessage, at);
        }
        peers.send(event.peer, peerMessage, length);
    }

    /** The home answered a GET: reply to its session, then apply what the session sent meanwhile. */
    private void getAnswered(final InboundEvent event)
    {
        final InboundEvent get = pendingGets.remove(event.peerValue);
        if (get == null)
        {
            return; // its session left, or it was asked again elsewhere
        }
        final ByteBuf chunk = takePayload(event);
        // The reply owns exactly the frame: a slice of the link's chunk, holding the reference taken.
        final ByteBuf frame = chunk == null ? null : chunk.slice(event.payloadOffset, event.payloadLength);
        final byte[] name = Arrays.copyOf(get.topic, get.topicLength);
        reply(get, name, frame, null, frame == null ? 0 : get.topicLength);
        resume(stateOf(get.session));
    }

    /** After a change of members: every waiting GET whose home moved asks the new home (or is answered here). */
    private void askAgain()
    {
        for (final long id : pendingGets.keySet().toArray(new Long[0]))
        {
            final InboundEvent get = pendingGets.get(id);
            final int home = view.home(probe.wrap(get.topic, get.topicLength));
            if (home == get.peer)
            {
                continue;
            }
            if (home != view.selfId() && askFor(get, id, home))
            {
                continue;
            }
            pendingGets.remove(id);
            getHere(get);
            resume(stateOf(get.session));
        }
    }

    /** Holds a command of a session waiting for its GET's answer, taking over its payload. */
    private static void hold(final SessionState state, final InboundEvent event)
    {
        if (state.held == null)
        {
            state.held = new ArrayDeque<>();
        }
        final InboundEvent copy = new InboundEvent(event.topic.length);
        event.moveTo(copy);
        state.held.add(copy);
    }

    /** The session's GET is answered: applies what it sent meanwhile, until another GET waits. */
    private void resume(final SessionState state)
    {
        if (state == null)
        {
            return;
        }
        state.awaiting = 0;
        while (state.awaiting == 0 && state.held != null && !state.held.isEmpty())
        {
            final InboundEvent next = state.held.poll();
            apply(next);
            final ByteBuf unused = takePayload(next);
            if (unused != null)
            {
                unused.release();
            }
        }
    }

    private static void releaseHeld(final SessionState state)
    {
        if (state.held == null)
        {
            return;
        }
        for (final InboundEvent event : state.held)
        {
            if (event.payload != null)
            {
                event.payload.release();
            }
        }
        state.held.clear();
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
