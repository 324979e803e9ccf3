package dev.topics.loadgen.run;

import dev.topics.loadgen.adapter.BrokerConnection;
import dev.topics.loadgen.adapter.InboundListener;
import dev.topics.loadgen.adapter.WireProtocol;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs on the caller's thread and owns one run from connect to report:
 *
 * <pre>
 *   publisher 0..P-1 ──PUB──▶ ┌────────┐ ──deliveries──▶ subscriber 0..S-1
 *   (own thread each,         │ broker │                 (own thread each, one
 *    open-loop schedule)  ◀───└────────┘                  SingleWriterRecorder each)
 *   reply reader 0..P-1  (Redis PUBLISH replies, NATS PINGs)
 * </pre>
 *
 * <ol>
 *   <li>connect the subscribers and wait until the broker confirmed every subscription;</li>
 *   <li>connect the publishers;</li>
 *   <li>publish probes until every subscriber received one of every stream it subscribes to,
 *       which proves its subscriptions reached the publishers' node (a target may put them on
 *       different nodes of a cluster);</li>
 *   <li>start everything on one timeline: warm-up, measured period, end;</li>
 *   <li>print progress, collecting the recorders' interval histograms once a second;</li>
 *   <li>after the end, wait (bounded) until every expected delivery arrived, then close.</li>
 * </ol>
 * Every wait is bounded in time, so a broker that stops answering fails the run instead of
 * hanging it.
 */
public final class LoadRun
{
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long DRAIN_POLL_MS = 5;
    /** Setup: time between rounds of probes while a subscription has not reached the publishers' node. */
    private static final long PROBE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long JOIN_AFTER_CLOSE_MS = 2_000;
    private static final int SLOW_SUBSCRIBER_RCVBUF_BYTES = 4096;

    private final RunSpec spec;
    private final ProgressPrinter progress;
    private final List<BrokerConnection> connections = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    public LoadRun(final RunSpec spec, final ProgressPrinter progress)
    {
        this.spec = spec;
        this.progress = progress;
    }

    public RunResult execute() throws IOException, InterruptedException
    {
        try
        {
            return executeConnected();
        }
        finally
        {
            for (final BrokerConnection connection : connections)
            {
                connection.close();
            }
            progress.finish();
        }
    }

    private RunResult executeConnected() throws IOException, InterruptedException
    {
        final Topology topology = spec.topology();
        final BrokerConnection[] subscriberConnections = connectSubscribers(topology);
        final BrokerConnection[] slowConnections = connectSlowSubscribers(topology);
        final BrokerConnection[] publisherConnections = connectPublishers(topology);

        final LatencyCollector latency = new LatencyCollector();
        final LatencyCollector sendLag = new LatencyCollector();
        final Subscriber[] subscribers = new Subscriber[topology.subscribers()];
        final List<Thread> workers = new ArrayList<>();
        for (int s = 0; s < subscribers.length; s++)
        {
            subscribers[s] = new Subscriber(subscriberConnections[s], topology, s, latency.newRecorder());
            workers.add(start(subscribers[s], "lg-sub-" + s));
        }
        probeUntilEverySubscriberReceives(topology, publisherConnections, subscribers, slowConnections);

        final long startNs = System.nanoTime() + START_DELAY_NS;
        final long measureStartNs = startNs + spec.warmupNs();
        final long endNs = measureStartNs + spec.durationNs();
        for (final Subscriber subscriber : subscribers)
        {
            subscriber.measure(measureStartNs, endNs);
        }
        final Publisher[] publishers = new Publisher[topology.publishers()];
        final PublisherReplyReader[] readers = new PublisherReplyReader[publishers.length];
        final long intervalNs = spec.isMaxRate() ? 0 : Schedule.intervalNs(spec.ratePerSec(), publishers.length);
        for (int p = 0; p < publishers.length; p++)
        {
            // Publishers are staggered over one interval so their sends do not arrive in bursts.
            final Schedule schedule = spec.isMaxRate() ? null
                : new Schedule(startNs + p * intervalNs / publishers.length, intervalNs);
            publishers[p] = new Publisher(publisherConnections[p], topology, p, spec.payloadBytes(), schedule,
                measureStartNs, endNs, spec.spinNs(), new InFlightWindow(p, receiversOf(topology, p, subscribers),
                spec.maxInFlight()), sendLag.newRecorder());
            readers[p] = new PublisherReplyReader(publisherConnections[p], publishers[p]);
        }

        for (int p = 0; p < readers.length; p++)
        {
            workers.add(start(readers[p], "lg-pub-reader-" + p));
        }
        final Thread[] publisherThreads = new Thread[publishers.length];
        for (int p = 0; p < publishers.length; p++)
        {
            publisherThreads[p] = start(publishers[p], "lg-pub-" + p);
        }

        final Meters meters = followProgress(startNs, measureStartNs, endNs, latency, publishers, subscribers);
        joinPublishers(publisherThreads, publisherConnections, endNs);
        final long expected = expectedDeliveries(topology, publishers);
        drain(expected, latency, publishers, subscribers);
        final String slowSubscriber = probeSlowSubscribers(slowConnections);
        for (final PublisherReplyReader reader : readers)
        {
            reader.stop();
        }
        for (final Subscriber subscriber : subscribers)
        {
            subscriber.stop();
        }
        for (final BrokerConnection connection : connections)
        {
            connection.close();
        }
        for (final Thread worker : workers)
        {
            worker.join(JOIN_AFTER_CLOSE_MS);
        }
        latency.collect();
        sendLag.collect();
        return result(topology, publishers, readers, subscribers, latency.total(), sendLag.total(), expected,
            meters, slowSubscriber);
    }

