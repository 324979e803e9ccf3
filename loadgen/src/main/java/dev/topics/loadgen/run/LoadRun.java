package dev.topics.loadgen.run;

import dev.topics.loadgen.adapter.BrokerConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

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
 *   <li>start everything on one timeline: warm-up, measured period, end;</li>
 *   <li>print progress, collecting the recorders' interval histograms once a second;</li>
 *   <li>after the end, wait (bounded) until every expected delivery arrived, then close.</li>
 * </ol>
 * Every wait is bounded in time, so a broker that stops answering fails the run instead of
 * hanging it.
 */
public final class LoadRun {
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long DRAIN_POLL_MS = 5;
    private static final long JOIN_AFTER_CLOSE_MS = 2_000;
    private static final int SLOW_SUBSCRIBER_RCVBUF_BYTES = 4096;

    private final RunSpec spec;
    private final ProgressPrinter progress;
    private final List<BrokerConnection> connections = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    public LoadRun(RunSpec spec, ProgressPrinter progress) {
        this.spec = spec;
        this.progress = progress;
    }

    public RunResult execute() throws IOException, InterruptedException {
        try {
            return executeConnected();
        } finally {
            for (BrokerConnection connection : connections) {
                connection.close();
            }
            progress.finish();
        }
    }

    private RunResult executeConnected() throws IOException, InterruptedException {
        Topology topology = spec.topology();
        BrokerConnection[] subscriberConnections = connectSubscribers(topology);
        BrokerConnection[] slowConnections = connectSlowSubscribers();
        BrokerConnection[] publisherConnections = connectPublishers(topology);

        long startNs = System.nanoTime() + START_DELAY_NS;
        long measureStartNs = startNs + spec.warmupNs();
        long endNs = measureStartNs + spec.durationNs();
        LatencyCollector latency = new LatencyCollector();
        LatencyCollector sendLag = new LatencyCollector();

        Subscriber[] subscribers = new Subscriber[topology.subscribers()];
        for (int s = 0; s < subscribers.length; s++) {
            subscribers[s] = new Subscriber(subscriberConnections[s], topology, s, latency.newRecorder(),
                    measureStartNs, endNs);
        }
        Publisher[] publishers = new Publisher[topology.publishers()];
        PublisherReplyReader[] readers = new PublisherReplyReader[publishers.length];
        long intervalNs = spec.isMaxRate() ? 0 : Schedule.intervalNs(spec.ratePerSec(), publishers.length);
        for (int p = 0; p < publishers.length; p++) {
            // Publishers are staggered over one interval so their sends do not arrive in bursts.
            Schedule schedule = spec.isMaxRate() ? null
                    : new Schedule(startNs + p * intervalNs / publishers.length, intervalNs);
            publishers[p] = new Publisher(publisherConnections[p], topology, p, spec.payloadBytes(), schedule,
                    measureStartNs, endNs, spec.spinNs(), new InFlightWindow(p, receiversOf(topology, p, subscribers),
                    spec.maxInFlight()), sendLag.newRecorder());
            readers[p] = new PublisherReplyReader(publisherConnections[p], publishers[p]);
        }

        List<Thread> workers = new ArrayList<>();
        for (int s = 0; s < subscribers.length; s++) {
            workers.add(start(subscribers[s], "lg-sub-" + s));
        }
        for (int p = 0; p < readers.length; p++) {
            workers.add(start(readers[p], "lg-pub-reader-" + p));
        }
        Thread[] publisherThreads = new Thread[publishers.length];
        for (int p = 0; p < publishers.length; p++) {
            publisherThreads[p] = start(publishers[p], "lg-pub-" + p);
        }

        Meters meters = followProgress(startNs, measureStartNs, endNs, latency, publishers, subscribers);
        joinPublishers(publisherThreads, publisherConnections, endNs);
        long expected = expectedDeliveries(topology, publishers);
        drain(expected, latency, publishers, subscribers);
        String slowSubscriber = probeSlowSubscribers(slowConnections);
        for (PublisherReplyReader reader : readers) {
            reader.stop();
        }
        for (Subscriber subscriber : subscribers) {
            subscriber.stop();
        }
        for (BrokerConnection connection : connections) {
            connection.close();
        }
        for (Thread worker : workers) {
            worker.join(JOIN_AFTER_CLOSE_MS);
        }
        latency.collect();
        sendLag.collect();
        return result(topology, publishers, readers, subscribers, latency.total(), sendLag.total(), expected,
                meters, slowSubscriber);
    }

    private BrokerConnection[] connectSubscribers(Topology topology) throws IOException {
        BrokerConnection[] result = new BrokerConnection[topology.subscribers()];
        for (int s = 0; s < result.length; s++) {
            result[s] = open(0);
            int[] topics = topology.topicsOf(s);
            String[] names = new String[topics.length];
            for (int i = 0; i < topics.length; i++) {
                names[i] = Topology.topicName(topics[i]);
            }
            result[s].subscribe(names, spec.setupTimeoutNs());
        }
        return result;
    }

