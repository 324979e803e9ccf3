package dev.topics.loadgen.run;

import dev.topics.loadgen.adapter.BrokerConnection;
import dev.topics.loadgen.adapter.InboundListener;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Runs on its own thread, the only reader and writer of one subscriber connection: reads
 * deliveries in batches, records each one's latency from its intended send time in this
 * thread's own {@link SingleWriterRecorder}, and checks per-stream order with a
 * {@link SequenceTracker}. Nothing is allocated per message.
 *
 * <p>It starts reading before the run's timeline is known, so that it can see the setup probes
 * (see {@link PayloadCodec#writeProbe}) that prove its subscriptions reach the publishers' node;
 * probes are noted per stream and never counted as deliveries, duplicates or unexpected messages.
 * {@link #measure} then sets the measured period, before any publisher sends.
 */
final class Subscriber implements Runnable, InboundListener
{
    private final BrokerConnection connection;
    private final Topology topology;
    private final SequenceTracker tracker;
    private final SingleWriterRecorder latencyRecorder;
    private final boolean[] subscribed;
    /** The measured period, set once by {@link #measure}; copied to the plain fields per read. */
    private volatile long measureStartNsShared;
    private volatile long endNsShared;
    /** Empty (start == end) until {@link #measure}: nothing is in it. */
    private long measureStartNs;
    private long endNs;
    private final AtomicLongArray receivedFromPublisher;
    /** 1 per stream a probe of which arrived here; any thread reads it. */
    private final AtomicIntegerArray probed;
    private final AtomicLong delivered = new AtomicLong();
    private long deliveredCount;
    private long deliveredInWindow;
    private long batchReceivedNs;
    private volatile boolean stopping;
    private volatile String failure;

    Subscriber(
        final BrokerConnection connection,
        final Topology topology,
        final int subscriber,
        final SingleWriterRecorder latencyRecorder)
    {
        this.connection = connection;
        this.topology = topology;
        this.subscribed = new boolean[topology.streams()];
        for (int stream = 0; stream < subscribed.length; stream++)
        {
            subscribed[stream] = topology.subscribes(subscriber, topology.topicOf(stream));
        }
        this.tracker = new SequenceTracker(topology.streams(), subscribed);
        this.latencyRecorder = latencyRecorder;
        this.receivedFromPublisher = new AtomicLongArray(topology.publishers());
        this.probed = new AtomicIntegerArray(topology.streams());
    }

    /**
     * Sets the measured period: deliveries intended within it are recorded. Called once, after the
     * probes and before any publisher starts, so every data message is read with it in place.
     */
    void measure(final long startNs, final long endNsExclusive)
    {
        endNsShared = endNsExclusive;
        measureStartNsShared = startNs;
    }

    @Override
    public void run()
    {
        try
        {
            while (!stopping)
            {
                final int read = connection.readAndDecode(this);
                if (read < 0)
                {
                    if (!stopping)
                    {
                        failure = connection.target() + " closed a subscriber connection";
                    }
                    return;
                }
            }
        }
        catch (final IOException e)
        {
            if (!stopping)
            {
                failure = "subscriber connection to " + connection.target() + ": " + e.getMessage();
            }
        }
    }

    @Override
    public void onRead(final long receivedNs)
    {
        batchReceivedNs = receivedNs;
        measureStartNs = measureStartNsShared;
        endNs = endNsShared;
    }

    @Override
    public void onDelivery(final byte[] buffer, final int offset, final int length)
    {
        if (length < PayloadCodec.HEADER_BYTES)
        {
            tracker.onMessage(-1, -1);
            return;
        }
        final int stream = PayloadCodec.readStream(buffer, offset);
        if (stream < 0 && onProbe(buffer, offset, length))
        {
            return;
        }
        final long sequence = PayloadCodec.readSequence(buffer, offset);
        if (!tracker.onMessage(stream, sequence))
        {
            return;
        }
        final long intendedNs = PayloadCodec.readIntendedNs(buffer, offset);
        if (intendedNs - measureStartNs >= 0 && intendedNs - endNs < 0)
        {
            latencyRecorder.recordValue(Histograms.clamp(batchReceivedNs - intendedNs));
        }
        if (batchReceivedNs - measureStartNs >= 0 && batchReceivedNs - endNs < 0)
        {
            deliveredInWindow++;
        }
        final int publisher = topology.publisherOf(stream);
        receivedFromPublisher.lazySet(publisher, receivedFromPublisher.get(publisher) + 1);
        delivered.lazySet(++deliveredCount);
    }

    /** Notes a setup probe; false if the payload is none, or for a stream not subscribed here. */
    private boolean onProbe(final byte[] buffer, final int offset, final int length)
    {
        final int stream = PayloadCodec.readProbeStream(buffer, offset, length);
        if (stream < 0 || stream >= subscribed.length || !subscribed[stream])
        {
            return false;
        }
        probed.lazySet(stream, 1);
        return true;
    }

    /** Whether a probe of {@code stream} arrived here; any thread. */
    boolean probed(final int stream)
    {
        return probed.get(stream) != 0;
    }

    @Override
    public void onServerPing()
    {
        try
        {
            connection.sendPong();
        }
        catch (final IOException e)
        {
            failure = "answering PING on " + connection.target() + ": " + e.getMessage();
        }
    }

    @Override
    public void onError(final byte[] buffer, final int offset, final int length)
    {
        if (failure == null)
        {
            failure = connection.target() + " answered a subscriber: " + new String(buffer, offset, length, StandardCharsets.UTF_8);
        }
    }

    void stop()
    {
        stopping = true;
    }

    /** Unique messages received from {@code publisher}; any thread. */
    long receivedFrom(final int publisher)
    {
        return receivedFromPublisher.get(publisher);
    }

    /** Unique messages received; any thread. */
    long delivered()
    {
        return delivered.get();
    }

    /** The tracker, to read after this thread ended. */
    SequenceTracker tracker()
    {
        return tracker;
    }

    /** Deliveries that arrived within the measured period; after this thread ended. */
    long deliveredInWindow()
    {
        return deliveredInWindow;
    }

    String failure()
    {
        return failure;
    }
}