    private BrokerConnection[] connectSubscribers(final Topology topology) throws IOException
    {
        final BrokerConnection[] result = new BrokerConnection[topology.subscribers()];
        for (int s = 0; s < result.length; s++)
        {
            result[s] = open(spec.target().subscriberAddress(s), 0);
            result[s].subscribe(topology.subscriptionsOf(s), topology.byPattern(), spec.setupTimeoutNs());
        }
        return result;
    }

    /** Subscribers that never read: of topic 0, or of the pattern, as their neighbours, in a pattern run. */
    private BrokerConnection[] connectSlowSubscribers(final Topology topology) throws IOException
    {
        final String[] subscriptions = topology.byPattern() ? new String[] {Topology.PATTERN}
            : new String[] {topology.topicName(0)};
        final BrokerConnection[] result = new BrokerConnection[spec.slowSubscribers()];
        for (int i = 0; i < result.length; i++)
        {
            result[i] = open(spec.target().subscriberAddress(i), SLOW_SUBSCRIBER_RCVBUF_BYTES);
            result[i].subscribe(subscriptions, topology.byPattern(), spec.setupTimeoutNs());
        }
        return result;
    }

    private BrokerConnection[] connectPublishers(final Topology topology) throws IOException
    {
        final BrokerConnection[] result = new BrokerConnection[topology.publishers()];
        for (int p = 0; p < result.length; p++)
        {
            result[p] = open(spec.target().address(), 0);
            result[p].awaitPong(spec.setupTimeoutNs());
        }
        return result;
    }

    private BrokerConnection open(final InetSocketAddress address, final int receiveBufferBytes) throws IOException
    {
        final BrokerConnection connection = BrokerConnection.open(spec.target(), address, receiveBufferBytes,
            spec.payloadBytes(), spec.setupTimeoutNs());
        connections.add(connection);
        return connection;
    }