    private BrokerConnection[] connectSlowSubscribers() throws IOException {
        BrokerConnection[] result = new BrokerConnection[spec.slowSubscribers()];
        for (int i = 0; i < result.length; i++) {
            result[i] = open(SLOW_SUBSCRIBER_RCVBUF_BYTES);
            result[i].subscribe(new String[] {Topology.topicName(0)}, spec.setupTimeoutNs());
        }
        return result;
    }

    private BrokerConnection[] connectPublishers(Topology topology) throws IOException {
        BrokerConnection[] result = new BrokerConnection[topology.publishers()];
        for (int p = 0; p < result.length; p++) {
            result[p] = open(0);
            result[p].awaitPong(spec.setupTimeoutNs());
        }
        return result;
    }

    private BrokerConnection open(int receiveBufferBytes) throws IOException {
        BrokerConnection connection = BrokerConnection.open(spec.target(), receiveBufferBytes, spec.payloadBytes(),
                spec.setupTimeoutNs());
        connections.add(connection);
        return connection;
    }

    private static Subscriber[] receiversOf(Topology topology, int publisher, Subscriber[] subscribers) {
        List<Subscriber> receivers = new ArrayList<>();
        for (int s = 0; s < subscribers.length; s++) {
            if (topology.receivesFrom(s, publisher)) {
                receivers.add(subscribers[s]);
            }
        }
        return receivers.toArray(new Subscriber[0]);
    }

    private static Thread start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** CPU figures taken at the edges of the measured period. */
    private record Meters(double loadgenCpuPercent, double brokerCpuSeconds, long brokerRssKiB) {
    }

    private Meters followProgress(long startNs, long measureStartNs, long endNs, LatencyCollector latency,
            Publisher[] publishers, Subscriber[] subscribers) throws InterruptedException {
        CpuMeter loadgenCpu = new CpuMeter();
        ProcessStats broker = new ProcessStats(spec.brokerPid());
        boolean measuring = false;
        double brokerCpuAtStart = -1;
        long nextReportNs = startNs + PROGRESS_INTERVAL_NS;
        while (true) {
            long nowNs = System.nanoTime();
            if (!measuring && nowNs >= measureStartNs) {
                measuring = true;
                loadgenCpu.start();
                brokerCpuAtStart = broker.cpuSeconds();
            }
            if (nowNs >= endNs) {
                break;
            }
            if (nowNs >= nextReportNs) {
                Histogram interval = latency.collect();
                report(measuring ? "measure" : "warmup", nowNs - startNs, publishers, subscribers, interval);
                nextReportNs += PROGRESS_INTERVAL_NS;
            }
            long wakeNs = Math.min(nextReportNs, measuring ? endNs : measureStartNs);
            TimeUnit.NANOSECONDS.sleep(Math.max(1, wakeNs - System.nanoTime()));
        }
        double cpu = loadgenCpu.percentOfOneCore();
        double brokerCpuAtEnd = broker.cpuSeconds();
        double brokerCpuSeconds = brokerCpuAtStart < 0 || brokerCpuAtEnd < 0 ? -1 : brokerCpuAtEnd - brokerCpuAtStart;
        return new Meters(cpu, brokerCpuSeconds, broker.residentKiB());
    }

    private void report(String phase, long elapsedNs, Publisher[] publishers, Subscriber[] subscribers,
            Histogram interval) {
        long sent = 0;
        for (Publisher publisher : publishers) {
            sent += publisher.sentSoFar();
        }
        long delivered = 0;
        for (Subscriber subscriber : subscribers) {
            delivered += subscriber.delivered();
        }
        progress.update(String.format(Locale.ROOT, "%s %s %s %5.1fs sent %,d delivered %,d p99 %,.1f us max %,.1f us",
                spec.groupName(), spec.target().label(), phase, elapsedNs / 1e9, sent, delivered,
                interval.getValueAtPercentile(99) / 1000.0, interval.getMaxValue() / 1000.0));
    }

