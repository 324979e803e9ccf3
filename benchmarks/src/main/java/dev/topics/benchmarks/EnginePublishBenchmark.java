package dev.topics.benchmarks;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.WaitStrategy;
import dev.topics.broker.BrokerConfig;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.egress.WriterProxy;
import dev.topics.broker.engine.Engine;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.Replies;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;

/**
 * Measures the engine's publish path: {@link Engine#onEvent} of one {@code PUB} to a topic with 0, 1
 * or 100 subscribers, which looks the topic up, claims and publishes one {@code DELIVER} event per
 * subscriber into a real single-producer {@code RingBuffer<OutboundEvent>} (broker default size),
 * and copies the frame into the topic's own latest-value array.
 *
 * <p>In the broker this runs once per {@code PUB} taken from the inbound ring, on the engine
 * thread or (with {@code --engine-thread io}) on the event loop that polls the engine. It must
 * allocate nothing: run with {@code -prof gc} and expect {@code gc.alloc.rate.norm} of about
 * 0 B/op. {@code waitStrategy} is the outbound ring's: {@code BUSY_SPIN} is the broker's (no writer
 * waits on that ring, so a publish signals nobody); {@code BLOCKING} shows what a publish that
 * takes the strategy's lock to signal would add per delivery.
 *
 * <p>No writer runs. The benchmark stands in for the writers: it owns the ring's gating sequence
 * and advances it (releasing the chunk references the drained events held) before the ring could
 * fill, so the engine never waits. The frame is encoded once into one buffer, as an event loop
 * writes it into its arena's chunk; each op hands the engine one more reference to that buffer,
 * so the engine's retain per delivery and release after keeping the latest value are
 * reference-count changes, never a free to the pool. Sessions wrap idle {@code EmbeddedChannel}s
 * that are never written to: the engine never touches a channel.
 */
@State(Scope.Thread)
public class EnginePublishBenchmark extends HotPathBenchmark
{
    private static final int MAX_TOPIC_BYTES = EngineRig.MAX_TOPIC_BYTES;
    private static final String PUB_LINE = "PUB sensors.eu-west-1.temp.042 0123456789abcdef";

    /** The outbound ring's wait strategy: it decides what a publish into the ring costs. */
    public enum Wait
    {
        /** The broker's: nobody waits on the outbound ring, so a publish signals nobody. */
        BUSY_SPIN,
        /** For comparison: every publish takes the strategy's lock to signal. */
        BLOCKING;

        WaitStrategy create()
        {
            return this == BLOCKING ? new BlockingWaitStrategy() : new BusySpinWaitStrategy();
        }
    }

    @Param({"0", "1", "100"})
    public int subscribers;

    @Param
    public Wait waitStrategy;

    /**
     * Outbound ring slots; the broker's default. The ring's size decides whether the slots the
     * engine writes, last touched a lap ago, are still in cache.
     */
    @Param({"" + BrokerConfig.OUTBOUND_RING_SIZE_DEFAULT})
    public int ringSize;

    private RingBuffer<OutboundEvent> ring;
    /** Stands for the writers' sequence: how far the ring has been drained. */
    private final Sequence drained = new Sequence();
    private Engine engine;
    private PubSlot pub;
    /** Deliveries published but not yet drained; each holds one reference to the slot's frame. */
    private int undrained;
    private final ArrayList<EmbeddedChannel> channels = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp()
    {
        ring = RingBuffer.createSingleProducer(OutboundEvent::new, ringSize, waitStrategy.create());
        ring.addGatingSequences(drained);
        engine = new Engine(new WriterProxy(ring, 1, shard -> { }, () -> { }), EngineRig.NO_STATS, Integer.MAX_VALUE, Integer.MAX_VALUE, BrokerConfig.ROUTE_CACHE_TOPICS_DEFAULT);

        final Session publisher = session(0);
        pub = new PubSlot(MAX_TOPIC_BYTES, PUB_LINE, publisher);
        // The slot carries the topic; SUB uses it too before the first PUB.
        final InboundEvent command = pub.event;
        for (int id = 1; id <= subscribers; id++)
        {
            final Session subscriber = session(id);
            apply(command, Command.CONNECT, subscriber);
            apply(command, Command.SUB, subscriber);
        }
        apply(command, Command.CONNECT, publisher);
        drained.set(ring.getCursor()); // the SUBSCRIBED replies count as written
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        engine.onShutdown();
        drain();
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        pub.close();
    }

    /** One PUB, filled as {@code InboundProxy} fills the slot, applied as the engine thread does. */
    @Benchmark
    public void publish()
    {
        // Not the end of a batch: no writer to wake. The engine clears the slot's references.
        engine.onEvent(pub.fill(), 0, false);
        undrained += subscribers;
        if (undrained > ringSize - subscribers)
        {
            drain();
        }
    }

    /** What the writers would do: drop each drained delivery's reference, then free the slots. */
    private void drain()
    {
        if (undrained > 0)
        {
            pub.frame.release(undrained);
            undrained = 0;
        }
        drained.set(ring.getCursor());
    }

    private Session session(final long id)
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        return new Session(id, channel, 0, Replies.TEXT);
    }

    private void apply(final InboundEvent command, final Command type, final Session session)
    {
        command.command = type;
        command.session = session;
        engine.onEvent(command, 0, false);
    }
}