    /**
     * Publishes probes until every subscriber (the slow ones too) received one of every stream it
     * subscribes to, bounded by the setup timeout. A subscription confirmed by its own node may
     * not have reached the publishers' node yet (interest propagates asynchronously across a
     * cluster's nodes): measuring before it has would lose the first messages, and count them as
     * lost. Each round re-sends, from the stream's own publisher connection, a probe of every stream
     * some receiver has not seen yet; probes are never counted (see {@link PayloadCodec#writeProbe}).
     * One round on a single node.
     */
    private void probeUntilEverySubscriberReceives(
        final Topology topology,
        final BrokerConnection[] publisherConnections,
        final Subscriber[] subscribers,
        final BrokerConnection[] slowConnections) throws IOException, InterruptedException
    {
        final WireProtocol protocol = spec.target().kind().protocol();
        final ProbeListener slowListener = new ProbeListener();
        final boolean[] slowReached = new boolean[slowConnections.length];
        final boolean[] pending = new boolean[topology.streams()];
        final long deadlineNs = System.nanoTime() + spec.setupTimeoutNs();
        while (true)
        {
            int waiting = 0;
            Arrays.fill(pending, false);
            for (int s = 0; s < subscribers.length; s++)
            {
                boolean reached = true;
                for (int stream = 0; stream < pending.length; stream++)
                {
                    if (topology.subscribes(s, topology.topicOf(stream)) && !subscribers[s].probed(stream))
                    {
                        pending[stream] = true;
                        reached = false;
                    }
                }
                if (!reached)
                {
                    waiting++;
                }
                if (subscribers[s].failure() != null)
                {
                    throw new IOException(subscribers[s].failure());
                }
            }
            for (final boolean reached : slowReached)
            {
                if (!reached)
                {
                    // A slow subscriber is on topic 0, or on the pattern: stream 0 reaches it.
                    pending[0] = true;
                    waiting++;
                }
            }
            if (waiting == 0)
            {
                return;
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new IOException(waiting + " of " + (subscribers.length + slowConnections.length)
                    + " subscribers of " + spec.target() + " received no probe within "
                    + spec.setupTimeoutNs() / 1_000_000 + " ms: their subscriptions did not reach the publishers' node");
            }
            for (int stream = 0; stream < pending.length; stream++)
            {
                if (pending[stream])
                {
                    publisherConnections[topology.publisherOf(stream)].writeFully(
                        probe(protocol, topology.topicName(topology.topicOf(stream)), stream));
                }
            }
            final long roundEndNs = System.nanoTime() + PROBE_INTERVAL_NS;
            for (int i = 0; i < slowConnections.length; i++)
            {
                while (!slowReached[i] && System.nanoTime() - roundEndNs < 0)
                {
                    slowListener.probed = false;
                    if (slowConnections[i].poll(slowListener, roundEndNs - System.nanoTime()) < 0)
                    {
                        throw new IOException(spec.target() + " closed a slow subscriber's connection during setup");
                    }
                    slowReached[i] = slowListener.probed;
                }
            }
            TimeUnit.NANOSECONDS.sleep(Math.max(1, roundEndNs - System.nanoTime()));
        }
    }