    /** Waits for the publishers to stop on their own; one stuck in a write is unblocked by closing. */
    private void joinPublishers(Thread[] threads, BrokerConnection[] connections, long endNs)
            throws InterruptedException {
        long deadlineNs = endNs + spec.drainTimeoutNs();
        for (int p = 0; p < threads.length; p++) {
            long leftMs = Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000);
            threads[p].join(leftMs);
            if (threads[p].isAlive()) {
                failures.add("publisher " + p + " still blocked writing after the run: broker stopped reading");
                connections[p].close();
                threads[p].join(JOIN_AFTER_CLOSE_MS);
            }
        }
    }

    private static long expectedDeliveries(Topology topology, Publisher[] publishers) {
        long[] sentPerStream = sentPerStream(topology, publishers);
        long expected = 0;
        for (int s = 0; s < topology.subscribers(); s++) {
            for (int stream = 0; stream < sentPerStream.length; stream++) {
                if (topology.subscribes(s, topology.topicOf(stream))) {
                    expected += sentPerStream[stream];
                }
            }
        }
        return expected;
    }

    private static long[] sentPerStream(Topology topology, Publisher[] publishers) {
        long[] sent = new long[topology.streams()];
        for (Publisher publisher : publishers) {
            int[] streams = publisher.streams();
            long[] counts = publisher.sentPerLocalStream();
            for (int i = 0; i < streams.length; i++) {
                sent[streams[i]] = counts[i];
            }
        }
        return sent;
    }

    /** Waits until every expected delivery arrived, or until nothing arrived for the drain timeout. */
    private void drain(long expected, LatencyCollector latency, Publisher[] publishers, Subscriber[] subscribers)
            throws InterruptedException {
        long drainStartNs = System.nanoTime();
        long lastDelivered = -1;
        long lastProgressNs = drainStartNs;
        long nextReportNs = drainStartNs + PROGRESS_INTERVAL_NS;
        // Bounded twice: by silence (no delivery for a drain timeout) and by 4 drain timeouts in all.
        while (System.nanoTime() - drainStartNs < 4 * spec.drainTimeoutNs()) {
            long delivered = 0;
            for (Subscriber subscriber : subscribers) {
                delivered += subscriber.delivered();
            }
            long nowNs = System.nanoTime();
            if (delivered >= expected) {
                return;
            }
            if (delivered != lastDelivered) {
                lastDelivered = delivered;
                lastProgressNs = nowNs;
            } else if (nowNs - lastProgressNs > spec.drainTimeoutNs()) {
                return;
            }
            if (nowNs >= nextReportNs) {
                report("drain", nowNs - drainStartNs, publishers, subscribers, latency.collect());
                nextReportNs += PROGRESS_INTERVAL_NS;
            }
            TimeUnit.MILLISECONDS.sleep(DRAIN_POLL_MS);
        }
    }

    /**
     * Finds out whether the broker cut off the slow subscribers: reads what is left (bounded in
     * time) and looks for the end of the stream.
     */
    private String probeSlowSubscribers(BrokerConnection[] slowConnections) {
        if (slowConnections.length == 0) {
            return "";
        }
        int disconnected = 0;
        ByteBuffer scratch = ByteBuffer.allocate(1 << 20);
        for (BrokerConnection connection : slowConnections) {
            long deadlineNs = System.nanoTime() + spec.drainTimeoutNs();
            try {
                connection.channel().configureBlocking(false);
                int read = 0;
                while (read >= 0 && System.nanoTime() < deadlineNs) {
                    scratch.clear();
                    read = connection.channel().read(scratch);
                    if (read == 0) {
                        TimeUnit.MILLISECONDS.sleep(DRAIN_POLL_MS);
                        read = connection.channel().read(scratch.clear());
                        if (read == 0) {
                            break;
                        }
                    }
                }
                if (read < 0) {
                    disconnected++;
                }
            } catch (IOException e) {
                disconnected++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return disconnected + "/" + slowConnections.length + " disconnected";
    }

    private RunResult result(Topology topology, Publisher[] publishers, PublisherReplyReader[] readers,
            Subscriber[] subscribers, Histogram latency, Histogram sendLag, long expected, Meters meters,
            String slowSubscriber) {
        long sent = 0;
        for (Publisher publisher : publishers) {
            for (long count : publisher.sentPerLocalStream()) {
                sent += count;
            }
            addFailure(publisher.failure());
        }
        for (PublisherReplyReader reader : readers) {
            addFailure(reader.failure());
        }
        long delivered = 0;
        long duplicated = 0;
        long reordered = 0;
        long unexpected = 0;
        long deliveredInWindow = 0;
        for (Subscriber subscriber : subscribers) {
            SequenceTracker tracker = subscriber.tracker();
            for (int stream = 0; stream < topology.streams(); stream++) {
                delivered += tracker.received(stream);
            }
            duplicated += tracker.duplicated();
            reordered += tracker.reordered();
            unexpected += tracker.unexpected();
            deliveredInWindow += subscriber.deliveredInWindow();
            addFailure(subscriber.failure());
        }
        double seconds = spec.durationNs() / 1e9;
        double brokerCpuPercent = meters.brokerCpuSeconds() < 0 ? Double.NaN
                : 100.0 * meters.brokerCpuSeconds() / seconds;
        double brokerCpuPerMillion = meters.brokerCpuSeconds() < 0 || deliveredInWindow == 0 ? Double.NaN
                : meters.brokerCpuSeconds() / (deliveredInWindow / 1e6);
        return new RunResult(spec, latency, sendLag, sent, expected, delivered, Math.max(0, expected - delivered),
                duplicated, reordered, unexpected, deliveredInWindow / seconds, meters.loadgenCpuPercent(),
                brokerCpuPercent, brokerCpuPerMillion, meters.brokerRssKiB(), slowSubscriber, List.copyOf(failures));
    }

    private void addFailure(String failure) {
        if (failure != null) {
            failures.add(failure);
        }
    }
}
