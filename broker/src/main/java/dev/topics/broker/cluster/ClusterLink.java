package dev.topics.broker.cluster;

import dev.topics.broker.engine.PeerLinks;
import dev.topics.broker.ingress.InboundProxy;
import dev.topics.broker.report.FieldSink;
import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's links to the other members: an Aeron publication to each peer and one subscription
 * on this node's own endpoint, with an embedded media driver run in INVOKER mode by the link's
 * own thread, {@code topics-cluster-0}. That thread runs the driver and the client conductor,
 * polls the subscription, sends what the engine queued for each peer, heartbeats every peer,
 * decides which peers are up, and offers every
 * peer message (and, on every heartbeat tick, the members that are up) into the inbound ring, so
 * the engine applies them in order with everything else. It never spins for long: it backs off
 * to parking for at most {@code --cluster-max-park}, and the engine unparks it when it has sent
 * something, so a 2-core machine keeps its cores for the event loop.
 *
 * <p>Each peer's link has its own bound: {@link #send} (engine thread) writes into the peer's
 * one-to-one queue of {@code --cluster-link-buffer} bytes, which the link thread drains into the
 * peer's publication as fast as the peer reads, so a slow peer delays only its own queue and never
 * the engine. A message that does not fit is dropped, counted and logged.
 *
 * <p>Threads: {@link #send}, {@link #flush} and {@link #appendStats} run on the engine thread;
 * {@link #start} and {@link #close} on the launching thread; the rest on the link thread. The
 * figures the link thread writes and the engine reads are in atomic arrays.
 */
public final class ClusterLink implements PeerLinks, AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(ClusterLink.class.getName());
    private static final int STREAM_ID = 1001;
    private static final int FRAGMENTS_PER_POLL = 64;
    private static final int DRIVER_CYCLES_PER_LOOP = 16;
    private static final int HEARTBEAT_LENGTH = PeerWire.HEADER_LENGTH + 3 * Long.BYTES;
    private static final long FULL_LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int SLOTS = ClusterConfig.MAX_NODE_ID + 1;
    /** Asked of the kernel per UDP socket; Linux caps it at net.core.rmem_max (4 MiB here). */
    private static final int SOCKET_BUFFER_BYTES = 2 * 1024 * 1024;

    private final ClusterConfig config;
    private final int selfId;
    private final InboundProxy inbound;
    private final String aeronDir;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final AgentInvoker driverInvoker;
    private final AgentInvoker clientInvoker;
    private final Subscription subscription;
    private final Publication[] publications = new Publication[SLOTS];
    /** Per peer: what the engine sent and the link thread has not yet offered to the publication. */
    private final OneToOneRingBuffer[] queues = new OneToOneRingBuffer[SLOTS];
    private final ControlledMessageHandler[] drainers = new ControlledMessageHandler[SLOTS];
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(
        (buffer, offset, length, header) -> onFragment(buffer, offset, length));
    private final IdleStrategy idle;
    private final Thread thread;
    private final long incarnation = System.nanoTime() ^ ProcessHandle.current().pid() << 40;
    private final long timeoutNs;
    private final long heartbeatIntervalNs;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private volatile boolean running = true;

    // link thread:
    private final UnsafeBuffer heartbeat = new UnsafeBuffer(new byte[HEARTBEAT_LENGTH]);
    private final long[] incarnations = new long[SLOTS];
    /**
     * Whether the peer, in its current incarnation, has echoed one of our heartbeats: proof that it
     * has an image of our stream, so what we send from now on reaches it. Aeron lets a receiver
     * that (re)starts join a stream at its current position, so messages sent before would be lost
     * to it: the whole interest a peer is sent when it comes up, for one.
     */
    private final boolean[] echoed = new boolean[SLOTS];
    private final long[] lastSentNanos = new long[SLOTS];
    private final long[] lastSentHeardAt = new long[SLOTS];
    private long nextTickNs;
    /** When the loop last ran: a gap longer than a heartbeat means this thread itself was stalled. */
    private long lastLoopNs;
    /** Until then no peer is declared down: after a stall, what arrived meanwhile is read first. */
    private long graceUntilNs;
    /** Members reported to the engine as up; a restart found mid-poll is reported at once. */
    private long up;
    /** Whether the last MEMBERS offer found the ring full, so the tick's report is owed. */
    private boolean reportOwed;

    // engine thread:
    private final long[] sent = new long[SLOTS];
    /** Messages that did not fit the peer's queue: its bound exceeded. */
    private final long[] dropped = new long[SLOTS];
    private final long[] lastFullLogNs = new long[SLOTS];
    private boolean sentSinceFlush;

    // written by the link thread, read by the engine for STATS:
    private final AtomicLongArray received = new AtomicLongArray(SLOTS);
    private final AtomicLongArray heardAtNs = new AtomicLongArray(SLOTS);
    private final AtomicLongArray roundTripNs = new AtomicLongArray(SLOTS);
    /** Messages the link thread could not hand to a peer that was not connected. */
    private final AtomicLongArray unsent = new AtomicLongArray(SLOTS);
    private volatile long upForStats;

    private ClusterLink(final ClusterConfig config, final InboundProxy inbound, final ThreadFactory threads)
    {
        this.config = config;
        this.selfId = config.nodeId();
        this.inbound = inbound;
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(config.timeoutMs());
        this.heartbeatIntervalNs = timeoutNs / 10;
        this.idle = new BackoffIdleStrategy(10, 5, 1_000, TimeUnit.MICROSECONDS.toNanos(config.maxParkMicros()));
        final boolean embedded = config.aeronDir() == null;
        this.aeronDir = embedded ? defaultAeronDir(config) : config.aeronDir();
        MediaDriver launched = null;
        Aeron connected = null;
        try
        {
            if (embedded)
            {
                // A kill -9 leaves the directory behind: deleted on start, and again on a clean stop.
                launched = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(aeronDir)
                    .threadingMode(ThreadingMode.INVOKER)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .warnIfDirectoryExists(false)
                    .termBufferSparseFile(true)
                    .publicationTermBufferLength(config.termLength())
                    .ipcTermBufferLength(64 * 1024)
                    // One socket receives every peer's stream: room for each peer's flow-control
                    // window (128 KiB of data, about twice that in kernel buffers), or a burst
                    // overflows it and the loss stalls the stream for a NAK round.
                    .socketRcvbufLength(SOCKET_BUFFER_BYTES)
                    .socketSndbufLength(SOCKET_BUFFER_BYTES)
                    .errorHandler(ex -> LOG.log(Level.WARNING, ex, () -> "cluster media driver")));
            }
            final Aeron.Context context = new Aeron.Context()
                .aeronDirectoryName(aeronDir)
                .useConductorAgentInvoker(true)
                .errorHandler(ex -> LOG.log(Level.WARNING, ex, () -> "cluster link"));
            if (launched != null)
            {
                context.driverAgentInvoker(launched.sharedAgentInvoker());
            }
            connected = Aeron.connect(context);
            this.driver = launched;
            this.aeron = connected;
            this.driverInvoker = launched == null ? null : launched.sharedAgentInvoker();
            this.clientInvoker = connected.conductorAgentInvoker();
            this.subscription = connected.addSubscription("aeron:udp?endpoint=" + config.self().endpointText(), STREAM_ID);
            for (final ClusterConfig.Member member : config.members())
            {
                if (member.id() != selfId)
                {
                    final int id = member.id();
                    publications[id] = connected.addExclusivePublication("aeron:udp?endpoint=" + member.endpointText()
                        + "|term-length=" + config.termLength(), STREAM_ID);
                    queues[id] = new OneToOneRingBuffer(new UnsafeBuffer(
                        ByteBuffer.allocateDirect(config.linkBufferBytes() + RingBufferDescriptor.TRAILER_LENGTH)));
                    drainers[id] = (type, buffer, index, length) -> offerQueued(id, buffer, index, length);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(connected, launched);
            throw ex;
        }
        this.up = 1L << selfId;
        this.upForStats = up;
        this.thread = threads.newThread(this::run);
    }

    /**
     * Starts the media driver (unless {@code --aeron-dir} names a running one), the publications
     * and the subscription; the link thread starts with {@link #start()}.
     */
    public static ClusterLink open(final ClusterConfig config, final InboundProxy inbound, final ThreadFactory threads)
    {
        try
        {
            return new ClusterLink(config, inbound, threads);
        }
        catch (final IllegalAccessError ex)
        {
            // Agrona reaches jdk.internal.misc.Unsafe: java -jar opens it (the jar's manifest), java -cp does not.
            throw new IllegalStateException("the cluster needs the JVM flag --add-opens java.base/jdk.internal.misc=ALL-UNNAMED"
                + " (java -jar topics-broker.jar and bin/topics give it)", ex);
        }
    }

    /** One directory per node and endpoint, so nodes on one machine never share one. */
    static String defaultAeronDir(final ClusterConfig config)
    {
        return CommonContext.getAeronDirectoryName() + "-topics-" + config.nodeId() + "-" + config.self().endpoint().getPort();
    }

    /** Where this node's media driver keeps its files. */
    public String aeronDirectory()
    {
        return aeronDir;
    }

    public void start()
    {
        thread.start();
    }

    @Override
    public int selfId()
    {
        return selfId;
    }

    @Override
    public long memberMask()
    {
        return config.memberMask();
    }

    @Override
    public int maxMessageLength()
    {
        return config.maxMessageLength();
    }

    @Override
    public boolean send(final int peer, final DirectBuffer buffer, final int length)
    {
        if (queues[peer].write(1, buffer, 0, length))
        {
            sent[peer]++;
            sentSinceFlush = true;
            return true;
        }
        dropped[peer]++;
        final long now = System.nanoTime();
        if (now - lastFullLogNs[peer] > FULL_LOG_INTERVAL_NS || lastFullLogNs[peer] == 0)
        {
            lastFullLogNs[peer] = now;
            LOG.warning(() -> "link to node " + peer + " is full (" + config.linkBufferBytes()
                + " bytes queued that it has not read): dropping what does not fit; " + dropped[peer] + " dropped so far");
        }
        return false;
    }

    /** Link thread: one queued message into the peer's publication; kept for later while the peer is behind. */
    private ControlledMessageHandler.Action offerQueued(final int peer, final DirectBuffer buffer, final int index, final int length)
    {
        final long result = publications[peer].offer(buffer, index, length);
        if (result > 0)
        {
            return ControlledMessageHandler.Action.CONTINUE;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            return ControlledMessageHandler.Action.ABORT; // the same message again on the next round
        }
        unsent.lazySet(peer, unsent.get(peer) + 1); // not connected, or closed: the peer is gone
        return ControlledMessageHandler.Action.CONTINUE;
    }

    @Override
    public void flush()
    {
        if (sentSinceFlush)
        {
            sentSinceFlush = false;
            LockSupport.unpark(thread); // the driver's sender runs on the link thread
        }
    }

    @Override
    public void appendStats(final FieldSink fields)
    {
        final long now = System.nanoTime();
        final long upNow = upForStats;
        for (final ClusterConfig.Member member : config.members())
        {
            final int id = member.id();
            if (id == selfId)
            {
                continue;
            }
            final String prefix = "peer_" + id + "_";
            final long heard = heardAtNs.get(id);
            fields.number(prefix + "up", (upNow & 1L << id) != 0 ? 1 : 0);
            fields.number(prefix + "sent", sent[id]);
            fields.number(prefix + "received", received.get(id));
            fields.number(prefix + "dropped", dropped[id] + unsent.get(id));
            fields.number(prefix + "backlog_bytes", queues[id].size());
            fields.number(prefix + "heard_ms", heard == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(now - heard));
            fields.number(prefix + "rtt_us", TimeUnit.NANOSECONDS.toMicros(roundTripNs.get(id)));
        }
    }

    @Override
    public String describeMembers(final long live)
    {
        final long now = System.nanoTime();
        final StringBuilder text = new StringBuilder(128 * config.members().size());
        for (final ClusterConfig.Member member : config.members())
        {
            final int id = member.id();
            text.append(text.length() == 0 ? "" : "\r\n").append("MEMBER id=").append(id)
                .append(" endpoint=").append(member.endpointText())
                .append(" self=").append(id == selfId ? 1 : 0)
                .append(" state=").append((live & 1L << id) != 0 ? "up" : "down");
            if (id != selfId)
            {
                final long heard = heardAtNs.get(id);
                text.append(" sent=").append(sent[id])
                    .append(" received=").append(received.get(id))
                    .append(" dropped=").append(dropped[id] + unsent.get(id))
                    .append(" backlog_bytes=").append(queues[id].size())
                    .append(" heard_ms=").append(heard == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(now - heard))
                    .append(" rtt_us=").append(TimeUnit.NANOSECONDS.toMicros(roundTripNs.get(id)));
            }
        }
        return text.toString();
    }

    private void run()
    {
        try
        {
            while (running)
            {
                int work = 0;
                if (driverInvoker != null)
                {
                    // The driver sends at most one datagram per publication, and reads one per
                    // socket, per duty cycle: cycle it while it has work, or a burst crawls.
                    for (int cycle = 0, done = 1; cycle < DRIVER_CYCLES_PER_LOOP && done > 0; cycle++)
                    {
                        done = driverInvoker.invoke();
                        work += done;
                    }
                }
                final long started = System.nanoTime();
                if (started - lastLoopNs > heartbeatIntervalNs && lastLoopNs != 0)
                {
                    // This thread did not run for a while (a starved CPU, a safepoint): the peers'
                    // heartbeats wait unread in the socket, and must not count against them.
                    graceUntilNs = started + 2 * heartbeatIntervalNs;
                }
                lastLoopNs = started;
                work += clientInvoker.invoke();
                work += subscription.controlledPoll(assembler, FRAGMENTS_PER_POLL);
                for (final ClusterConfig.Member member : config.members())
                {
                    final int id = member.id();
                    if (id != selfId)
                    {
                        work += queues[id].controlledRead(drainers[id], FRAGMENTS_PER_POLL);
                    }
                }
                final long now = System.nanoTime();
                if (now - nextTickNs >= 0 || reportOwed)
                {
                    tick(now);
                    work++;
                }
                idle.idle(work);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            LOG.log(Level.SEVERE, ex, () -> "cluster link stopped: this node no longer hears its peers");
        }
    }

    /** Heartbeats, then decides who is up and tells the engine (every tick, changed or not). */
    private void tick(final long now)
    {
        if (now - nextTickNs >= 0)
        {
            nextTickNs = now + heartbeatIntervalNs;
            sendHeartbeats(now);
            long next = 1L << selfId;
            for (final ClusterConfig.Member member : config.members())
            {
                final int id = member.id();
                final long heard = heardAtNs.get(id);
                final boolean wasUp = (up & 1L << id) != 0;
                final boolean heardInTime = heard != 0 && (now - heard <= timeoutNs || wasUp && now - graceUntilNs < 0);
                if (id != selfId && heardInTime && echoed[id] && publications[id].isConnected())
                {
                    next |= 1L << id;
                }
            }
            logChanges(up, next);
            up = next;
            upForStats = next;
        }
        reportOwed = !inbound.offerPeer(membersMessage(up), 0, PeerWire.HEADER_LENGTH, PeerWire.HEADER_LENGTH, alloc);
    }

    private UnsafeBuffer membersMessage(final long members)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[PeerWire.HEADER_LENGTH]);
        PeerWire.writeHeader(message, PeerWire.MEMBERS, selfId, 0, 0, members, null, 0);
        return message;
    }

    private void logChanges(final long before, final long after)
    {
        for (long changed = (before ^ after) & ~(1L << selfId); changed != 0; changed &= changed - 1)
        {
            final int id = Long.numberOfTrailingZeros(changed);
            if ((after & 1L << id) != 0)
            {
                LOG.info(() -> "cluster: node " + id + " is up");
            }
            else
            {
                LOG.warning(() -> "cluster: node " + id + " is down (not heard for " + config.timeoutMs() + " ms)");
            }
        }
    }

    private void sendHeartbeats(final long now)
    {
        for (final ClusterConfig.Member member : config.members())
        {
            final int id = member.id();
            if (id == selfId)
            {
                continue;
            }
            PeerWire.writeHeader(heartbeat, PeerWire.HEARTBEAT, selfId, 0, 0, incarnation, null, 0);
            heartbeat.putLong(PeerWire.HEADER_LENGTH, now);
            heartbeat.putLong(PeerWire.HEADER_LENGTH + Long.BYTES, lastSentNanos[id]);
            heartbeat.putLong(PeerWire.HEADER_LENGTH + 2 * Long.BYTES, lastSentNanos[id] == 0 ? 0 : now - lastSentHeardAt[id]);
            publications[id].offer(heartbeat, 0, HEARTBEAT_LENGTH);
        }
    }

    private Action onFragment(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < PeerWire.HEADER_LENGTH)
        {
            return Action.CONTINUE;
        }
        final int from = PeerWire.from(buffer, offset);
        if (from < 1 || from >= SLOTS || from == selfId || publications[from] == null)
        {
            return Action.CONTINUE; // not a member of this cluster: ignored
        }
        final long now = System.nanoTime();
        if (PeerWire.type(buffer, offset) == PeerWire.HEARTBEAT)
        {
            return onHeartbeat(buffer, offset, length, from, now);
        }
        if (!inbound.offerPeer(buffer, offset, length, PeerWire.HEADER_LENGTH, alloc))
        {
            return Action.ABORT; // the ring is full: the same message again on the next poll
        }
        received.lazySet(from, received.get(from) + 1);
        heardAtNs.lazySet(from, now);
        return Action.CONTINUE;
    }

    private Action onHeartbeat(final DirectBuffer buffer, final int offset, final int length, final int from, final long now)
    {
        final long peerIncarnation = PeerWire.value(buffer, offset);
        if (incarnations[from] != 0 && incarnations[from] != peerIncarnation && (up & 1L << from) != 0)
        {
            // The same node, restarted faster than the timeout: down now, up again at the next tick,
            // so the engine forgets its old interest and sends it ours.
            final long without = up & ~(1L << from);
            if (!inbound.offerPeer(membersMessage(without), 0, PeerWire.HEADER_LENGTH, PeerWire.HEADER_LENGTH, alloc))
            {
                return Action.ABORT;
            }
            LOG.warning(() -> "cluster: node " + from + " restarted");
            up = without;
            upForStats = without;
        }
        if (incarnations[from] != peerIncarnation)
        {
            echoed[from] = false; // a new process: up once it echoes a heartbeat of ours
        }
        incarnations[from] = peerIncarnation;
        if (length >= HEARTBEAT_LENGTH)
        {
            lastSentNanos[from] = buffer.getLong(offset + PeerWire.HEADER_LENGTH);
            lastSentHeardAt[from] = now;
            final long echo = buffer.getLong(offset + PeerWire.HEADER_LENGTH + Long.BYTES);
            final long held = buffer.getLong(offset + PeerWire.HEADER_LENGTH + 2 * Long.BYTES);
            if (echo != 0)
            {
                echoed[from] = true;
                roundTripNs.lazySet(from, Math.max(0, now - echo - held));
            }
        }
        received.lazySet(from, received.get(from) + 1);
        heardAtNs.lazySet(from, now);
        return Action.CONTINUE;
    }

    /** Stops the link thread, then the client and the media driver (which deletes its directory). */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.quietCloseAll(aeron, driver);
    }
}