    private ByteBuffer probe(final WireProtocol protocol, final String topic, final int stream)
    {
        final byte[] prefix = protocol.publishPrefix(topic, spec.payloadBytes());
        final byte[] suffix = protocol.publishSuffix();
        final byte[] frame = new byte[prefix.length + spec.payloadBytes() + suffix.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        PayloadCodec.writeProbe(frame, prefix.length, spec.payloadBytes(), stream);
        System.arraycopy(suffix, 0, frame, prefix.length + spec.payloadBytes(), suffix.length);
        return ByteBuffer.wrap(frame);
    }

    /** Reads a slow subscriber during setup: whether a probe arrived (any stream: it has one topic). */
    private static final class ProbeListener implements InboundListener
    {
        boolean probed;

        @Override
        public void onDelivery(final byte[] buffer, final int offset, final int length)
        {
            probed |= PayloadCodec.readProbeStream(buffer, offset, length) >= 0;
        }

        @Override
        public void onServerPing()
        {
            // Setup takes seconds at most; a NATS server pings every few minutes.
        }

        @Override
        public void onError(final byte[] buffer, final int offset, final int length)
        {
            // A refused subscription shows as no probe arriving, which fails the setup in time.
        }
    }

    private static Subscriber[] receiversOf(
        final Topology topology,
        final int publisher,
        final Subscriber[] subscribers)
    {
        final List<Subscriber> receivers = new ArrayList<>();
        for (int s = 0; s < subscribers.length; s++)
        {
            if (topology.receivesFrom(s, publisher))
            {
                receivers.add(subscribers[s]);
            }
        }
        return receivers.toArray(new Subscriber[0]);
    }

    private static Thread start(final Runnable task, final String name)
    {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** CPU figures taken at the edges of the measured period. */
    private record Meters(double loadgenCpuPercent, double brokerCpuSeconds, long brokerRssKiB)
    {
    }

    private Meters followProgress(
        final long startNs,
        final long measureStartNs,
        final long endNs,
        final LatencyCollector latency,
        final Publisher[] publishers,
        final Subscriber[] subscribers) throws InterruptedException
    {
        final CpuMeter loadgenCpu = new CpuMeter();
        final ProcessStats broker = new ProcessStats(spec.brokerPids());
        boolean measuring = false;
        double brokerCpuAtStart = -1;
        long nextReportNs = startNs + PROGRESS_INTERVAL_NS;
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (!measuring && nowNs >= measureStartNs)
            {
                measuring = true;
                loadgenCpu.start();
                brokerCpuAtStart = broker.cpuSeconds();
            }
            if (nowNs >= endNs)
            {
                break;
            }
            if (nowNs >= nextReportNs)
            {
                final Histogram interval = latency.collect();
                report(measuring ? "measure" : "warmup", nowNs - startNs, publishers, subscribers, interval);
                nextReportNs += PROGRESS_INTERVAL_NS;
            }
            final long wakeNs = Math.min(nextReportNs, measuring ? endNs : measureStartNs);
            TimeUnit.NANOSECONDS.sleep(Math.max(1, wakeNs - System.nanoTime()));
        }
        final double cpu = loadgenCpu.percentOfOneCore();
        final double brokerCpuAtEnd = broker.cpuSeconds();
        final double brokerCpuSeconds = brokerCpuAtStart < 0 || brokerCpuAtEnd < 0 ? -1 : brokerCpuAtEnd - brokerCpuAtStart;
        return new Meters(cpu, brokerCpuSeconds, broker.residentKiB());
    }

    private void report(
        final String phase,
        final long elapsedNs,
        final Publisher[] publishers,
        final Subscriber[] subscribers,
        final Histogram interval)
    {
        long sent = 0;
        for (final Publisher publisher : publishers)
        {
            sent += publisher.sentSoFar();
        }
        long delivered = 0;
        for (final Subscriber subscriber : subscribers)
        {
            delivered += subscriber.delivered();
        }
        progress.update(String.format(Locale.ROOT, "%s %s %s %5.1fs sent %,d delivered %,d p99 %,.1f us max %,.1f us",
            spec.groupName(), spec.target().label(), phase, elapsedNs / 1e9, sent, delivered,
            interval.getValueAtPercentile(99) / 1000.0, interval.getMaxValue() / 1000.0));
    }

    /** Waits for the publishers to stop on their own; one stuck in a write is unblocked by closing. */
    private void joinPublishers(
        final Thread[] threads,
        final BrokerConnection[] connections,
        final long endNs) throws InterruptedException
    {
        final long deadlineNs = endNs + spec.drainTimeoutNs();
        for (int p = 0; p < threads.length; p++)
        {
            final long leftMs = Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000);
            threads[p].join(leftMs);
            if (threads[p].isAlive())
            {
                failures.add("publisher " + p + " still blocked writing after the run: broker stopped reading");
                connections[p].close();
                threads[p].join(JOIN_AFTER_CLOSE_MS);
            }
        }
    }

    private static long expectedDeliveries(final Topology topology, final Publisher[] publishers)
    {
        final long[] sentPerStream = sentPerStream(topology, publishers);
        long expected = 0;
        for (int s = 0; s < topology.subscribers(); s++)
        {
            for (int stream = 0; stream < sentPerStream.length; stream++)
            {
                if (topology.subscribes(s, topology.topicOf(stream)))
                {
                    expected += sentPerStream[stream];
                }
            }
        }
        return expected;
    }

    private static long[] sentPerStream(final Topology topology, final Publisher[] publishers)
    {
        final long[] sent = new long[topology.streams()];
        for (final Publisher publisher : publishers)
        {
            final int[] streams = publisher.streams();
            final long[] counts = publisher.sentPerLocalStream();
            for (int i = 0; i < streams.length; i++)
            {
                sent[streams[i]] = counts[i];
            }
        }
        return sent;
    }

    /** Waits until every expected delivery arrived, or until nothing arrived for the drain timeout. */
    private void drain(
        final long expected,
        final LatencyCollector latency,
        final Publisher[] publishers,
        final Subscriber[] subscribers) throws InterruptedException
    {
        final long drainStartNs = System.nanoTime();
        long lastDelivered = -1;
        long lastProgressNs = drainStartNs;
        long nextReportNs = drainStartNs + PROGRESS_INTERVAL_NS;
        // Bounded twice: by silence (no delivery for a drain timeout) and by 4 drain timeouts in all.
        while (System.nanoTime() - drainStartNs < 4 * spec.drainTimeoutNs())
        {
            long delivered = 0;
            for (final Subscriber subscriber : subscribers)
            {
                delivered += subscriber.delivered();
            }
            final long nowNs = System.nanoTime();
            if (delivered >= expected)
            {
                return;
            }
            if (delivered != lastDelivered)
            {
                lastDelivered = delivered;
                lastProgressNs = nowNs;
            }
            else if (nowNs - lastProgressNs > spec.drainTimeoutNs())
            {
                return;
            }
            if (nowNs >= nextReportNs)
            {
                report("drain", nowNs - drainStartNs, publishers, subscribers, latency.collect());
                nextReportNs += PROGRESS_INTERVAL_NS;
            }
            TimeUnit.MILLISECONDS.sleep(DRAIN_POLL_MS);
        }
    }

