package dev.topics.broker.metrics;

import dev.topics.broker.report.EngineSnapshot;
import dev.topics.transport.WireProtocol;
import dev.topics.transport.codec.ErrorCode;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The broker's Prometheus metrics, with the official client: callback metrics that read the one
 * {@link EngineSnapshot} taken for the scrape (so every value of a scrape comes from the same
 * moment of the engine), and the JVM's own metrics. Names follow Prometheus conventions: the
 * {@code topics_} prefix, base units, {@code _total} on counters (the client adds it).
 * docs/operations.md ("Metrics") lists them with what to alert on.
 *
 * <p>Used by the metrics thread; {@link #scrape} is synchronized, so a second caller would wait.
 */
final class BrokerMetrics
{
    private static final double MICROS_PER_SECOND = 1e6;
    /**
     * Codes the engine never answers: a slow consumer is cut by its writer and a busy server refuses
     * on connect; each has a counter of its own.
     */
    private static final Set<ErrorCode> NOT_ENGINE_ERRORS = EnumSet.of(ErrorCode.SLOW_CONSUMER, ErrorCode.SERVER_BUSY);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    /** The snapshot of the scrape under way; null between scrapes. */
    private EngineSnapshot current;

    BrokerMetrics()
    {
        gauge("topics_connections", "Open connections.", "connections");
        gauge("topics_topics", "Topics in the store, with subscribers or a latest value.", "topics");
        gauge("topics_subscriptions", "Subscriptions over all connections, exact topics and patterns.", "subscriptions");
        gauge("topics_patterns", "Distinct patterns subscribed to by at least one connection.", "patterns");
        counter("topics_published", "PUB commands applied.", "published");
        counter("topics_delivered", "UPDATED lines handed to the writers (a fan-out to N counts N).", "delivered");
        counter("topics_slow_consumer_disconnects", "Connections cut off for passing --max-pending.", "slow_consumer_disconnects");
        counter("topics_read_pauses", "Times a connection was not read because the inbound ring was full.", "read_pauses");
        counter("topics_rejected_connections", "Connections refused with server-busy at --max-connections.", "rejected_connections");
        counter("topics_auth_failures", "Wrong or missing tokens sent with AUTH.", "auth_failures");
        counter("topics_idle_closes", "Connections closed by --idle-timeout.", "idle_closes");
        counter("topics_tls_failures", "Failed TLS handshakes, plain text to a TLS port included.", "tls_failures");
        gauge("topics_memory_used_bytes", "Bytes counted against --max-memory: live connection buffers plus stored latest values.",
            "memory_used");
        gauge("topics_memory_max_bytes", "The memory budget, --max-memory.", "memory_max");
        counter("topics_oom_refusals", "Commands and lines answered ERR out-of-memory.", "oom_refusals");
        counter("topics_memory_cuts", "Connections cut for holding the most memory when connections filled the budget.",
            "memory_cuts");
        counter("topics_evictions", "Latest values dropped to make room (--when-full evict).", "evictions");
        latency("topics_delivery_latency_p50_seconds", "median", "latency_p50_us");
        latency("topics_delivery_latency_p99_seconds", "99th percentile", "latency_p99_us");
        latency("topics_delivery_latency_p999_seconds", "99.9th percentile", "latency_p999_us");
        latency("topics_delivery_latency_max_seconds", "maximum", "latency_max_us");
        CounterWithCallback.builder().name("topics_received_bytes")
            .help("Bytes read from clients (after TLS), every line and line ending.")
            .callback(callback -> callback.call(current.receivedBytes())).register(registry);
        CounterWithCallback.builder().name("topics_sent_bytes")
            .help("Bytes handed to client connections, replies and deliveries.")
            .callback(callback -> callback.call(current.sentBytes())).register(registry);
        CounterWithCallback.builder().name("topics_errors")
            .help("ERR replies by code (protocol errors), and internal errors as code internal; they add up to STATS errors.")
            .labelNames("code")
            .callback(callback -> errorsByCode(current).forEach((code, count) -> callback.call(count, code)))
            .register(registry);
        rings("topics_ring_used_slots", "Occupied slots of the inbound and outbound rings; compare with topics_ring_size_slots.",
            "used");
        rings("topics_ring_size_slots", "Slots of the inbound and outbound rings (--inbound-ring-size, --outbound-ring-size).",
            "size");
        byProtocol(GaugeWithCallback.builder().name("topics_protocol_connections")
            .help("Open connections by listener protocol (text, resp)."), "connections");
        byProtocol(CounterWithCallback.builder().name("topics_protocol_published")
            .help("PUB (and Redis PUBLISH) commands applied, by the publisher's protocol."), "published");
        byProtocol(CounterWithCallback.builder().name("topics_protocol_delivered")
            .help("Deliveries handed to the writers, by the receiver's protocol (a Redis connection counts once per matching subscription)."),
            "delivered");
        clusterMetrics();
        JvmMetrics.builder().register(registry);
    }

    /**
     * A cluster node's members and links, from STATS' {@code cluster_*} and {@code peer_<id>_*}
     * keys; a broker on its own has none of these keys, and so none of these series.
     */
    private void clusterMetrics()
    {
        GaugeWithCallback.builder().name("topics_cluster_members_up")
            .help("Cluster members this node sees up, itself included.")
            .callback(callback -> ifPresent("cluster_up", value -> callback.call(value))).register(registry);
        CounterWithCallback.builder().name("topics_cluster_forwarded")
            .help("PUBs sent on to their topic's home on another node.")
            .callback(callback -> ifPresent("cluster_forwarded", value -> callback.call(value))).register(registry);
        CounterWithCallback.builder().name("topics_cluster_from_homes")
            .help("Publications received from their topic's home for this node's subscribers.")
            .callback(callback -> ifPresent("cluster_from_homes", value -> callback.call(value))).register(registry);
        CounterWithCallback.builder().name("topics_cluster_misrouted")
            .help("Peer messages not applied because the topic was moving between nodes (at-most-once while moving).")
            .callback(callback -> ifPresent("cluster_misrouted", value -> callback.call(value))).register(registry);
        perPeerGauge("topics_cluster_peer_up", "1 while the peer is up (heard within --cluster-timeout and connected).", "up", 1);
        perPeerCounter("topics_cluster_peer_sent", "Messages this node sent the peer.", "sent");
        perPeerCounter("topics_cluster_peer_received", "Messages this node received from the peer, heartbeats included.", "received");
        perPeerCounter("topics_cluster_peer_dropped", "Messages to the peer its link could not take (not connected, or its term full).",
            "dropped");
        perPeerGauge("topics_cluster_peer_heard_seconds", "Time since this node last heard from the peer (-1: never).", "heard_ms",
            1e3);
        perPeerGauge("topics_cluster_peer_rtt_seconds", "Round trip of the last heartbeat to the peer and back.", "rtt_us", 1e6);
    }

    private void ifPresent(final String key, final java.util.function.DoubleConsumer action)
    {
        final Long value = current.statsValues().get(key);
        if (value != null)
        {
            action.accept(value);
        }
    }

    private void perPeerGauge(final String name, final String help, final String what, final double divisor)
    {
        GaugeWithCallback.builder().name(name).help(help).labelNames("peer").callback(callback ->
            eachPeer(what, (peer, value) -> callback.call(value < 0 ? value : value / divisor, peer))).register(registry);
    }

    private void perPeerCounter(final String name, final String help, final String what)
    {
        CounterWithCallback.builder().name(name).help(help).labelNames("peer").callback(callback ->
            eachPeer(what, (peer, value) -> callback.call(value, peer))).register(registry);
    }

    /** Calls {@code action} with each peer's id and its STATS {@code peer_<id>_<what>}. */
    private void eachPeer(final String what, final java.util.function.ObjDoubleConsumer<String> action)
    {
        final String suffix = "_" + what;
        for (final java.util.Map.Entry<String, Long> entry : current.statsValues().entrySet())
        {
            final String key = entry.getKey();
            if (key.startsWith("peer_") && key.endsWith(suffix) && key.length() > 5 + suffix.length())
            {
                final String peer = key.substring(5, key.length() - suffix.length());
                if (peer.chars().allMatch(Character::isDigit))
                {
                    action.accept(peer, entry.getValue());
                }
            }
        }
    }

    /** One series per protocol, labelled {@code protocol="text"} and {@code "resp"}, from STATS {@code <protocol>_<what>}. */
    private void byProtocol(final GaugeWithCallback.Builder builder, final String what)
    {
        builder.labelNames("protocol").callback(callback ->
        {
            for (final WireProtocol protocol : WireProtocol.values())
            {
                callback.call(current.stat(protocol.label() + "_" + what), protocol.label());
            }
        }).register(registry);
    }

    private void byProtocol(final CounterWithCallback.Builder builder, final String what)
    {
        builder.labelNames("protocol").callback(callback ->
        {
            for (final WireProtocol protocol : WireProtocol.values())
            {
                callback.call(current.stat(protocol.label() + "_" + what), protocol.label());
            }
        }).register(registry);
    }

    /** The whole exposition, in the Prometheus text format, with every topics value from {@code snapshot}. */
    synchronized byte[] scrape(final EngineSnapshot snapshot) throws IOException
    {
        current = snapshot;
        try
        {
            final ByteArrayOutputStream text = new ByteArrayOutputStream(16 * 1024);
            writer.write(text, registry.scrape());
            return text.toByteArray();
        }
        finally
        {
            current = null;
        }
    }

    static String contentType()
    {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /**
     * Errors by code word, every code the engine can answer (0 included, so each series exists from
     * the start), and {@code internal} with the internal errors added: the values add up to STATS
     * {@code errors}.
     */
    static Map<String, Long> errorsByCode(final EngineSnapshot snapshot)
    {
        final Map<String, Long> errors = new LinkedHashMap<>();
        for (final ErrorCode code : ErrorCode.values())
        {
            if (!NOT_ENGINE_ERRORS.contains(code))
            {
                errors.merge(code.word(), snapshot.errors(code.ordinal()), Long::sum);
            }
        }
        final long internal = snapshot.stat("errors") - snapshot.stat("protocol_errors");
        errors.merge(ErrorCode.INTERNAL.word(), internal, Long::sum);
        return errors;
    }

    private void gauge(final String name, final String help, final String statsKey)
    {
        GaugeWithCallback.builder().name(name).help(help)
            .callback(callback -> callback.call(current.stat(statsKey))).register(registry);
    }

    private void counter(final String name, final String help, final String statsKey)
    {
        CounterWithCallback.builder().name(name).help(help)
            .callback(callback -> callback.call(current.stat(statsKey))).register(registry);
    }

    /** One series per ring, labelled {@code ring="inbound"} and {@code "outbound"}, from STATS {@code <ring>_ring_<what>}. */
    private void rings(final String name, final String help, final String what)
    {
        GaugeWithCallback.builder().name(name).help(help).labelNames("ring")
            .callback(callback ->
            {
                for (final String ring : new String[]{"inbound", "outbound"})
                {
                    callback.call(current.stat(ring + "_ring_" + what), ring);
                }
            }).register(registry);
    }

    /** A STATS latency in µs as a gauge in seconds; see STATS for the interval it covers. */
    private void latency(final String name, final String what, final String statsKey)
    {
        GaugeWithCallback.builder().name(name)
            .help("Delivery latency (PUB read to UPDATED flushed), " + what + " over the interval since the previous "
                + "STATS or metrics read; 0 when nothing was delivered.")
            .callback(callback -> callback.call(current.stat(statsKey) / MICROS_PER_SECOND)).register(registry);
    }
}
