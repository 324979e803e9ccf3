package dev.topics.loadgen.run;

import dev.topics.loadgen.adapter.BrokerConnection;
import dev.topics.loadgen.adapter.InboundListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Runs on its own thread, the only reader and writer of one subscriber connection: reads
 * deliveries in batches, records each one's latency from its intended send time in this
 * thread's own {@link SingleWriterRecorder}, and checks per-stream order with a
 * {@link SequenceTracker}. Nothing is allocated per message.
 */
final class Subscriber implements Runnable, InboundListener {
    private final BrokerConnection connection;
    private final Topology topology;
    private final SequenceTracker tracker;
    private final SingleWriterRecorder latencyRecorder;
    private final long measureStartNs;
    private final long endNs;
    private final AtomicLongArray receivedFromPublisher;
    private final AtomicLong delivered = new AtomicLong();
    private long deliveredCount;
    private long deliveredInWindow;
    private long batchReceivedNs;
    private volatile boolean stopping;
    private volatile String failure;

    Subscriber(BrokerConnection connection, Topology topology, int subscriber, SingleWriterRecorder latencyRecorder,
            long measureStartNs, long endNs) {
        this.connection = connection;
        this.topology = topology;
        boolean[] subscribed = new boolean[topology.streams()];
        for (int stream = 0; stream < subscribed.length; stream++) {
            subscribed[stream] = topology.subscribes(subscriber, topology.topicOf(stream));
        }
        this.tracker = new SequenceTracker(topology.streams(), subscribed);
        this.latencyRecorder = latencyRecorder;
        this.measureStartNs = measureStartNs;
        this.endNs = endNs;
        this.receivedFromPublisher = new AtomicLongArray(topology.publishers());
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                int read = connection.readAndDecode(this);
                if (read < 0) {
                    if (!stopping) {
                        failure = connection.target() + " closed a subscriber connection";
                    }
                    return;
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                failure = "subscriber connection to " + connection.target() + ": " + e.getMessage();
            }
        }
    }

    @Override
    public void onRead(long receivedNs) {
        batchReceivedNs = receivedNs;
    }

    @Override
    public void onDelivery(byte[] buffer, int offset, int length) {
        if (length < PayloadCodec.HEADER_BYTES) {
            tracker.onMessage(-1, -1);
            return;
        }
        int stream = PayloadCodec.readStream(buffer, offset);
        long sequence = PayloadCodec.readSequence(buffer, offset);
        if (!tracker.onMessage(stream, sequence)) {
            return;
        }
        long intendedNs = PayloadCodec.readIntendedNs(buffer, offset);
        if (intendedNs - measureStartNs >= 0 && intendedNs - endNs < 0) {
            latencyRecorder.recordValue(Histograms.clamp(batchReceivedNs - intendedNs));
        }
        if (batchReceivedNs - measureStartNs >= 0 && batchReceivedNs - endNs < 0) {
            deliveredInWindow++;
        }
        int publisher = topology.publisherOf(stream);
        receivedFromPublisher.lazySet(publisher, receivedFromPublisher.get(publisher) + 1);
        delivered.lazySet(++deliveredCount);
    }

    @Override
    public void onSubscribed() {
        // Subscriptions were confirmed during setup.
    }

    @Override
    public void onPong() {
        // Only the setup handshake pings.
    }

    @Override
    public void onServerPing() {
        try {
            connection.sendPong();
        } catch (IOException e) {
            failure = "answering PING on " + connection.target() + ": " + e.getMessage();
        }
    }

    @Override
    public void onPublishReply(long receivers) {
        // Subscribers publish nothing.
    }

    @Override
    public void onError(byte[] buffer, int offset, int length) {
        if (failure == null) {
            failure = connection.target() + " answered a subscriber: " + new String(buffer, offset, length, StandardCharsets.UTF_8);
        }
    }

    void stop() {
        stopping = true;
    }

    /** Unique messages received from {@code publisher}; any thread. */
    long receivedFrom(int publisher) {
        return receivedFromPublisher.get(publisher);
    }

    /** Unique messages received; any thread. */
    long delivered() {
        return delivered.get();
    }

    /** The tracker, to read after this thread ended. */
    SequenceTracker tracker() {
        return tracker;
    }

    /** Deliveries that arrived within the measured period; after this thread ended. */
    long deliveredInWindow() {
        return deliveredInWindow;
    }

    String failure() {
        return failure;
    }
}