    /**
     * Finds out whether the broker cut off the slow subscribers: reads what is left (bounded in
     * time, until nothing arrives for {@link #DRAIN_POLL_MS}) and looks for the end of the stream.
     */
    private String probeSlowSubscribers(final BrokerConnection[] slowConnections)
    {
        if (slowConnections.length == 0)
        {
            return "";
        }
        final SlowSubscriberProbe probe = new SlowSubscriberProbe();
        int disconnected = 0;
        for (final BrokerConnection connection : slowConnections)
        {
            final long deadlineNs = System.nanoTime() + spec.drainTimeoutNs();
            try
            {
                int read = 0;
                while (read >= 0 && System.nanoTime() < deadlineNs)
                {
                    read = connection.poll(probe, TimeUnit.MILLISECONDS.toNanos(DRAIN_POLL_MS));
                    if (read == 0)
                    {
                        break;
                    }
                }
                if (read < 0)
                {
                    disconnected++;
                }
            }
            catch (final IOException e)
            {
                disconnected++;
            }
        }
        return disconnected + "/" + slowConnections.length + " disconnected";
    }

    /** What is left for a slow subscriber at the end is only read to find the end of the stream. */
    private static final class SlowSubscriberProbe implements InboundListener
    {
        @Override
        public void onServerPing()
        {
            // The run is over: nobody needs to keep this connection alive.
        }

        @Override
        public void onError(final byte[] buffer, final int offset, final int length)
        {
            // A broker may say why it cut the connection off; the end of the stream says that it did.
        }
    }

    private RunResult result(
        final Topology topology,
        final Publisher[] publishers,
        final PublisherReplyReader[] readers,
        final Subscriber[] subscribers,
        final Histogram latency,
        final Histogram sendLag,
        final long expected,
        final Meters meters,
        final String slowSubscriber)
    {
        long sent = 0;
        for (final Publisher publisher : publishers)
        {
            for (final long count : publisher.sentPerLocalStream())
            {
                sent += count;
            }
            addFailure(publisher.failure());
        }
        for (final PublisherReplyReader reader : readers)
        {
            addFailure(reader.failure());
        }
        long delivered = 0;
        long duplicated = 0;
        long reordered = 0;
        long unexpected = 0;
        long deliveredInWindow = 0;
        for (final Subscriber subscriber : subscribers)
        {
            final SequenceTracker tracker = subscriber.tracker();
            for (int stream = 0; stream < topology.streams(); stream++)
            {
                delivered += tracker.received(stream);
            }
            duplicated += tracker.duplicated();
            reordered += tracker.reordered();
            unexpected += tracker.unexpected();
            deliveredInWindow += subscriber.deliveredInWindow();
            addFailure(subscriber.failure());
        }
        final double seconds = spec.durationNs() / 1e9;
        final double brokerCpuPercent = meters.brokerCpuSeconds() < 0 ? Double.NaN
            : 100.0 * meters.brokerCpuSeconds() / seconds;
        final double brokerCpuPerMillion = meters.brokerCpuSeconds() < 0 || deliveredInWindow == 0 ? Double.NaN
            : meters.brokerCpuSeconds() / (deliveredInWindow / 1e6);
        return new RunResult(spec, latency, sendLag, sent, expected, delivered, Math.max(0, expected - delivered),
            duplicated, reordered, unexpected, deliveredInWindow / seconds, meters.loadgenCpuPercent(),
            brokerCpuPercent, brokerCpuPerMillion, meters.brokerRssKiB(), slowSubscriber, List.copyOf(failures));
    }

    private void addFailure(final String failure)
    {
        if (failure != null)
        {
            failures.add(failure);
        }
    }
}
